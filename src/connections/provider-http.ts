import { ProviderError } from '../providers/provider-error.js';

/** Provider answers larger than this are refused: no provider page is anywhere near it. */
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

/**
 * GET (or other) JSON from a provider with the connection's bearer token: 429 becomes a rate_limited error with
 * Retry-After, 401/403 unauthorized, 5xx unavailable, a malformed body invalid_response; redirects are refused.
 */
export async function fetchProviderJson(url: string, accessToken: string, init: RequestInit = {}): Promise<unknown> {
  const headers = new Headers(init.headers);
  if (accessToken && !headers.has('authorization')) headers.set('authorization', `Bearer ${accessToken}`);
  headers.set('accept', 'application/json');
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    throw new ProviderError(`provider request failed: ${(error as Error).message}`, 'unavailable');
  }
  if (response.status === 429) {
    // Retry-After (RFC 9110) where given; some providers (WHOOP) document X-RateLimit-Reset, seconds to the reset.
    // Polar sends "RateLimit-Reset: <short>, <long>": the first figure is the wait.
    const hints = [response.headers.get('retry-after'), response.headers.get('x-ratelimit-reset'), response.headers.get('ratelimit-reset')?.split(',')[0] ?? null];
    const wait = hints.filter((hint) => hint !== null && hint.trim() !== '').map(Number).find((value) => Number.isFinite(value) && value >= 0);
    throw new ProviderError('provider rate limit reached', 'rate_limited', wait ?? 60);
  }
  if (response.status === 401 || response.status === 403) throw new ProviderError(`provider answered ${response.status}`, 'unauthorized');
  if (!response.ok) throw new ProviderError(`provider answered ${response.status}`, 'unavailable');
  const text = await response.text();
  if (response.status === 204 || text.trim() === '') return null;
  if (text.length > MAX_RESPONSE_BYTES) throw new ProviderError('provider answer is too large', 'invalid_response');
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError('provider answer is not JSON', 'invalid_response');
  }
}
