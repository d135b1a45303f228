import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import type { ConnectionHookContext, OAuthSettings, Provider, ProviderCall, ProviderPage, SyncWindow, TokenSet } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import {
  dailyActivitySamples,
  heartRateSamples,
  sleepEvents,
  workoutEvents,
  type OuraDailyActivity,
  type OuraHeartRate,
  type OuraSleep,
  type OuraWorkout,
} from './mapping.js';
import { OURA_VERIFICATION_TOKEN_ENV, ouraPushChallenge, parseOuraPush } from './push.js';
import { ensureOuraSubscriptions } from './subscriptions.js';

// Oura's documented hosts: cloud.ouraring.com for consent, api.ouraring.com for tokens and data.
const DEFAULTS = { apiUrl: 'https://api.ouraring.com', authUrl: 'https://cloud.ouraring.com' };
const settings = (config: Config) => providerSettings(config, 'oura', DEFAULTS);

interface Collection<T> {
  data: T[];
  next_token: string | null;
}

function asCollection<T>(body: unknown): Collection<T> {
  const value = body as Partial<Collection<T>> | null;
  if (!value || !Array.isArray(value.data)) throw new ProviderError('Oura answered without a data array', 'invalid_response');
  return { data: value.data, next_token: typeof value.next_token === 'string' && value.next_token ? value.next_token : null };
}

const day = (date: Date) => date.toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/**
 * The query of a collection for a window. Time series (heartrate) take start_datetime/end_datetime. Documents
 * (daily_activity, sleep, workout) are filed under the user's local `day` and take start_date/end_date, a date or
 * a date-time (Oura OpenAPI 2.0, "Multiple … Documents"): a date-only end_date reaches only the start of that day,
 * so `end_date == start_date` (a same-day incremental or webhook sync) returns nothing and today is never read.
 * So the end is a date-time a day past the window's end, and the start a day before it: a local day can be a day
 * either side of the UTC date (zones from -12:00 to +14:00), and re-read documents are duplicates by id.
 */
function windowQuery(window: SyncWindow, byDay: boolean): Record<string, string> {
  if (!byDay) return { start_datetime: window.from.toISOString(), end_datetime: window.to.toISOString() };
  return {
    start_date: day(new Date(window.from.getTime() - DAY_MS)),
    end_date: new Date(window.to.getTime() + DAY_MS).toISOString(),
  };
}

async function collection<T>(
  call: ProviderCall,
  config: Config,
  name: string,
  window: SyncWindow,
  page: string | null,
  byDay: boolean,
): Promise<Collection<T>> {
  const url = new URL(`${settings(config).apiUrl}/v2/usercollection/${name}`);
  for (const [key, value] of Object.entries(windowQuery(window, byDay))) url.searchParams.set(key, value);
  if (page) url.searchParams.set('next_token', page);
  return asCollection<T>(await call.fetchJson(url.toString()));
}

/** The personal info's id is the user_id Oura's webhooks name, and the token response does not carry it. */
async function personalInfoId(apiUrl: string, accessToken: string): Promise<string> {
  const info = (await fetchProviderJson(`${apiUrl}/v2/usercollection/personal_info`, accessToken)) as { id?: unknown } | null;
  if (typeof info?.id !== 'string' || !info.id) throw new ProviderError('Oura personal info has no id', 'invalid_response');
  return info.id;
}

async function requestTokens(form: Record<string, string>, oauth: OAuthSettings, now: Date, apiUrl: string): Promise<TokenSet> {
  const json = await postTokenForm(oauth, form);
  const tokens = standardTokenSet(json, oauth, form, now);
  return { ...tokens, externalUserId: form.grant_type === 'authorization_code' ? await personalInfoId(apiUrl, json.access_token) : null };
}

async function keepSubscriptions(config: Config, context: ConnectionHookContext): Promise<void> {
  await ensureOuraSubscriptions(settings(config), config.env[OURA_VERIFICATION_TOKEN_ENV], context.pushUrl, new Date());
}

export const ouraProvider: Provider = {
  id: 'oura',
  name: 'Oura',
  description: 'Oura Ring: heart rate, daily activity, sleep with stages and HRV, workouts (API v2).',
  authKind: 'oauth2',
  dataTypes: ['heart_rate', 'steps', 'active_energy', 'hrv_rmssd', 'sleep', 'workout'],
  // Oura's API v2 serves a user's documents back to their first ring day.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth/authorize`,
      tokenUrl: `${s.apiUrl}/oauth/token`,
      revokeUrl: `${s.apiUrl}/oauth/revoke`,
      scopes: ['personal', 'daily', 'heartrate', 'workout', 'session'],
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: (form, oauth, now) => requestTokens(form, oauth, now, s.apiUrl),
    };
  },
  streams: ['heartrate', 'daily_activity', 'sleep', 'workout'],
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    switch (stream) {
      case 'heartrate': {
        const result = await collection<OuraHeartRate>(call, config, 'heartrate', window, page, false);
        return { samples: heartRateSamples(result.data), events: [], nextPage: result.next_token };
      }
      case 'daily_activity': {
        const result = await collection<OuraDailyActivity>(call, config, 'daily_activity', window, page, true);
        return { samples: dailyActivitySamples(result.data), events: [], nextPage: result.next_token };
      }
      case 'sleep': {
        const result = await collection<OuraSleep>(call, config, 'sleep', window, page, true);
        return { ...sleepEvents(result.data), nextPage: result.next_token };
      }
      case 'workout': {
        const result = await collection<OuraWorkout>(call, config, 'workout', window, page, true);
        return { samples: [], events: workoutEvents(result.data), nextPage: result.next_token };
      }
      default:
        throw new Error(`Oura has no stream ${stream}`);
    }
  },
  parsePush(request, config) {
    const secret = settings(config).clientSecret;
    if (!secret) throw new ProviderError('OURA_CLIENT_SECRET is not set, so no webhook can be verified', 'unauthorized');
    return parseOuraPush(request, secret);
  },
  pushChallenge: ouraPushChallenge,
  // Oura's subscriptions are the app's, not the user's: each connect makes sure they exist and renews them, and so
  // does the daily upkeep, so they stay alive while no one new connects.
  afterConnect: (_call, config, context) => keepSubscriptions(config, context),
  upkeep: keepSubscriptions,
};
