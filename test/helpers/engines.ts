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
