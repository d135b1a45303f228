import type { Db } from '../db/client.js';
import type { ApiKey } from '../generated/prisma/client.js';
import { Unauthorized } from '../lib/errors.js';
import { UNCACHED, type LookupSnapshot } from '../lib/lookup-cache.js';
import type { Clock } from '../lib/time.js';
import { hashesEqual, hashKey, looksLikeKey } from './key-secret.js';
import { scopeFromDb, type Scope } from './scopes.js';

/** The caller a valid API key identifies. */
export interface Principal {
  keyId: string;
  workspaceId: string;
  scope: Scope;
}

/** lastUsedAt is refreshed at most this often per key, so reads do not each cost a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Resolves an `Authorization` header. Returns null when there is none (the schema's scope rules then answer
 * 401 where a scope is needed) and throws 401 for a malformed, unknown, revoked or expired key.
 */
/** What a request without a key is told, on every transport. */
export const MISSING_KEY_MESSAGE = 'an API key is required: send "Authorization: Bearer vs_live_…"';

/** What the key cache keeps of a key: enough to check it on every request (revocation and expiry included). */
type CachedKey = Pick<ApiKey, 'id' | 'workspaceId' | 'scope' | 'secretHash' | 'revokedAt' | 'expiresAt' | 'lastUsedAt'>;

const KEY_COLUMNS = {
  id: true,
  workspaceId: true,
  scope: true,
  secretHash: true,
  revokedAt: true,
  expiresAt: true,
  lastUsedAt: true,
} as const;

/**
 * `lookups` caches the key's row (src/lib/lookup-cache.ts): deletion and rotation invalidate it; its revocation and
 * expiry times are checked here against the clock on every request, cached or not.
 */
export async function authenticate(
  db: Db,
  clock: Clock,
  header: string | null,
  lookups: LookupSnapshot = UNCACHED,
): Promise<Principal | null> {
  if (header === null || header === '') return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new Unauthorized('Authorization header must be "Bearer vs_live_…"');
  const key = match[1]!;
  if (!looksLikeKey(key)) throw new Unauthorized('API key is invalid');
  const hash = hashKey(key);
  const row: CachedKey | null = await lookups.read(`key:${hash}`, () =>
    db.apiKey.findUnique({ where: { secretHash: hash }, select: KEY_COLUMNS }),
  );
  const now = clock.now();
  // The lookup is by a one-way hash; the constant-time comparison guards the final check all the same.
  if (!row || !hashesEqual(row.secretHash, hash)) throw new Unauthorized('API key is invalid');
  if (row.revokedAt && row.revokedAt <= now) throw new Unauthorized('API key has been revoked');
  if (row.expiresAt && row.expiresAt <= now) throw new Unauthorized('API key has expired');
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: now } });
    // The cached row follows, so this instance writes again a minute from now, not on every request.
    row.lastUsedAt = now;
  }
  return { keyId: row.id, workspaceId: row.workspaceId, scope: scopeFromDb(row.scope) };
}
