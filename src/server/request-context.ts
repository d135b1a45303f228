import type { Principal } from '../auth/authenticate.js';
import type { Config } from '../config.js';
import type { TokenKeys } from '../connections/token-crypto.js';
import type { JobRunner } from '../jobs/port.js';
import type { ServiceContext } from '../context.js';
import type { Database, Db } from '../db/client.js';
import type { LiveBus } from '../live/bus.js';
import type { FileStorage } from '../files/storage.js';
import { Unauthorized } from '../lib/errors.js';
import type { LookupCache, LookupSnapshot } from '../lib/lookup-cache.js';
import type { Clock } from '../lib/time.js';

/** What every GraphQL resolver sees, over HTTP, REST (SOFA) and WebSocket alike. */
export interface RequestContext {
  db: Db;
  sql: Database;
  clock: Clock;
  /** Live updates for subscriptions (fed by the domain event relay). */
  live: LiveBus;
  config: Config;
  jobs: JobRunner;
  tokenKeys: TokenKeys;
  /** Where file contents live (a folder or an S3 bucket). */
  storage: FileStorage;
  /** The API key's identity; null when the request carried none. */
  principal: Principal | null;
  requestId: string;
  /** The key and user cache as of this request's start, and the cache itself (changes invalidate it). */
  lookups: LookupSnapshot;
  lookupCache: LookupCache;
  /** Resolvers set `status` when the REST status depends on the outcome (create-or-find answers 200 or 201). */
  response: { status?: number };
}

/** The service context of an authenticated request. Scope rules run first, so a missing key here is a bug guard. */
export function serviceContext(ctx: RequestContext): ServiceContext {
  if (!ctx.principal) throw new Unauthorized('an API key is required');
  const { db, sql, clock, jobs, config, tokenKeys, storage, lookups, lookupCache } = ctx;
  const actor = { keyId: ctx.principal.keyId, requestId: ctx.requestId };
  return { db, sql, clock, jobs, config, tokenKeys, storage, actor, workspaceId: ctx.principal.workspaceId, lookups, lookupCache };
}
