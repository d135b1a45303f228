import pg from 'pg';
import { newId } from '../../src/lib/ids.js';

/** The database engines a suite runs on: always PGlite, and PostgreSQL when TEST_DATABASE_URL is set. */
export const ENGINES = ['pglite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export const postgresUrl = process.env.TEST_DATABASE_URL ?? null;
export const redisUrl = process.env.REDIS_URL ?? null;

export function engineAvailable(engine: Engine): boolean {
  return engine === 'pglite' || postgresUrl !== null;
}

/** A fresh, empty PostgreSQL database for one test server (or bench), dropped by the returned function. */
export async function createScratchDatabase(adminUrl: string | null = postgresUrl): Promise<{ url: string; drop(): Promise<void> }> {
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `vs_${newId().toLowerCase()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

export const temporalAddress = process.env.TEMPORAL_ADDRESS ?? null;

/** One job engine a suite runs on: the local runner on a database, or Temporal (API server and worker on PostgreSQL). */
export interface JobEngineCase {
  name: string;
  engine: 'local' | 'temporal';
  /** The API server's database (on Temporal always PostgreSQL, shared with the worker). */
  database: Engine;
  available: boolean;
}

/**
 * The one engine table of every engine-aware suite: the local runner on each database, then Temporal when
 * TEMPORAL_ADDRESS and TEST_DATABASE_URL are set (and REDIS_URL, for suites whose worker publishes to subscribers).
 */
export function jobEngineCases(options: { databases?: readonly Engine[]; temporalNeedsRedis?: boolean } = {}): JobEngineCase[] {
  const databases = options.databases ?? ENGINES;
  return [
    ...databases.map((database) => ({
      name: `local runner on ${database === 'pglite' ? 'PGlite' : 'PostgreSQL'}`,
      engine: 'local' as const,
      database,
      available: engineAvailable(database),
    })),
    {
      name: 'Temporal',
      engine: 'temporal' as const,
      database: 'postgres' as const,
      available: Boolean(temporalAddress && postgresUrl && (!options.temporalNeedsRedis || redisUrl)),
    },
  ];
}
