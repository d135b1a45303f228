import { Redis } from 'ioredis';
import { log } from './logger.js';

/**
 * The rows every request reads before its work — its API key, and the user its path names — kept in memory so a
 * read costs no query for them. Correctness rests on one generation number, shared by every instance through
 * Redis when REDIS_URL is set (one GET per request, far cheaper than the queries it saves) and in-process
 * otherwise:
 *
 * - a request reads the generation once, at its start (`snapshot`), and uses only entries filled under it;
 * - a change that must be seen at once (a key deleted or rotated, a user updated or deleted) bumps it after its
 *   transaction commits (`invalidate`), so the next request on any instance refills from the database;
 * - a fill that started before the bump (it may have read the row before the commit) is tagged with the older
 *   generation and so is never served after the bump: the race between a stale fill and an invalidation is lost
 *   by the fill.
 *
 * Expiry needs no invalidation: entries keep the key's `expiresAt` and `revokedAt` (a rotation's end of grace), and
 * the caller checks them against the clock on every request. The TTL (LOOKUP_CACHE_TTL_SECONDS, default 30 s) is a
 * safety net for a bump that never happened (an instance dying between its commit and its bump, a row changed by
 * hand in the database); 0 turns the cache off, and every request reads the database as before.
 */
export interface LookupCache {
  /** The cache as of now, for one request. */
  snapshot(): Promise<LookupSnapshot>;
  /** Makes every entry filled so far unusable, on every instance. Call after the change has committed. */
  invalidate(): Promise<void>;
  close(): Promise<void>;
}

export interface LookupSnapshot {
  /** The cached value of `key`, or `fill()`'s (cached unless null: unknown keys and users are not remembered). */
  read<T extends object>(key: string, fill: () => Promise<T | null>): Promise<T | null>;
}

interface Entry {
  generation: number;
  storedAt: number;
  value: object;
}

/** Entries beyond this many push out the oldest (a workspace's keys and active users fit many times over). */
export const LOOKUP_CACHE_MAX_ENTRIES = 10_000;

const REDIS_GENERATION_KEY = 'vitasync:lookup-generation';

/** The generation number's home: this process, or Redis (shared by every instance). */
interface GenerationStore {
  current(): Promise<number>;
  bump(): Promise<void>;
  close(): Promise<void>;
}

function localGeneration(): GenerationStore {
  let generation = 0;
  return {
    current: async () => generation,
    bump: async () => {
      generation += 1;
    },
    close: async () => undefined,
  };
}

function redisGeneration(url: string): GenerationStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 2 });
  return {
    // A missing counter (a flushed Redis) reads as 0: the entries filled under 0 may then predate changes, which is
    // what the TTL bounds.
    current: async () => Number((await redis.get(REDIS_GENERATION_KEY)) ?? 0),
    bump: async () => {
      await redis.incr(REDIS_GENERATION_KEY);
    },
    close: async () => {
      redis.disconnect();
    },
  };
}

/** Every read goes to the database: the cache turned off, or a context that lives too long to hold a snapshot (a subscription's). */
export const UNCACHED: LookupSnapshot = { read: (_key, fill) => fill() };

export function createLookupCache(options: { ttlSeconds: number; redisUrl: string | null }): LookupCache {
  if (options.ttlSeconds <= 0) {
    return { snapshot: async () => UNCACHED, invalidate: async () => undefined, close: async () => undefined };
  }
  const ttlMs = options.ttlSeconds * 1000;
  const store = options.redisUrl ? redisGeneration(options.redisUrl) : localGeneration();
  const entries = new Map<string, Entry>();
  const remember = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    if (entries.size > LOOKUP_CACHE_MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  };
  return {
    snapshot: async () => {
      let generation: number;
      try {
        generation = await store.current();
      } catch (error) {
        // Without the shared generation nothing cached can be trusted: read the database.
        log.warn('lookup cache: could not read the generation; reading the database', { error: (error as Error).message });
        return UNCACHED;
      }
      return {
        read: async <T extends object>(key: string, fill: () => Promise<T | null>) => {
          const now = Date.now();
          const entry = entries.get(key);
          if (entry && entry.generation === generation && now - entry.storedAt < ttlMs) return entry.value as T;
          const value = await fill();
          if (value !== null) remember(key, { generation, storedAt: now, value });
          return value;
        },
      };
    },
    invalidate: async () => {
      entries.clear();
      await store.bump();
    },
    close: () => store.close(),
  };
}
