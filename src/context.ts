import type { Actor } from './audit/audit.js';
import type { Config } from './config.js';
import type { TokenKeys } from './connections/token-crypto.js';
import type { Database, Db } from './db/client.js';
import type { JobRunner } from './jobs/port.js';
import type { FileStorage } from './files/storage.js';
import type { LookupCache, LookupSnapshot } from './lib/lookup-cache.js';
import type { ReadMemo } from './lib/read-memo.js';
import type { Clock } from './lib/time.js';

/**
 * What every service function receives: the database, the tenant it acts for, the clock and the job engine.
 * Services announce changes with domain events written in their transaction (src/domain-events/emit.ts),
 * never to the live bus directly.
 */
export interface ServiceContext {
  db: Db;
  /** Raw SQL for the hot paths Prisma is too slow for (ingestion, rollup reads). */
  sql: Pick<Database, 'query' | 'transaction' | 'kind'>;
  workspaceId: string;
  clock: Clock;
  jobs: JobRunner;
  config: Config;
  tokenKeys: TokenKeys;
  /** File contents (a folder or an S3 bucket); absent where no request brought it (syncs, scripts). */
  storage?: FileStorage;
  /** Who is acting, for the audit log; absent for the system's own work (syncs, bootstrap). */
  actor?: Actor;
  /** Reads shared by the parts of one computation (src/lib/read-memo.ts); absent: every read goes to the database. */
  reads?: ReadMemo;
  /** API keys and users cached across requests (src/lib/lookup-cache.ts), as of the request's start; absent: none. */
  lookups?: LookupSnapshot;
  /** Where changes to keys and users invalidate that cache (after their commit); absent where no cache runs. */
  lookupCache?: Pick<LookupCache, 'invalidate'>;
}
