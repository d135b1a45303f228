import { Redis } from 'ioredis';

/** The outcome of counting one request against its caller's window. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
}

export interface RateLimiter {
  hit(key: string): Promise<RateLimitResult>;
  close(): Promise<void>;
}

export interface RateLimitOptions {
  max: number;
  windowSeconds: number;
}

function result(options: RateLimitOptions, count: number, resetMs: number): RateLimitResult {
  return {
    allowed: count <= options.max,
    limit: options.max,
    remaining: Math.max(0, options.max - count),
    resetSeconds: Math.max(1, Math.ceil(resetMs / 1000)),
  };
}

/** Fixed windows in process memory: right for one instance. */
export function memoryRateLimiter(options: RateLimitOptions, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return {
    async hit(key) {
      const at = now();
      let window = windows.get(key);
      if (!window || window.resetAt <= at) {
        window = { count: 0, resetAt: at + options.windowSeconds * 1000 };
        windows.set(key, window);
        if (windows.size > 100_000) for (const [k, w] of windows) if (w.resetAt <= at) windows.delete(k);
      }
      window.count += 1;
      return result(options, window.count, window.resetAt - at);
    },
    close: async () => undefined,
  };
}

// INCR and the first PEXPIRE in one atomic step, so a crash between them cannot leave a window without expiry.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { count, redis.call('PTTL', KEYS[1]) }`;

/** Fixed windows in Redis: one limit shared by every instance. */
export function redisRateLimiter(url: string, options: RateLimitOptions): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  return {
    async hit(key) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `vitasync:rl:${key}`, options.windowSeconds * 1000)) as [number, number];
      return result(options, count, ttl > 0 ? ttl : options.windowSeconds * 1000);
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

export function rateLimitHeaders(outcome: RateLimitResult): Record<string, string> {
  return {
    'RateLimit-Limit': String(outcome.limit),
    'RateLimit-Remaining': String(outcome.remaining),
    'RateLimit-Reset': String(outcome.resetSeconds),
  };
}
