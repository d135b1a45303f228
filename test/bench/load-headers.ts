import type autocannon from 'autocannon';

/** What the rate-limit runs found in the headers of every response autocannon received. */
export interface HeaderCheck {
  accepted: { seen: number; withHeaders: number };
  limited: { seen: number; withHeaders: number };
  /** Retry-After seconds over all 429s (null without any). */
  retryAfter: { min: number; max: number } | null;
  /** The first response that failed the check, for the report. */
  firstProblem: string | null;
}

type Headers = Record<string, string | string[]>;

function lowerCased(headers: Headers): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value]),
  );
}

const positiveInteger = (value: string | undefined) => value !== undefined && /^\d+$/.test(value) && Number(value) > 0;

/**
 * An autocannon `onResponse` hook checking, on every response: RateLimit-Limit (the configured limit),
 * RateLimit-Remaining and RateLimit-Reset on 2xx and 429, and on 429 also Remaining 0 and a Retry-After of
 * 1…window seconds.
 */
export function checkRateLimitHeaders(
  limit: number,
  windowSeconds: number,
): { onResponse: NonNullable<autocannon.Request['onResponse']>; result(): HeaderCheck } {
  const check: HeaderCheck = {
    accepted: { seen: 0, withHeaders: 0 },
    limited: { seen: 0, withHeaders: 0 },
    retryAfter: null,
    firstProblem: null,
  };
  const onResponse = (status: number, _body: string, _context: Record<string, unknown>, raw: Headers) => {
    const headers = lowerCased(raw);
    const common =
      headers['ratelimit-limit'] === String(limit) &&
      headers['ratelimit-remaining'] !== undefined &&
      /^\d+$/.test(headers['ratelimit-remaining']) &&
      positiveInteger(headers['ratelimit-reset']);
    let ok: boolean;
    if (status === 429) {
      check.limited.seen += 1;
      const retryAfter = Number(headers['retry-after']);
      ok = common && headers['ratelimit-remaining'] === '0' && positiveInteger(headers['retry-after']) && retryAfter <= windowSeconds;
      if (ok) {
        check.limited.withHeaders += 1;
        check.retryAfter = {
          min: Math.min(check.retryAfter?.min ?? retryAfter, retryAfter),
          max: Math.max(check.retryAfter?.max ?? retryAfter, retryAfter),
        };
      }
    } else if (status >= 200 && status < 300) {
      check.accepted.seen += 1;
      ok = common;
      if (ok) check.accepted.withHeaders += 1;
    } else {
      ok = false;
    }
    if (!ok && !check.firstProblem) {
      const shown = ['ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset', 'retry-after'].map(
        (name) => `${name}=${headers[name] ?? '∅'}`,
      );
      check.firstProblem = `${status} ${shown.join(' ')}`;
    }
  };
  return { onResponse, result: () => check };
}
