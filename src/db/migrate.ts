import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from '../lib/logger.js';
import type { Database, SqlSession } from './client.js';

/**
 * Applies prisma/migrations at start-up and records them in Prisma's own `_prisma_migrations` table
 * (same columns, sha256 checksum), so `prisma migrate deploy` on a connected machine agrees with us.
 * We run our own because the Prisma CLI needs a native engine that cannot be downloaded here.
 */
export const MIGRATIONS_DIR = new URL('../../prisma/migrations/', import.meta.url).pathname;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it only has to be the same for every VitaSync instance sharing a database.
const LOCK_ID = 72707369;

interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

export async function migrate(db: Database, dir = MIGRATIONS_DIR): Promise<string[]> {
  const migrations = readMigrations(dir);
  // Two instances starting together must not both apply the same migration.
  return db.exclusive(LOCK_ID, async (session) => {
    await session.execScript(CREATE_TABLE);
    const rows = await session.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((row) => [row.migration_name, row.checksum]));
    const done: string[] = [];
    for (const migration of migrations) {
      const checksum = applied.get(migration.name);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(`migration ${migration.name} was changed after it was applied; add a new migration instead`);
        }
        continue;
      }
      await apply(session, migration);
      done.push(migration.name);
    }
    if (done.length) log.info('migrations applied', { migrations: done });
    return done;
  });
}

async function apply(session: SqlSession, migration: Migration): Promise<void> {
  const escaped = (value: string) => value.replace(/'/g, "''");
  // The migration and its record commit together: a crash or an error leaves neither.
  try {
    await session.execScript(`BEGIN;
${migration.sql}
;
INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
VALUES ('${randomUUID()}', '${migration.checksum}', now(), '${escaped(migration.name)}', 1);
COMMIT;`);
  } catch (error) {
    await session.execScript('ROLLBACK').catch(() => undefined);
    throw new Error(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
  }
}
