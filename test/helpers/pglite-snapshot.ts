import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../../src/db/client.js';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.js';

/**
 * A dump of an in-memory PGlite database with every migration applied, made once per machine and set of migrations
 * and kept in the temporary folder: a test server starts from it in a third of a second instead of the two seconds
 * of an initdb (src/db/client.ts, `from`). The server still runs its migrations at start, which finds them applied.
 */
async function snapshotKey(): Promise<string> {
  const hash = createHash('sha256');
  const pglite = JSON.parse(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'));
  hash.update(`pglite ${pglite.version}\n`);
  for (const name of (await readdir(MIGRATIONS_DIR)).sort()) {
    const sql = await readFile(join(MIGRATIONS_DIR, name, 'migration.sql'), 'utf8').catch(() => null);
    if (sql !== null) hash.update(`${name}\n${sql}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

async function makeSnapshot(path: string): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'vitasync-pglite-build-'));
  try {
    const database = await openDatabase({ databaseUrl: null, dataDir: folder });
    await migrate(database);
    await database.close();
    const lite = await PGlite.create(folder);
    const dump = await lite.dumpDataDir('none');
    await lite.close();
    // Two test processes may build it at once: each writes its own file and the rename makes one of them the copy.
    const partial = `${path}.${process.pid}.partial`;
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, path);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

let loading: Promise<Blob> | null = null;

const snapshotPath = async () => join(tmpdir(), `vitasync-pglite-migrated-${await snapshotKey()}.tar`);

/** The migrated database's dump, built on first use on this machine. */
export function migratedPglite(): Promise<Blob> {
  return (loading ??= (async () => {
    const path = await snapshotPath();
    const existing = await readFile(path).catch(() => null);
    if (existing) return new Blob([existing]);
    await makeSnapshot(path);
    return new Blob([await readFile(path)]);
  })());
}

/**
 * Makes `folder` (absent or empty) a PGlite data folder holding the migrated database: a child server started on it
 * skips initdb. The dump is a tar of the data folder's files.
 */
export async function seedPgliteFolder(folder: string): Promise<void> {
  if ((await readdir(folder).catch(() => [])).length > 0) return;
  await mkdir(folder, { recursive: true });
  await migratedPglite();
  await promisify(execFile)('tar', ['-xf', await snapshotPath(), '-C', folder]);
}
