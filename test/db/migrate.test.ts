import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate, readMigrations } from '../../src/db/migrate.js';

describe('migration runner', () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it("applies the project's migrations once and records them in Prisma's _prisma_migrations format", async () => {
    db = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    const applied = await migrate(db);
    expect(applied).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(applied);
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(readMigrations()[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
    }
  });

  it('refuses to start when an applied migration was edited, and rolls back a failing one whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vs-migrations-'));
    mkdirSync(join(dir, '20250101000000_first'));
    writeFileSync(join(dir, '20250101000000_first', 'migration.sql'), 'CREATE TABLE "A" (id TEXT PRIMARY KEY);');
    db = await openDatabase({ databaseUrl: null, dataDir: 'memory://' });
    expect(await migrate(db, dir)).toEqual(['20250101000000_first']);

    mkdirSync(join(dir, '20250102000000_broken'));
    writeFileSync(join(dir, '20250102000000_broken', 'migration.sql'), 'CREATE TABLE "B" (id TEXT);\nSELECT * FROM "Missing";');
    await expect(migrate(db, dir)).rejects.toThrow(/20250102000000_broken failed/);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_name IN ('A', 'B')",
    );
    expect(tables.map((row) => row.table_name)).toEqual(['A']);

    writeFileSync(join(dir, '20250101000000_first', 'migration.sql'), 'CREATE TABLE "A" (id TEXT PRIMARY KEY, x INT);');
    await expect(migrate(db, dir)).rejects.toThrow(/was changed after it was applied/);
  });
});
