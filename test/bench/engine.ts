import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { ServiceContext } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { newId } from '../../src/lib/ids.js';
import { openTestPlatform } from '../helpers/platform.js';

export type EngineName = 'pglite' | 'postgres';

/**
 * A freshly migrated, empty database of one engine with the platform the services run on (as the tests build
 * it: event bus, job engine, one workspace), plus what the COPY baseline needs beyond `Database`.
 */
export interface BenchEngine {
  name: EngineName;
  database: Database;
  ctx: ServiceContext;
  /** Bulk-loads a CSV file into `table` with COPY, the engine's fastest load path; resolves to the ms the COPY took. */
  copyCsv(table: string, columns: string[], csvPath: string): Promise<number>;
  /**
   * CPU milliseconds used so far by each server process of this database (Postgres on this machine: read from
   * /proc), so ingestion can be split into client and server work; null where the server is this process (PGlite).
   */
  serverCpu(): Promise<Map<number, number> | null>;
  /** Closes the database and removes it (Postgres: drops the scratch database). */
  dispose(): Promise<void>;
  /** On an interrupt: removes the scratch database at once, cutting its connections. */
  abort(): Promise<void>;
}

export function openEngine(name: EngineName, postgresUrl: string | null): Promise<BenchEngine> {
  return name === 'postgres' ? openPostgres(postgresUrl) : openPglite();
}

const copySql = (table: string, columns: string[], from: string) =>
  `COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM ${from} WITH (FORMAT csv)`;

async function openPostgres(adminUrl: string | null): Promise<BenchEngine> {
  if (!adminUrl) throw new Error('postgres: set BENCH_DATABASE_URL or TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)');
  const name = `vs_bench_${newId().toLowerCase()}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const { database, ctx, close } = await openTestPlatform({ databaseUrl: url.toString(), dataDir: 'memory://' });
  return {
    name: 'postgres',
    database,
    ctx,
    // The server reads the file itself (same machine; COPY FROM a file needs a superuser or pg_read_server_files),
    // so the baseline pays no client or protocol cost at all: the physical limit of the server.
    copyCsv: async (table, columns, csvPath) => {
      const started = performance.now();
      await database.query(copySql(table, columns, `'${csvPath.replace(/'/g, "''")}'`));
      return performance.now() - started;
    },
    serverCpu: async () => {
      const backends = await database.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
      const cpu = new Map<number, number>();
      for (const { pid } of backends) {
        const ms = processCpuMs(pid);
        if (ms === null) return null;
        cpu.set(pid, ms);
      }
      return cpu;
    },
    dispose: async () => {
      await close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
    abort: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

const TICKS_PER_SECOND = 100;

/** utime + stime of a process, from /proc/<pid>/stat (fields 14 and 15, after the parenthesised name). */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * `Database.query` has no way to hand PGlite a blob, which its COPY FROM '/dev/blob' needs, so the bench keeps
 * the PGlite instance that openDatabase creates (by wrapping PGlite.create for that one call). The services then
 * run on exactly the Database the server would use.
 */
async function openPglite(): Promise<BenchEngine> {
  const create = PGlite.create;
  const createBound = create.bind(PGlite) as (...args: unknown[]) => Promise<PGlite>;
  let lite: PGlite | null = null;
  PGlite.create = (async (...args: unknown[]) => {
    lite = await createBound(...args);
    return lite;
  }) as typeof create;
  let platform: Awaited<ReturnType<typeof openTestPlatform>>;
  try {
    platform = await openTestPlatform({ databaseUrl: null, dataDir: 'memory://' });
  } finally {
    PGlite.create = create;
  }
  const captured = lite as PGlite | null;
  if (!captured) throw new Error('pglite: openDatabase did not create a PGlite instance');
  const { database, ctx, close } = platform;
  return {
    name: 'pglite',
    database,
    ctx,
    copyCsv: async (table, columns, csvPath) => {
      const blob = new Blob([await readFile(csvPath)]);
      const started = performance.now();
      await captured.query(copySql(table, columns, `'/dev/blob'`), [], { blob });
      return performance.now() - started;
    },
    serverCpu: async () => null,
    dispose: close,
    abort: async () => undefined,
  };
}
