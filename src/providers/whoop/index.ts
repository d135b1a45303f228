import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderCall, ProviderPage, SyncWindow, TokenSet } from '../provider.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import {
  cycleData,
  parseRecords,
  recoverySamples,
  sleepData,
  workoutEvents,
  type WhoopCycle,
  type WhoopRecovery,
  type WhoopSleep,
  type WhoopStream,
  type WhoopWorkout,
} from './mapping.js';
import { parseWhoopPush } from './push.js';

// WHOOP serves consent, tokens and data from one host: /oauth/oauth2/* and /developer/v2/*
// (https://developer.whoop.com/docs/developing/oauth, https://developer.whoop.com/api).
const DEFAULTS = { apiUrl: 'https://api.prod.whoop.com', authUrl: 'https://api.prod.whoop.com' };
const settings = (config: Config) => providerSettings(config, 'whoop', DEFAULTS);

const PATHS: Record<WhoopStream, string> = { recovery: 'recovery', sleep: 'activity/sleep', workout: 'activity/workout', cycle: 'cycle' };
/** The documented maximum page size of every collection. */
const PAGE_LIMIT = 25;
/**
 * WHOOP scores sleeps, recoveries and cycles after they end (PENDING_SCORE, then SCORED) and filters collections by
 * a record's start, so every window reaches two days further back: a record that began before the last sync but was
 * scored since is read again. Samples already stored are dropped at ingestion; events are updated in place.
 */
const LOOKBACK_MS = 2 * 86_400_000;

interface Collection {
  records: unknown[];
  next_token: string | null;
}

function asCollection(body: unknown): Collection {
  const value = body as { records?: unknown; next_token?: unknown } | null;
  if (!value || typeof value !== 'object' || !Array.isArray(value.records))
    throw new ProviderError('WHOOP answered without a records array', 'invalid_response');
  if (value.next_token != null && typeof value.next_token !== 'string')
    throw new ProviderError('WHOOP answered a next_token that is not a string', 'invalid_response');
  return { records: value.records, next_token: value.next_token || null };
}

async function collection(
  call: ProviderCall,
  config: Config,
  stream: WhoopStream,
  window: SyncWindow,
  page: string | null,
): Promise<Collection> {
  const url = new URL(`${settings(config).apiUrl}/developer/v2/${PATHS[stream]}`);
  url.searchParams.set('start', new Date(window.from.getTime() - LOOKBACK_MS).toISOString());
  url.searchParams.set('end', window.to.toISOString());
  url.searchParams.set('limit', String(PAGE_LIMIT));
  if (page) url.searchParams.set('nextToken', page);
  return asCollection(await call.fetchJson(url.toString()));
}

/** The basic profile's user_id is what WHOOP's webhooks name, and the token response does not carry it. */
async function profileUserId(apiUrl: string, accessToken: string): Promise<string> {
  const profile = (await fetchProviderJson(`${apiUrl}/developer/v2/user/profile/basic`, accessToken)) as { user_id?: unknown } | null;
  const userId = profile?.user_id;
  if (typeof userId !== 'number' || !Number.isSafeInteger(userId))
    throw new ProviderError('WHOOP profile has no user_id', 'invalid_response');
  return String(userId);
}

/**
 * RFC 6749 token requests with two WHOOP habits: a refresh asks for the `offline` scope again (or no new refresh
 * token comes back; refresh tokens rotate), and after the code exchange the profile names the WHOOP user.
 */
async function requestTokens(form: Record<string, string>, oauth: OAuthSettings, now: Date, apiUrl: string): Promise<TokenSet> {
  const json = await postTokenForm(oauth, form.grant_type === 'refresh_token' ? { ...form, scope: 'offline' } : form);
  const tokens = standardTokenSet(json, oauth, form, now);
  return { ...tokens, externalUserId: form.grant_type === 'authorization_code' ? await profileUserId(apiUrl, json.access_token) : null };
}

/** WHOOP revokes with DELETE /v2/user/access under the user's own token; that also ends its webhooks for the user. */
async function revokeAccess(apiUrl: string, accessToken: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/developer/v2/user/access`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${accessToken}` },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

async function fetchStreamPage(
  call: ProviderCall,
  config: Config,
  stream: WhoopStream,
  window: SyncWindow,
  page: string | null,
): Promise<ProviderPage> {
  const { records, next_token: nextPage } = await collection(call, config, stream, window, page);
  switch (stream) {
    case 'recovery':
      return { samples: recoverySamples(parseRecords<WhoopRecovery>(stream, records)), events: [], nextPage };
    case 'sleep':
      return { ...sleepData(parseRecords<WhoopSleep>(stream, records)), nextPage };
    case 'workout':
      return { samples: [], events: workoutEvents(parseRecords<WhoopWorkout>(stream, records)), nextPage };
    case 'cycle':
      return { ...cycleData(parseRecords<WhoopCycle>(stream, records)), nextPage };
  }
}

const isStream = (stream: string): stream is WhoopStream => Object.hasOwn(PATHS, stream);

export const whoopProvider: Provider = {
  id: 'whoop',
  name: 'WHOOP',
  description:
    'WHOOP strap: recovery (HRV, resting heart rate, SpO₂, skin temperature), sleep with stages, workouts and day strain (API v2).',
  authKind: 'oauth2',
  dataTypes: [
    'recovery_score',
    'resting_heart_rate',
    'hrv_rmssd',
    'spo2',
    'skin_temperature',
    'respiratory_rate',
    'sleep_duration',
    'time_in_bed',
    'sleep_score',
    'sleep_efficiency',
    'strain',
    'sleep',
    'workout',
    'activity',
  ],
  // WHOOP's v2 collections reach back to the member's first cycle.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth/oauth2/auth`,
      tokenUrl: `${s.authUrl}/oauth/oauth2/token`,
      // read:body_measurement is left out: height and weight carry no timestamp to sync by. offline brings refresh tokens.
      scopes: ['read:recovery', 'read:cycles', 'read:sleep', 'read:workout', 'read:profile', 'offline'],
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: (form, oauth, now) => requestTokens(form, oauth, now, s.apiUrl),
      revoke: (token) => revokeAccess(s.apiUrl, token),
    };
  },
  streams: ['recovery', 'sleep', 'workout', 'cycle'],
  async fetchPage(call, stream, window, page, config) {
    if (!isStream(stream)) throw new Error(`WHOOP has no stream ${stream}`);
    return fetchStreamPage(call, config, stream, window, page);
  },
  parsePush(request, config) {
    const secret = settings(config).clientSecret;
    if (!secret) throw new ProviderError('WHOOP_CLIENT_SECRET is not set, so no webhook can be verified', 'unauthorized');
    return parseWhoopPush(request, secret, Date.now());
  },
};
