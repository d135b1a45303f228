import type { Config } from '../../config.js';
import { fetchProviderJson } from '../../connections/provider-http.js';
import { sameSecret } from '../../lib/signing.js';
import { postTokenForm, standardTokenSet } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderPage, PushNotice, PushRequest, TokenSet } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import { workoutEvent, type WahooWorkout } from './mapping.js';

/**
 * Wahoo Cloud API v1 (https://cloud-api.wahooligan.com; OpenAPI copy in api-evangelist/wahoo): OAuth 2.0 at
 * api.wahooligan.com/oauth/authorize and /oauth/token (client credentials in the form; access tokens live 2 hours,
 * refresh tokens are single-use), GET /v1/user ({ id }), GET /v1/workouts?page&per_page (per_page at most 100;
 * { workouts, total, page, per_page }: no time filter, so a sync pages the list and keeps the workouts started or
 * updated within its window: `updated_at` catches one recorded offline and uploaded days later), DELETE
 * /v1/permissions to revoke. Webhooks (offline_data scope): a POST { event: "workout_summary", user: { id },
 * webhook_token, workout_summary } to the app's callback, its webhook_token the one set in the developer portal.
 */
const DEFAULTS = { apiUrl: 'https://api.wahooligan.com', authUrl: 'https://api.wahooligan.com' };
const settings = (config: Config) => providerSettings(config, 'wahoo', DEFAULTS);
export const WEBHOOK_TOKEN_ENV = 'WAHOO_WEBHOOK_TOKEN';
const PER_PAGE = 100;

async function requestTokens(form: Record<string, string>, oauth: OAuthSettings, now: Date, apiUrl: string): Promise<TokenSet> {
  const json = await postTokenForm(oauth, form);
  const tokens = standardTokenSet(json, oauth, form, now);
  if (form.grant_type !== 'authorization_code') return tokens;
  const user = (await fetchProviderJson(`${apiUrl}/v1/user`, json.access_token)) as { id?: unknown } | null;
  if (typeof user?.id !== 'number' && typeof user?.id !== 'string')
    throw new ProviderError('Wahoo user answered without an id', 'invalid_response');
  return { ...tokens, externalUserId: String(user.id) };
}

async function revokePermissions(token: string, apiUrl: string): Promise<boolean> {
  const response = await fetch(`${apiUrl}/v1/permissions`, {
    method: 'DELETE',
    headers: { authorization: `Bearer ${token}` },
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

function parseWahooPush(request: PushRequest, config: Config): PushNotice[] {
  const expected = config.env[WEBHOOK_TOKEN_ENV];
  if (!expected) throw new ProviderError(`${WEBHOOK_TOKEN_ENV} is not set, so no Wahoo webhook can be trusted`, 'unauthorized');
  type Event = { event?: unknown; user?: { id?: unknown }; webhook_token?: unknown } | null;
  let body: Event;
  try {
    body = JSON.parse(request.body) as Event;
  } catch {
    body = null; // an unreadable body carries no token either
  }
  if (typeof body?.webhook_token !== 'string' || !sameSecret(body.webhook_token, expected))
    throw new ProviderError(`webhook_token does not match ${WEBHOOK_TOKEN_ENV}`, 'unauthorized');
  const id = body.user?.id;
  if (body.event !== 'workout_summary' || (typeof id !== 'number' && typeof id !== 'string')) return [];
  return [{ externalUserId: String(id) }];
}

export const wahooProvider: Provider = {
  id: 'wahoo',
  name: 'Wahoo',
  description:
    'Wahoo ELEMNT bike computers, KICKR trainers and the Wahoo app: workouts with distance, energy and heart rate (Cloud API v1).',
  authKind: 'oauth2',
  dataTypes: ['workout'],
  // The workouts list reaches back to the user's first workout.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth/authorize`,
      tokenUrl: `${s.authUrl}/oauth/token`,
      scopes: ['user_read', 'workouts_read', 'offline_data'],
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: (form, oauth, now) => requestTokens(form, oauth, now, s.apiUrl),
      revoke: (token) => revokePermissions(token, s.apiUrl),
    };
  },
  streams: ['workouts'],
  async fetchPage(call, _stream, window, page, config): Promise<ProviderPage> {
    const current = page ? Number(page) : 1;
    const url = new URL(`${settings(config).apiUrl}/v1/workouts`);
    url.searchParams.set('page', String(current));
    url.searchParams.set('per_page', String(PER_PAGE));
    const body = (await call.fetchJson(url.toString())) as { workouts?: unknown; total?: unknown } | null;
    if (!Array.isArray(body?.workouts))
      throw new ProviderError('Wahoo answered a workouts page without a workouts list', 'invalid_response');
    const workouts = body.workouts as WahooWorkout[];
    const from = window.from.getTime();
    const inWindow = workouts.filter((w) => Math.max(Date.parse(w.starts) || 0, Date.parse(w.updated_at ?? '') || 0) >= from);
    const mapped = inWindow.map(workoutEvent);
    const total = typeof body.total === 'number' ? body.total : 0;
    return {
      samples: [],
      events: mapped.filter((event) => typeof event !== 'string'),
      rejected: mapped.filter((event): event is string => typeof event === 'string'),
      nextPage: current * PER_PAGE < total && workouts.length > 0 ? String(current + 1) : null,
    };
  },
  parsePush: parseWahooPush,
};
