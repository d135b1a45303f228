import type { Config } from '../../config.js';
import { ProviderError } from '../provider-error.js';
import type { ProviderCall } from '../provider.js';
import { providerSettings } from '../settings.js';

/**
 * Withings Public API (https://developer.withings.com/api-reference): consent at account.withings.com, tokens and
 * data at wbsapi.withings.net. Every answer is HTTP 200 with { status, body, error }: status 0 is success, 401 an
 * invalid token, 601 the rate limit (120 requests a minute per application, with no Retry-After).
 */
const DEFAULTS = { apiUrl: 'https://wbsapi.withings.net', authUrl: 'https://account.withings.com' };
export const settings = (config: Config) => providerSettings(config, 'withings', DEFAULTS);
const RATE_LIMIT_WAIT_SECONDS = 60;

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The `body` of a successful answer; a failed status becomes the ProviderError a sync acts on. */
export function unwrap(answer: unknown, action: string, failure: 'unauthorized' | 'unavailable'): Record<string, unknown> {
  if (!isObject(answer) || typeof answer.status !== 'number')
    throw new ProviderError(`Withings ${action} answered without a status`, 'invalid_response');
  const detail = typeof answer.error === 'string' ? `: ${answer.error.slice(0, 200)}` : '';
  if (answer.status === 601)
    throw new ProviderError(`Withings ${action} answered status 601 (rate limit)`, 'rate_limited', RATE_LIMIT_WAIT_SECONDS);
  if (answer.status === 401) throw new ProviderError(`Withings ${action} refused the token${detail}`, 'unauthorized');
  if (answer.status !== 0) throw new ProviderError(`Withings ${action} answered status ${answer.status}${detail}`, failure);
  if (!isObject(answer.body)) throw new ProviderError(`Withings ${action} answered without a body`, 'invalid_response');
  return answer.body;
}

/** A form POST without a bearer token (tokens, nonces, revocation). */
export async function postForm(
  url: string,
  form: Record<string, string>,
  failure: 'unauthorized' | 'unavailable',
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form),
      redirect: 'error',
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    throw new ProviderError(`Withings ${form.action} failed: ${(error as Error).message}`, 'unavailable');
  }
  if (!response.ok) throw new ProviderError(`Withings ${form.action} answered HTTP ${response.status}`, 'unavailable');
  return unwrap(await response.json().catch(() => null), form.action ?? 'call', failure);
}

/**
 * OAuth 2.0 - Revoke user access names the user, not a token, yet Provider.oauth.revoke is handed only the stored
 * access token: so the stored access token is "<userid>:<token>" and data calls send only the token part.
 */
export const packToken = (userId: string, token: string) => `${userId}:${token}`;

export function unpackToken(stored: string): { userId: string | null; token: string } {
  const at = stored.indexOf(':');
  return at > 0 ? { userId: stored.slice(0, at), token: stored.slice(at + 1) } : { userId: null, token: stored };
}

/** A data call with the connection's token (the token part of the stored value), answering the unwrapped body. */
export async function dataCall(
  call: ProviderCall,
  config: Config,
  path: string,
  form: Record<string, string>,
): Promise<Record<string, unknown>> {
  const answer = await call.fetchJson(`${settings(config).apiUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${unpackToken(call.accessToken).token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return unwrap(answer, form.action ?? path, 'unavailable');
}
