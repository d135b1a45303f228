import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import type { NoticeContent, OAuthSettings, Provider, ProviderCall, ProviderPage, SyncWindow, TokenSet } from '../provider.js';
import { hasClientCredentials } from '../settings.js';
import { callbackOnApiHost, garminSettings, permissionsOf, restUrl, userUrl } from './api.js';
import { parseGarminPush } from './push.js';
import { checkSummaries, SUMMARY_TYPES, summaryType, type SummaryType } from './summaries.js';

/**
 * Garmin Connect Developer Program, Health and Activity APIs. OAuth 2.0 with PKCE (S256) per Garmin's OAuth2 PKCE
 * specification, which retires OAuth 1.0a at the end of 2026. Garmin is push-first: what a user uploads after
 * connecting arrives as ping or push notifications (push.ts), whose data the sync that follows reads (readNotice);
 * a pull is only allowed through a ping's callbackURL. Older data is asked for with Summary Backfill, whose answer
 * is again notifications: so the sync's own streams only send backfill requests.
 */

const DAY_SECONDS = 86_400;

/**
 * The token answer names no user: Garmin's User ID endpoint does (notifications name users by it), and User
 * Permissions says what the user shares (ACTIVITY_EXPORT, HEALTH_EXPORT…), which we keep as the scopes.
 */
async function garminTokenRequest(form: Record<string, string>, oauth: OAuthSettings, now: Date, config: Config): Promise<TokenSet> {
  const tokens = standardTokenSet(await postTokenForm(oauth, form), oauth, form, now);
  if (form.grant_type !== 'authorization_code') return tokens;
  const user = (await fetchProviderJson(userUrl(config, 'id'), tokens.accessToken)) as { userId?: unknown } | null;
  if (typeof user?.userId !== 'string' || !user.userId)
    throw new ProviderError('Garmin User ID answered without a userId', 'invalid_response');
  const scopes = permissionsOf(await fetchProviderJson(userUrl(config, 'permissions'), tokens.accessToken));
  return { ...tokens, externalUserId: user.userId, scopes };
}

/** Delete User Registration: Garmin's way to end our access (it then sends us a deregistration notification). */
async function deleteRegistration(token: string, config: Config): Promise<boolean> {
  const response = await fetch(userUrl(config, 'registration'), {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

const NOTHING: ProviderPage = { samples: [], events: [], nextPage: null };

/**
 * Asks Garmin to backfill one summary type, in ranges it accepts, up to when the user connected (everything
 * uploaded since comes by itself). A range asked for before (409) is done; a type the user does not share (412)
 * has nothing to backfill, nor has any type when the user did not grant HISTORICAL_DATA_EXPORT (403: Garmin
 * refuses the backfill, not the token, so the connection stays active). `page` is where the next range starts,
 * in epoch seconds.
 */
async function requestBackfill(
  call: ProviderCall,
  config: Config,
  type: SummaryType,
  window: SyncWindow,
  page: string | null,
): Promise<ProviderPage> {
  const end = Math.floor(Math.min(window.to.getTime(), call.connectedAt.getTime()) / 1000);
  const start = page ? Number(page) : Math.floor(window.from.getTime() / 1000);
  if (!type.backfill || start >= end) return NOTHING;
  const rangeEnd = Math.min(end, start + type.backfillDays * DAY_SECONDS);
  const url = new URL(restUrl(config, `backfill/${type.backfill}`));
  url.searchParams.set('summaryStartTimeInSeconds', String(start));
  url.searchParams.set('summaryEndTimeInSeconds', String(rangeEnd));
  try {
    await call.fetchJson(url.toString());
  } catch (error) {
    const status = error instanceof ProviderError ? error.status : null;
    if (status === 412 || status === 403) return NOTHING;
    if (status !== 409) throw error;
  }
  return { samples: [], events: [], nextPage: rangeEnd < end ? String(rangeEnd) : null };
}

/** A notification's summaries, pulled from its callbackURL (ping) or as pushed, mapped to our types. */
async function readNotice(call: ProviderCall, content: NoticeContent, config: Config): Promise<Pick<ProviderPage, 'samples' | 'events'>> {
  const type = summaryType(content.stream);
  if (!type) return NOTHING;
  let rows = content.payload;
  if (content.url) {
    const url = callbackOnApiHost(content.url, config);
    if (!url) throw new ProviderError(`a ${type.key} callbackURL is not on Garmin's API host`, 'invalid_response', null, 400);
    rows = await call.fetchJson(url);
  }
  const checked = checkSummaries(rows, type);
  if ('problem' in checked) throw new ProviderError(`Garmin answered ${checked.problem}`, 'invalid_response');
  return type.map(checked.rows);
}

export const garminProvider: Provider = {
  id: 'garmin',
  name: 'Garmin',
  description:
    'Garmin Connect (Health and Activity APIs): daily activity, heart rate, sleep with stages, stress, Body Battery, SpO2, respiration, HRV, body composition, blood pressure and workouts, delivered by push and ping notifications.',
  authKind: 'oauth2',
  dataTypes: [
    'steps',
    'distance',
    'active_energy',
    'basal_energy',
    'floors_climbed',
    'moderate_intensity_minutes',
    'vigorous_intensity_minutes',
    'wheelchair_pushes',
    'wheelchair_distance',
    'heart_rate',
    'resting_heart_rate',
    'stress_level',
    'body_battery',
    'spo2',
    'respiratory_rate',
    'hrv_rmssd',
    'weight',
    'body_fat',
    'bmi',
    'muscle_mass',
    'bone_mass',
    'body_water',
    'blood_pressure_systolic',
    'blood_pressure_diastolic',
    'skin_temperature_deviation',
    'vo2max',
    'sleep_score',
    'sleep',
    'workout',
  ],
  // Garmin limits each backfill request's range (summaries.ts), not how far back the backfills may reach.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(garminSettings(config)),
  oauth: (config) => {
    const s = garminSettings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth2Confirm`,
      tokenUrl: `${s.tokenUrl}/di-oauth2-service/oauth/token`,
      // No scope parameter: the user picks what to share on Garmin's consent page.
      scopes: [],
      pkce: true,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: (form, oauth, now) => garminTokenRequest(form, oauth, now, config),
      revoke: (token) => deleteRegistration(token, config),
    };
  },
  streams: SUMMARY_TYPES.filter((type) => type.backfill).map((type) => type.key),
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    const type = summaryType(stream);
    if (!type) throw new Error(`Garmin has no stream ${stream}`);
    return requestBackfill(call, config, type, window, page);
  },
  parsePush: parseGarminPush,
  readNotice,
};
