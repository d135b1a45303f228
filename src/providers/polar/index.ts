import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderCall, ProviderPage, SyncWindow, TokenSet } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import {
  dailyActivitySamples,
  parseActivities,
  parseExercises,
  parseNights,
  parseRecharges,
  polarUserIdOf,
  rechargeSamples,
  sleepEventsAndSamples,
  workoutEvents,
} from './mapping.js';
import { parsePolarPush } from './push.js';

/**
 * Polar AccessLink API v3 (https://www.polar.com/accesslink-api/): consent at flow.polar.com, tokens at
 * polarremote.com, data at www.polaraccesslink.com. Tokens last about a year and come without a refresh token;
 * a user must be registered (POST /v3/users) before any data can be read.
 */
const DEFAULTS = { apiUrl: 'https://www.polaraccesslink.com', authUrl: 'https://flow.polar.com' };
// Polar's token endpoint lives on a third host. Settings know two, so an overridden auth URL (a fake or a proxy)
// serves the token path as well.
const POLAR_TOKEN_URL = 'https://polarremote.com/v2/oauth2/token';
const settings = (config: Config) => providerSettings(config, 'polar', DEFAULTS);

const DAY_MS = 86_400_000;
/** The date-range activity list takes at most 28 days per request and nothing older than 365 days. */
const ACTIVITY_RANGE_DAYS = 28;
const ACTIVITY_HISTORY_DAYS = 365;

const day = (date: Date) => date.toISOString().slice(0, 10);
const addDays = (date: string, days: number) => day(new Date(Date.parse(date) + days * DAY_MS));
const basicAuth = (s: OAuthSettings) => `Basic ${Buffer.from(`${s.clientId}:${s.clientSecret}`).toString('base64')}`;

/** Registers the user with our client, which AccessLink requires before any data; 409 means already registered. */
async function registerUser(apiUrl: string, accessToken: string, polarUserId: string): Promise<void> {
  const response = await fetch(`${apiUrl}/v3/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ 'member-id': `vitasync-${polarUserId}` }),
    redirect: 'error',
    signal: AbortSignal.timeout(15_000),
  });
  if (response.ok || response.status === 409) return;
  if (response.status === 403)
    throw new ProviderError('the Polar user has not accepted all mandatory consents at account.polar.com', 'unauthorized');
  throw new ProviderError(`Polar user registration answered ${response.status}`, 'unavailable');
}

/** The authorization-code grant as Polar documents it (x_user_id, no refresh token), then the registration. */
async function exchangeAndRegister(apiUrl: string, form: Record<string, string>, s: OAuthSettings, now: Date): Promise<TokenSet> {
  if (form.grant_type !== 'authorization_code')
    throw new ProviderError('Polar issues no refresh tokens: the user must connect again', 'unauthorized');
  const response = await fetch(s.tokenUrl, {
    method: 'POST',
    headers: { authorization: basicAuth(s), 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json;charset=UTF-8' },
    body: new URLSearchParams(form),
    redirect: 'error',
    signal: AbortSignal.timeout(15_000),
  });
  const json = (await response.json().catch(() => ({}))) as {
    access_token?: unknown;
    expires_in?: unknown;
    x_user_id?: unknown;
    error?: unknown;
  };
  if (response.status === 400 || response.status === 401)
    throw new ProviderError(`token endpoint refused: ${String(json.error ?? response.status)}`, 'unauthorized');
  if (!response.ok) throw new ProviderError(`token endpoint answered ${response.status}`, 'unavailable');
  if (typeof json.access_token !== 'string' || !json.access_token)
    throw new ProviderError('token response has no access_token', 'invalid_response');
  if (typeof json.x_user_id !== 'number' && typeof json.x_user_id !== 'string')
    throw new ProviderError('token response has no x_user_id', 'invalid_response');
  const polarUserId = String(json.x_user_id);
  await registerUser(apiUrl, json.access_token, polarUserId);
  const expiresIn = Number(json.expires_in);
  return {
    accessToken: json.access_token,
    refreshToken: null,
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: s.scopes,
    externalUserId: polarUserId,
  };
}

/** The user id from the polar_user link of any recent document, for a revocation that is handed only the token. */
async function polarUserIdFromData(apiUrl: string, accessToken: string): Promise<string | null> {
  for (const [path, list] of [
    ['/v3/users/sleep', 'nights'],
    ['/v3/users/nightly-recharge', 'recharges'],
    ['/v3/exercises', null],
  ] as const) {
    const body = await fetchProviderJson(`${apiUrl}${path}`, accessToken).catch(() => null);
    const rows = list ? (body as Record<string, unknown> | null)?.[list] : body;
    const id = Array.isArray(rows) ? rows.map(polarUserIdOf).find(Boolean) : null;
    if (id) return id;
  }
  return null;
}

/**
 * De-registration (DELETE /v3/users/{user-id}) is Polar's revocation: it revokes the token. The user id is the
 * connection's external id; connections made before it was recorded find it in their data.
 */
async function deregisterUser(apiUrl: string, accessToken: string, polarUserId?: string | null): Promise<boolean> {
  const userId = polarUserId ?? (await polarUserIdFromData(apiUrl, accessToken));
  if (!userId) return false;
  const response = await fetch(`${apiUrl}/v3/users/${encodeURIComponent(userId)}`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${accessToken}` },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

/** Daily activity by date range: one request per 28 days of the window; the page token is the next start date. */
async function activityPage(call: ProviderCall, apiUrl: string, window: SyncWindow, page: string | null): Promise<ProviderPage> {
  const oldest = day(new Date(window.to.getTime() - (ACTIVITY_HISTORY_DAYS - 1) * DAY_MS));
  const first = day(window.from) < oldest ? oldest : day(window.from);
  const from = page ?? first;
  const last = day(window.to);
  const rangeEnd = addDays(from, ACTIVITY_RANGE_DAYS - 1);
  const to = rangeEnd < last ? rangeEnd : last;
  const url = new URL(`${apiUrl}/v3/users/activities`);
  url.searchParams.set('from', from);
  url.searchParams.set('to', to);
  const rows = parseActivities(await call.fetchJson(url.toString()));
  return { samples: dailyActivitySamples(rows), events: [], nextPage: to < last ? addDays(to, 1) : null };
}

export const polarProvider: Provider = {
  id: 'polar',
  name: 'Polar',
  description: 'Polar watches and sensors: exercises, daily activity, Sleep Plus Stages and Nightly Recharge HRV (AccessLink v3).',
  authKind: 'oauth2',
  dataTypes: [
    'workout',
    'sleep',
    'steps',
    'active_energy',
    'distance',
    'active_minutes',
    'sleep_duration',
    'light_sleep_duration',
    'deep_sleep_duration',
    'rem_sleep_duration',
    'awake_duration',
    'sleep_score',
    'hrv_rmssd',
    'respiratory_rate',
    'resting_heart_rate',
  ],
  // AccessLink's daily activity by date range reaches back 365 days (the exercise and sleep lists hold ~28-30).
  historyDays: 365,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth2/authorization`,
      tokenUrl: s.authUrl === DEFAULTS.authUrl ? POLAR_TOKEN_URL : `${s.authUrl}/v2/oauth2/token`,
      scopes: ['accesslink.read_all'],
      pkce: false,
      clientAuth: 'basic',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: (form, oauth, now) => exchangeAndRegister(s.apiUrl, form, oauth, now),
      revoke: (token: string, _oauth: OAuthSettings, account: { externalUserId: string | null }) =>
        deregisterUser(s.apiUrl, token, account.externalUserId),
    };
  },
  // Polar's lists have no page tokens and no time filter (they hold the last 28–30 days): each is one page per
  // window, taken whole, because devices upload days late; stored rows are recognised by their natural keys.
  streams: ['exercises', 'activities', 'sleep', 'nightly_recharge'],
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    const { apiUrl } = settings(config);
    switch (stream) {
      case 'exercises':
        return { samples: [], events: workoutEvents(parseExercises(await call.fetchJson(`${apiUrl}/v3/exercises`))), nextPage: null };
      case 'activities':
        return activityPage(call, apiUrl, window, page);
      case 'sleep':
        return { ...sleepEventsAndSamples(parseNights(await call.fetchJson(`${apiUrl}/v3/users/sleep`))), nextPage: null };
      case 'nightly_recharge':
        return {
          samples: rechargeSamples(parseRecharges(await call.fetchJson(`${apiUrl}/v3/users/nightly-recharge`))),
          events: [],
          nextPage: null,
        };
      default:
        throw new Error(`Polar has no stream ${stream}`);
    }
  },
  parsePush: parsePolarPush,
};
