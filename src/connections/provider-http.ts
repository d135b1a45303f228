import { readCappedText } from '../lib/read-capped.js';
import { ProviderError } from '../providers/provider-error.js';

/**
 * What a provider answer may cost us. No provider page is anywhere near 20 MB; a provider that has not answered
 * in 30 s is down for this attempt (the activity retries with backoff).
 */
export interface ProviderLimits {
  maxResponseBytes: number;
  timeoutMs: number;
}

export const PROVIDER_LIMITS: ProviderLimits = { maxResponseBytes: 20 * 1024 * 1024, timeoutMs: 30_000 };

/** The body as text, refused as soon as it passes the limit (announced or streamed): never buffered whole. */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () => new ProviderError(`provider answer is larger than ${maxBytes} bytes`, 'invalid_response');
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  return readCappedText(response.body, maxBytes, tooLarge);
}

/**
 * GET (or other) JSON from a provider with the connection's bearer token: 429 becomes a rate_limited error with
 * Retry-After, 401/403 unauthorized, 5xx and timeouts unavailable, a malformed, oversized or redirecting answer
 * invalid_response.
 */
export async function fetchProviderJson(
  url: string,
  accessToken: string,
  init: RequestInit = {},
  limits: ProviderLimits = PROVIDER_LIMITS,
): Promise<unknown> {
  const headers = new Headers(init.headers);
  if (accessToken && !headers.has('authorization')) headers.set('authorization', `Bearer ${accessToken}`);
  headers.set('accept', 'application/json');
  let response: Response;
  try {
    // Redirects are refused rather than followed: a provider API does not move, and a redirect to an internal
    // address is how a hostile answer would reach it (SSRF).
    response = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(limits.timeoutMs) });
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new ProviderError(
      timedOut ? `provider did not answer within ${limits.timeoutMs} ms` : `provider request failed: ${(error as Error).message}`,
      'unavailable',
    );
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new ProviderError(`provider answered with a redirect (${response.status}), which is not followed`, 'invalid_response');
  }
  if (response.status === 429) {
    // Retry-After (RFC 9110) where given; some providers (WHOOP) document X-RateLimit-Reset, seconds to the reset.
    // Polar sends "RateLimit-Reset: <short>, <long>": the first figure is the wait.
    const hints = [
      response.headers.get('retry-after'),
      response.headers.get('x-ratelimit-reset'),
      response.headers.get('ratelimit-reset')?.split(',')[0] ?? null,
    ];
    const wait = hints
      .filter((hint) => hint !== null && hint.trim() !== '')
      .map(Number)
      .find((value) => Number.isFinite(value) && value >= 0);
    throw new ProviderError('provider rate limit reached', 'rate_limited', wait ?? 60, 429);
  }
  if (response.status === 401 || response.status === 403)
    throw new ProviderError(`provider answered ${response.status}`, 'unauthorized', null, response.status);
  if (!response.ok) {
    await response.body?.cancel();
    throw new ProviderError(`provider answered ${response.status}`, 'unavailable', null, response.status);
  }
  // Also while reading: a provider that stalls mid-body hits the same deadline.
  let text: string;
  try {
    text = await readLimited(response, limits.maxResponseBytes);
  } catch (error) {
    if (error instanceof ProviderError) throw error;
    const timedOut = (error as Error).name === 'TimeoutError';
    throw new ProviderError(
      timedOut ? `provider did not answer within ${limits.timeoutMs} ms` : `provider answer broke off: ${(error as Error).message}`,
      'unavailable',
    );
  }
  if (response.status === 204 || text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError('provider answer is not JSON', 'invalid_response');
  }
}
