import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../../src/lib/ids.js';
import type { BenchEngine } from './engine.js';
import { heartRateBatches, type HeartRateSeries } from './heart-rate.js';
import { startCpu } from './measure.js';

/** The columns the ingestion statement writes (createdAt takes its default in both). */
const COLUMNS = ['id', 'userId', 'metricType', 'recordedAt', 'endAt', 'value', 'source', 'device', 'connectionId', 'externalId'];
const TABLE = 'BenchCopyHealthSample';

export interface CopyResult {
  rows: number;
  ms: number;
  /** CPU the COPY used (bench process + Postgres server processes), comparable to ingestion's under other load. */
  cpuMs: number;
  /** The same COPY into a table that also has HealthSample's foreign key to User, which ingestion pays per row. */
  withForeignKeyMs: number;
}

/** The rows ingestion would store for `series`, as CSV (empty = NULL; "" = the empty device of the natural key). */
async function writeCsv(path: string, series: HeartRateSeries, userId: string, source: string): Promise<void> {
  const out = createWriteStream(path);
  for (const batch of heartRateBatches(series, 10_000)) {
    const lines = batch.map((s) => `${newId()},${userId},${s.metricType},${s.recordedAt.toISOString()},,${s.value},${source},"",,\n`);
    if (!out.write(lines.join(''))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** COPY into a fresh, empty table; only the COPY statement is timed. Created in its own transaction, so COPY writes WAL as usual. */
async function copyInto(engine: BenchEngine, csv: string, foreignKey: boolean): Promise<{ rows: number; ms: number; cpuMs: number }> {
  const db = engine.database;
  await db.query(`DROP TABLE IF EXISTS "${TABLE}"`);
  await db.query(`CREATE TABLE "${TABLE}" (LIKE "HealthSample" INCLUDING ALL)`);
  if (foreignKey) await db.query(`ALTER TABLE "${TABLE}" ADD FOREIGN KEY ("userId") REFERENCES "User" (id) ON DELETE CASCADE`);
  await db.query('CHECKPOINT');
  const cpu = await startCpu(engine.serverCpu);
  const ms = await engine.copyCsv(TABLE, COLUMNS, csv);
  const { clientMs, serverMs } = await cpu();
  const cpuMs = clientMs + (serverMs ?? 0);
  const [row] = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${TABLE}"`);
  return { rows: Number(row?.n ?? 0), ms, cpuMs };
}

/**
 * Raw COPY of the same rows into a fresh copy of HealthSample with the same indexes (LIKE … INCLUDING ALL:
 * primary key, natural key, the time index, defaults), the physical limit; then once more with the foreign key
 * to User added, which LIKE leaves out and ingestion pays.
 */
export async function copyBaseline(engine: BenchEngine, series: HeartRateSeries, userId: string, source: string): Promise<CopyResult> {
  const dir = await mkdtemp(join(tmpdir(), 'vitasync-bench-'));
  // The Postgres server process reads the file, so it must be able to enter the folder.
  await chmod(dir, 0o755);
  const csv = join(dir, 'heart-rate.csv');
  const db = engine.database;
  try {
    await writeCsv(csv, series, userId, source);
    const plain = await copyInto(engine, csv, false);
    const withForeignKey = await copyInto(engine, csv, true);
    if (withForeignKey.rows !== plain.rows) throw new Error(`COPY loaded ${plain.rows} rows, then ${withForeignKey.rows}`);
    return { rows: plain.rows, ms: plain.ms, cpuMs: plain.cpuMs, withForeignKeyMs: withForeignKey.ms };
  } finally {
    await db.query(`DROP TABLE IF EXISTS "${TABLE}"`);
    await rm(dir, { recursive: true, force: true });
  }
}
