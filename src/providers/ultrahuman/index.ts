import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderPage, TokenSet } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import { metricSamples, type UltrahumanMetric } from './mapping.js';

/**
 * Ultrahuman Partner API with OAuth 2.0 (vision.ultrahuman.com/developer-docs?type=oauth, "OAuth 2.0 Provider
 * Documentation"; ultrahuman.com "Accessing the Ultrahuman Partnership API"):
 * - GET /authorize (response_type=code, client_id, redirect_uri, space-separated scope, state) on the auth host;
 *   POST /api/partners/oauth/token on partner.ultrahuman.com with client_id and client_secret in the form, for
 *   authorization_code and refresh_token. Access tokens are valid for a week. Scopes: `profile` (the /user_info API:
 *   the user's ID and time zone) and `ring_data` (ring metrics in the /metrics API); `cgm_data` is not asked.
 * - Data calls carry Authorization: Bearer. The metrics are asked one `date` (YYYY-MM-DD) at a time, and "when using
 *   date, data is fetched for the entire day in user's timezone" (UltraSignal API, Important Notes): a window's
 *   instants are the user's local days, which may begin up to 14 hours before or 12 after the UTC date, so the
 *   dates asked run from the day before the window's first UTC date to the day after its last. Data paths as clients
 *   that run against the live service call them (/api/partners/v1/user_data/…); the documentation names the APIs
 *   without their full paths.
 * - Ultrahuman documents no webhooks, no revocation and no history limit: syncs are scheduled, a disconnect forgets
 *   the tokens.
 */
const DEFAULTS = {
  apiUrl: 'https://partner.ultrahuman.com',
  authUrl: 'https://auth.ultrahuman.com',
  tokenUrl: 'https://partner.ultrahuman.com',
};
const settings = (config: Config) => providerSettings(config, 'ultrahuman', DEFAULTS);
const DAY_MS = 86_400_000;
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The user's id from the /user_info API (profile scope), at the top of the answer or under `data`. */
async function userIdOf(accessToken: string, apiUrl: string): Promise<string> {
  type Info = { user_id?: unknown; id?: unknown } | null;
  const body = (await fetchProviderJson(`${apiUrl}/api/partners/v1/user_data/user_info`, accessToken)) as (Info & { data?: Info }) | null;
  const info = body?.data ?? body;
  const id = info?.user_id ?? info?.id;
  if (typeof id !== 'number' && typeof id !== 'string')
    throw new ProviderError('Ultrahuman user_info answered without a user id', 'invalid_response');
  return String(id);
}

async function requestTokens(form: Record<string, string>, oauth: OAuthSettings, now: Date, apiUrl: string): Promise<TokenSet> {
  const json = await postTokenForm(oauth, form);
  const tokens = standardTokenSet(json, oauth, form, now);
  if (form.grant_type !== 'authorization_code') return tokens;
  return { ...tokens, externalUserId: await userIdOf(json.access_token, apiUrl) };
}

/** The day's metric list: `data.metric_data`, or the per-date `data.metrics[date]` of the first Partnership API. */
function metricsOf(body: unknown, date: string): UltrahumanMetric[] | null {
  const data = (body as { data?: { metric_data?: unknown; metrics?: Record<string, unknown> } } | null)?.data;
  const list = data?.metric_data ?? data?.metrics?.[date];
  return Array.isArray(list) ? (list as UltrahumanMetric[]) : null;
}

export const ultrahumanProvider: Provider = {
  id: 'ultrahuman',
  name: 'Ultrahuman',
  description: 'Ultrahuman Ring AIR: heart rate, steps, skin temperature and VO2 max (Partner API, OAuth 2.0).',
  authKind: 'oauth2',
  dataTypes: ['heart_rate', 'steps', 'skin_temperature', 'vo2max'],
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/authorize`,
      tokenUrl: `${s.tokenUrl}/api/partners/oauth/token`,
      scopes: ['profile', 'ring_data'],
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: (form, oauth, now) => requestTokens(form, oauth, now, s.apiUrl),
    };
  },
  streams: ['metrics'],
  // One page per local date: the page is the date to ask.
  async fetchPage(call, _stream, window, page, config): Promise<ProviderPage> {
    const date = page ?? isoDate(window.from.getTime() - DAY_MS);
    const last = isoDate(window.to.getTime() + DAY_MS);
    const url = new URL(`${settings(config).apiUrl}/api/partners/v1/user_data/metrics`);
    url.searchParams.set('date', date);
    const metrics = metricsOf(await call.fetchJson(url.toString()), date);
    if (!metrics) throw new ProviderError(`Ultrahuman answered ${date} without a metric list`, 'invalid_response');
    const { samples, rejected } = metricSamples(metrics, date);
    return { samples, events: [], rejected, nextPage: date < last ? isoDate(Date.parse(`${date}T00:00:00Z`) + DAY_MS) : null };
  },
};
