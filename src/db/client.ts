import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.js';
import { log } from '../lib/logger.js';

export type Db = PrismaClient;

/**
 * The database a process talks to: Prisma for the services, plus raw SQL for the migration runner
 * (multi-statement scripts, which Prisma's prepared statements cannot run).
 */
export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: Db;
  /** `prepareAs` as in SqlSession: a hot read planned once per pooled connection. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], prepareAs?: string): Promise<T[]>;
  execScript(sql: string): Promise<void>;
  /** Runs fn in one transaction on one connection: commits when fn resolves, rolls back when it throws. */
  transaction<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs fn on one connection holding a database-wide lock (migrations from several instances at once). */
  exclusive<T>(lockId: number, fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /**
   * Leads for this process while it can: takes a database-wide lock without waiting and, holding it, LISTENs on
   * `channel` (a notification calls onNotify). Null when another process leads. onLost is called when the
   * session holding the lock dies (a database restart): the caller tries again later.
   */
  tryLead(lockId: number, channel: string, onNotify: () => void, onLost: () => void): Promise<Leadership | null>;
  close(): Promise<void>;
}

export interface Leadership {
  release(): Promise<void>;
}

export interface SqlSession {
  /**
   * `prepareAs` names a statement the hot path runs again and again: PostgreSQL plans it once per connection
   * instead of on every call (PGlite, in-process, ignores it).
   */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], prepareAs?: string): Promise<T[]>;
  execScript(sql: string): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… — PostgreSQL; when null, the embedded PGlite. */
  databaseUrl: string | null;
  /** PGlite data folder; 'memory://' keeps it in memory (tests). */
  dataDir: string;
  /**
   * PGlite only: a new database starts as a copy of this dump (PGlite's dumpDataDir) instead of an empty cluster —
   * a third of a second instead of the two an initdb takes (the tests start every in-memory server this way).
   */
  from?: Blob;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir, options.from);
}

async function openPostgres(url: string): Promise<Database> {
  // No JIT: our queries are short and indexed, and a generous row estimate (e.g. a nested loop over rollups and
  // samples that runs zero times) made PostgreSQL spend ~0.4 s compiling a read that executes in 9 ms. A SET on
  // each new connection, not a startup option, so connection poolers that refuse startup options still work; in
  // pg-pool's onConnect hook, which the pool awaits before it hands the connection out (a query sent from the
  // 'connect' event would overlap the first caller's, which pg deprecates).
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // pg-pool awaits the hook's promise (pg-pool/index.js); @types/pg still types it as returning void.
    // eslint-disable-next-line @typescript-eslint/no-misused-promises
    onConnect: async (client: pg.ClientBase) => {
      await client.query('SET jit = off').catch((error: Error) => log.warn('could not turn JIT off', { error: error.message }));
    },
  });
  // An idle connection that dies (a database restart, a terminated backend) must not take the process down;
  // the pool replaces it on the next query.
  pool.on('error', (error) => log.warn('idle database connection failed', { error: error.message }));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: 'postgres',
    prisma,
    query: async (sql, params, prepareAs) =>
      (await pool.query(prepareAs ? { name: prepareAs, text: sql, values: params } : { text: sql, values: params })).rows,
    execScript: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({
          query: async (sql, params, prepareAs) =>
            (await client.query(prepareAs ? { name: prepareAs, text: sql, values: params } : { text: sql, values: params })).rows,
          execScript: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    exclusive: async (lockId, fn) => {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [lockId]);
        return await fn({
          query: async (sql, params) => (await client.query(sql, params)).rows,
          execScript: async (sql) => {
            await client.query(sql);
          },
        });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [lockId]).catch(() => undefined);
        client.release();
      }
    },
    // A session of its own, outside the pool: the lock and the LISTEN last as long as the session does.
    tryLead: async (lockId, channel, onNotify, onLost) => {
      const client = new pg.Client({ connectionString: url });
      client.on('error', (error) => log.warn('leader session failed', { error: error.message }));
      await client.connect();
      const [row] = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [lockId])).rows;
      if (!row?.locked) {
        await client.end();
        return null;
      }
      let released = false;
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify();
      });
      client.on('end', () => {
        if (!released) onLost();
      });
      await client.query(`LISTEN ${channel}`);
      return {
        release: async () => {
          released = true;
          await client.end().catch(() => undefined);
        },
      };
    },
    close: once(async () => {
      await prisma.$disconnect();
      await pool.end();
    }),
  };
}

/** A close that may be called again (a shutdown after a failure closed it already) without throwing. */
function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | null = null;
  return () => (closing ??= close());
}

async function openPglite(dataDir: string, from?: Blob): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const lite = await PGlite.create(dataDir, from ? { loadDataDir: from } : {});
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
  const database: Database = {
    kind: 'pglite',
    prisma,
    query: async (sql, params) => (await lite.query(sql, params)).rows as never[],
    execScript: async (sql) => {
      await lite.exec(sql);
    },
    transaction: (fn) =>
      lite.transaction((tx) =>
        fn({
          query: async (sql, params) => (await tx.query(sql, params)).rows as never[],
          execScript: async (sql) => {
            await tx.exec(sql);
          },
        }),
      ),
    // One process owns a PGlite folder, so there is nobody to lock out.
    exclusive: (_lockId, fn) => fn(database),
    // The one owner leads; notifications come from the embedded engine at each commit.
    tryLead: async (_lockId, channel, onNotify) => {
      const unlisten = await lite.listen(channel, onNotify);
      // A database closed first (a failed start, a shutdown after a fault) has no listener left to remove.
      return { release: () => unlisten().catch(() => undefined) };
    },
    close: once(async () => {
      await prisma.$disconnect();
      await lite.close();
    }),
  };
  return database;
}
