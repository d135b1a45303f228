import type { Config } from '../../config.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderCall, ProviderPage, SyncWindow, TokenSet } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import { dailyStepSamples, workoutEvent, type SuuntoStatistic, type SuuntoWorkout } from './mapping.js';
import { parseSuuntoPush } from './push.js';

/**
 * Suunto Cloud API (apizone.suunto.com, "How to start" and the API pages it links):
 * - OAuth 2.0 at cloudapi-oauth.suunto.com: /oauth/authorize (response_type=code, no scope parameter), /oauth/token
 *   with the client's id and secret as HTTP Basic (RFC 7617). Tokens are JWTs: "Token expiration time … is in the
 *   exp token attribute" (Authorisation API, Token), and the FAQ names the custom `user` claim, the Suunto username
 *   that notifications carry. No revocation endpoint is documented, so a disconnect forgets the tokens only.
 * - Every API call also carries the subscription key of the app's Developer API subscription in
 *   Ocp-Apim-Subscription-Key ("How to start", 1); without it the gateway answers 401.
 * - Workouts: GET /v2/workouts?since&until (epoch milliseconds, the unit of every Suunto timestamp)&limit&offset and
 *   filter-by-modification-time=true, so a workout synced from the watch days after it was recorded falls in the
 *   window it was uploaded in; answers { error, metadata, payload: [workout] }. The list operation's own page was not
 *   retrievable; its parameters are those clients use against the live service.
 * - Daily activity: GET /247samples/daily-activity-statistics?startdate&enddate (ISO 8601 date-times, UTC; "Maximum
 *   fetch interval duration is 28 days"), so longer windows are asked in pieces.
 */
const DEFAULTS = { apiUrl: 'https://cloudapi.suunto.com', authUrl: 'https://cloudapi-oauth.suunto.com' };
const settings = (config: Config) => providerSettings(config, 'suunto', DEFAULTS);
export const SUBSCRIPTION_KEY_ENV = 'SUUNTO_SUBSCRIPTION_KEY';
const WORKOUTS_PER_PAGE = 100;
const DAY_MS = 86_400_000;
const MAX_STATISTICS_DAYS = 28;

/** The claims of a JWT, unverified: the token came straight from Suunto's token endpoint over TLS. */
function jwtClaims(token: string): { user?: unknown; exp?: unknown } {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { user?: unknown; exp?: unknown };
  } catch {
    return {};
  }
}

async function requestTokens(form: Record<string, string>, oauth: OAuthSettings, now: Date): Promise<TokenSet> {
  const json = await postTokenForm(oauth, form);
  const tokens = standardTokenSet(json, oauth, form, now);
  const claims = jwtClaims(json.access_token);
  const exp = typeof claims.exp === 'number' ? new Date(claims.exp * 1000) : null;
  const user = claims.user ?? (json as { user?: unknown }).user;
  if (form.grant_type === 'authorization_code' && (typeof user !== 'string' || !user))
    throw new ProviderError('Suunto token carries no user claim', 'invalid_response');
  return { ...tokens, expiresAt: exp ?? tokens.expiresAt, externalUserId: typeof user === 'string' ? user : null };
}

function subscriptionHeaders(config: Config): RequestInit {
  return { headers: { 'ocp-apim-subscription-key': config.env[SUBSCRIPTION_KEY_ENV] ?? '' } };
}

async function workoutsPage(call: ProviderCall, window: SyncWindow, page: string | null, config: Config): Promise<ProviderPage> {
  const offset = page ? Number(page) : 0;
  const url = new URL(`${settings(config).apiUrl}/v2/workouts`);
  url.searchParams.set('since', String(window.from.getTime()));
  url.searchParams.set('until', String(window.to.getTime()));
  url.searchParams.set('limit', String(WORKOUTS_PER_PAGE));
  url.searchParams.set('offset', String(offset));
  url.searchParams.set('filter-by-modification-time', 'true');
  const body = (await call.fetchJson(url.toString(), subscriptionHeaders(config))) as { payload?: unknown } | null;
  if (!Array.isArray(body?.payload)) throw new ProviderError('Suunto answered a workouts page without a payload list', 'invalid_response');
  const mapped = (body.payload as SuuntoWorkout[]).map(workoutEvent);
  return {
    samples: [],
    events: mapped.filter((event) => typeof event !== 'string'),
    rejected: mapped.filter((event): event is string => typeof event === 'string'),
    nextPage: body.payload.length === WORKOUTS_PER_PAGE ? String(offset + WORKOUTS_PER_PAGE) : null,
  };
}

/** ISO 8601 without a zone, as the documentation's example (the API reads it as UTC). */
const utcDateTime = (ms: number) => new Date(ms).toISOString().slice(0, 19);

async function dailyActivityPage(call: ProviderCall, window: SyncWindow, page: string | null, config: Config): Promise<ProviderPage> {
  // Whole UTC days, so each statistic is one calendar day; at most 28 of them per request.
  const start = page ? Number(page) : Math.floor(window.from.getTime() / DAY_MS) * DAY_MS;
  const lastDay = Math.floor(window.to.getTime() / DAY_MS) * DAY_MS;
  const end = Math.min(start + MAX_STATISTICS_DAYS * DAY_MS, lastDay + DAY_MS);
  const url = new URL(`${settings(config).apiUrl}/247samples/daily-activity-statistics`);
  url.searchParams.set('startdate', utcDateTime(start));
  // The documentation's end is inclusive (…T01:59:59 after a …T02:00:00 start).
  url.searchParams.set('enddate', utcDateTime(end - 1000));
  const body = await call.fetchJson(url.toString(), subscriptionHeaders(config));
  if (!Array.isArray(body)) throw new ProviderError('Suunto answered daily statistics that are not a list', 'invalid_response');
  return { samples: dailyStepSamples(body as SuuntoStatistic[]), events: [], nextPage: end <= lastDay ? String(end) : null };
}

export const suuntoProvider: Provider = {
  id: 'suunto',
  name: 'Suunto',
  description:
    'Suunto watches through the Suunto app: workouts with distance, energy, heart rate and ascent, and daily steps (Suunto Cloud API).',
  authKind: 'oauth2',
  dataTypes: ['workout', 'steps'],
  // The workouts list and the daily statistics document no limit on how far back they reach.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)) && !!config.env[SUBSCRIPTION_KEY_ENV],
  requiredSettings: [SUBSCRIPTION_KEY_ENV],
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth/authorize`,
      tokenUrl: `${s.authUrl}/oauth/token`,
      scopes: [],
      pkce: false,
      clientAuth: 'basic',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: requestTokens,
    };
  },
  streams: ['workouts', 'daily-activity'],
  fetchPage(call, stream, window, page, config) {
    if (stream === 'workouts') return workoutsPage(call, window, page, config);
    if (stream === 'daily-activity') return dailyActivityPage(call, window, page, config);
    throw new Error(`Suunto has no stream ${stream}`);
  },
  parsePush: parseSuuntoPush,
};
