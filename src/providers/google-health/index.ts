import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderPage, TokenSet } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import { GOOGLE_DATA_TYPES, googleDataType, pointSamples, timeFilter, type GoogleDataPoint } from './mapping.js';
import { googlePushHandshake, parseGooglePush } from './push.js';
import { SESSION_PAGE_SIZE, SESSION_STREAMS, isSessionStream, sessionEvents, sessionFilter } from './sessions.js';

/**
 * Google Health API v4 (https://developers.google.com/health), which replaced the legacy Fitbit Web API: Google
 * OAuth 2.0 (accounts.google.com consent with access_type=offline and prompt=consent so a refresh token comes
 * back; tokens and RFC 7009 revocation at oauth2.googleapis.com), the user's id from GET /v4/users/me/identity
 * (`healthUserId`, which notifications name), and data points from
 * GET /v4/users/me/dataTypes/{dataType}/dataPoints?filter=…&pageSize=…&pageToken=… ({ dataPoints, nextPageToken }).
 */
const DEFAULTS = {
  apiUrl: 'https://health.googleapis.com',
  authUrl: 'https://accounts.google.com',
  tokenUrl: 'https://oauth2.googleapis.com',
};
const settings = (config: Config) => providerSettings(config, 'google-health', DEFAULTS);

/** The read-only scopes of the data types read (Google Health API data types table, "Scope" column). */
const SCOPES = [
  'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly',
  'https://www.googleapis.com/auth/googlehealth.health_metrics_and_measurements.readonly',
  // The sleep data type's scope (exercise is under activity_and_fitness).
  'https://www.googleapis.com/auth/googlehealth.sleep.readonly',
];
const PAGE_SIZE = 1000;
/**
 * Every window reaches this far further back: the filter is on when a point was measured, and a watch syncs hours
 * or days after (a notification's intervals say so), so points measured before the last sync arrive after it.
 * Re-read points are duplicates by their natural key.
 */
const LOOKBACK_MS = 2 * 86_400_000;

async function identity(apiUrl: string, accessToken: string): Promise<string> {
  const body = (await fetchProviderJson(`${apiUrl}/v4/users/me/identity`, accessToken)) as { healthUserId?: unknown } | null;
  if (typeof body?.healthUserId !== 'string' || !body.healthUserId)
    throw new ProviderError('Google Health identity answered without a healthUserId', 'invalid_response');
  return body.healthUserId;
}

async function requestTokens(form: Record<string, string>, oauth: OAuthSettings, now: Date, apiUrl: string): Promise<TokenSet> {
  const json = await postTokenForm(oauth, form);
  const tokens = standardTokenSet(json, oauth, form, now);
  return { ...tokens, externalUserId: form.grant_type === 'authorization_code' ? await identity(apiUrl, json.access_token) : null };
}

/** Google's revocation takes the token alone in a form (no client authentication). */
async function revoke(token: string, oauth: OAuthSettings): Promise<boolean> {
  const response = await fetch(oauth.revokeUrl!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

/** A dataPoints.list answer: its points, and the next page's token (the only sign that more remain). */
function pointsOf(answer: unknown, typeId: string): { points: GoogleDataPoint[]; next: string | null } {
  const body = answer as { dataPoints?: unknown; nextPageToken?: unknown } | null;
  const points = body?.dataPoints ?? [];
  if (!Array.isArray(points))
    throw new ProviderError(`Google Health ${typeId} answered dataPoints that are not a list`, 'invalid_response');
  const next = typeof body?.nextPageToken === 'string' && body.nextPageToken ? body.nextPageToken : null;
  return { points: points as GoogleDataPoint[], next };
}

export const googleHealthProvider: Provider = {
  id: 'google-health',
  name: 'Google Health',
  description:
    'Google Health API (Fitbit and Pixel devices, the successor of the Fitbit Web API): steps, distance, heart rate, weight, sleep sessions with stages and workouts, with webhook notifications.',
  authKind: 'oauth2',
  dataTypes: [...new Set(GOOGLE_DATA_TYPES.map((type) => type.metricType)), 'sleep', 'workout'],
  // The data points list documents no limit on how far back a user's points go.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/o/oauth2/v2/auth`,
      tokenUrl: `${s.tokenUrl}/token`,
      revokeUrl: `${s.tokenUrl}/revoke`,
      scopes: SCOPES,
      pkce: true,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      extraAuthorizeParams: { access_type: 'offline', prompt: 'consent', include_granted_scopes: 'true' },
      tokenRequest: (form, oauth, now) => requestTokens(form, oauth, now, s.apiUrl),
      revoke: (token, oauth) => revoke(token, oauth),
    };
  },
  streams: [...GOOGLE_DATA_TYPES.map((type) => type.id), ...SESSION_STREAMS],
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    if (isSessionStream(stream)) {
      const url = new URL(`${settings(config).apiUrl}/v4/users/me/dataTypes/${stream}/dataPoints`);
      url.searchParams.set('filter', sessionFilter(stream, new Date(window.from.getTime() - LOOKBACK_MS), window.to));
      url.searchParams.set('pageSize', String(SESSION_PAGE_SIZE));
      if (page) url.searchParams.set('pageToken', page);
      const { points, next } = pointsOf(await call.fetchJson(url.toString()), stream);
      return { samples: [], ...sessionEvents(stream, points), nextPage: next };
    }
    const type = googleDataType(stream);
    if (!type) throw new Error(`Google Health has no stream ${stream}`);
    const url = new URL(`${settings(config).apiUrl}/v4/users/me/dataTypes/${type.id}/dataPoints`);
    url.searchParams.set('filter', timeFilter(type, new Date(window.from.getTime() - LOOKBACK_MS), window.to));
    url.searchParams.set('pageSize', String(PAGE_SIZE));
    if (page) url.searchParams.set('pageToken', page);
    const { points, next } = pointsOf(await call.fetchJson(url.toString()), type.id);
    return { ...pointSamples(type, points), events: [], nextPage: next };
  },
  parsePush: parseGooglePush,
  pushHandshake: googlePushHandshake,
};
