/**
 * BENCH_SUITES=exports: a user-year of heart rate every BENCH_EXPORT_HR_EVERY seconds (3 by default: 10,512,000
 * samples, the figure; the analytics suite's BENCH_ANALYTICS_HR_EVERY seeds the same series), exported as
 * NDJSON and as CSV by the dataExport activity (rows from PostgreSQL in keyset pages, through the format writer,
 * into local file storage), rows/s and the bench process's peak RSS while it runs. The baseline, in the same run:
 * `COPY (SELECT … the same rows in the same order) TO STDOUT` through psql, its bytes counted and dropped — the
 * database's own fastest way out. PostgreSQL only (the year must live outside the measured process).
 *
 * The samples are seeded with one INSERT … SELECT generate_series (the export reads only HealthSample; rollups
 * play no part), so seeding a year takes minutes, not the ingestion bench's time.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExportActivities } from '../../src/exports/export-activities.js';
import type { ExportFormat } from '../../src/exports/export-options.js';
import { localStorage } from '../../src/files/local-storage.js';
import { newId } from '../../src/lib/ids.js';
import { createOrFindUser } from '../../src/users/users.js';
import { openEngine } from './engine.js';
import { mb, RssSampler } from './measure.js';

export interface ExportRun {
  format: ExportFormat | 'copy';
  rows: number;
  bytes: number;
  ms: number;
  rowsPerSecond: number;
  rssStartBytes: number | null;
  rssPeakBytes: number | null;
  /** Peak V8 heap in use while it ran (live objects and not yet collected garbage). */
  heapPeakBytes: number | null;
}

export interface ExportsSuiteResult {
  samples: number;
  everySeconds: number;
  seedMs: number;
  runs: ExportRun[];
}

export interface ExportsSuiteOptions {
  everySeconds: number;
  /** Days of heart rate (365 for a user-year; fewer for a quick run). */
  days: number;
  postgresUrl: string;
  log(line: string): void;
}

const START = '2025-01-01T00:00:00Z';

/** The baseline: psql runs COPY … TO STDOUT of the same rows, in the export's order; its output is counted and dropped. */
function copyToStdout(databaseUrl: string, userId: string): Promise<{ bytes: number; ms: number }> {
  const sql =
    `COPY (SELECT id, "metricType", "recordedAt", "endAt", value, source, device FROM "HealthSample" ` +
    `WHERE "userId" = '${userId}' ORDER BY "recordedAt", id) TO STDOUT WITH (FORMAT csv)`;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('psql', [databaseUrl, '-X', '-q', '-c', sql], { stdio: ['ignore', 'pipe', 'inherit'] });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve({ bytes, ms: performance.now() - started }) : reject(new Error(`psql exited ${code}`)),
    );
  });
}

export async function runExportsSuite(options: ExportsSuiteOptions): Promise<ExportsSuiteResult> {
  const engine = await openEngine('postgres', options.postgresUrl);
  const dir = await mkdtemp(join(tmpdir(), 'vitasync-bench-exports-'));
  const storage = localStorage(dir);
  try {
    const { ctx, database } = engine;
    const userId = (await createOrFindUser(ctx, 'bench-exports', { timezone: 'UTC' })).user.id;
    const samples = Math.floor((options.days * 86_400) / options.everySeconds);
    options.log(
      `exports: seeding ${samples.toLocaleString('en')} heart-rate samples (every ${options.everySeconds} s for ${options.days} days)…`,
    );
    const seedStarted = performance.now();
    await database.query(
      `INSERT INTO "HealthSample" (id, "userId", "metricType", "recordedAt", value, source, device)
       SELECT 'B' || lpad(g::text, 12, '0'), $1, 'heart_rate', $2::timestamptz + g * make_interval(secs => $3), 60 + g % 40, 'watch', ''
       FROM generate_series(0, $4::int - 1) AS g`,
      [userId, START, options.everySeconds, samples],
    );
    await database.query('ANALYZE "HealthSample"');
    const seedMs = performance.now() - seedStarted;
    const activities = createExportActivities({ ...ctx, storage });
    const runs: ExportRun[] = [];
    for (const format of ['ndjson', 'csv'] as const) {
      const id = newId();
      await ctx.db.dataExport.create({
        data: {
          id,
          workspaceId: ctx.workspaceId,
          userId,
          format,
          kinds: ['samples'],
          metricTypes: [],
          timezone: 'UTC',
          jobId: `export:${id}`,
        },
      });
      options.log(`exports: ${format}…`);
      const rss = new RssSampler(50);
      let heapPeak = 0;
      const heap = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 50);
      const started = performance.now();
      const outcome = await activities.writeExport({ exportId: id });
      const ms = performance.now() - started;
      clearInterval(heap);
      const memory = rss.stop();
      const file = await ctx.db.storedFile.findUniqueOrThrow({ where: { id: outcome.fileId! } });
      runs.push({
        format,
        rows: outcome.rows,
        bytes: Number(file.size),
        ms,
        rowsPerSecond: outcome.rows / (ms / 1000),
        rssStartBytes: memory.startBytes,
        rssPeakBytes: memory.peakBytes,
        heapPeakBytes: heapPeak,
      });
      await storage.delete(file.storageKey);
    }
    options.log('exports: COPY … TO STDOUT baseline…');
    const copy = await copyToStdout(ctx.config.databaseUrl!, userId);
    runs.push({
      format: 'copy',
      rows: samples,
      bytes: copy.bytes,
      ms: copy.ms,
      rowsPerSecond: samples / (copy.ms / 1000),
      rssStartBytes: null,
      rssPeakBytes: null,
      heapPeakBytes: null,
    });
    return { samples, everySeconds: options.everySeconds, seedMs, runs };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await engine.dispose();
  }
}

export function formatExportsSuite(result: ExportsSuiteResult): string {
  const copy = result.runs.find((run) => run.format === 'copy')!;
  const lines = [
    `Exports — ${result.samples.toLocaleString('en')} heart-rate samples (every ${result.everySeconds} s), PostgreSQL, seeded in ${(result.seedMs / 1000).toFixed(0)} s`,
    '  format   rows/s        MB      s      peak RSS (start → peak, peak heap)   vs COPY TO STDOUT',
  ];
  for (const run of result.runs) {
    const rss =
      run.rssPeakBytes === null
        ? '(psql, another process)'
        : `${mb(run.rssStartBytes!).toFixed(0)} → ${mb(run.rssPeakBytes).toFixed(0)} MB, heap ≤ ${mb(run.heapPeakBytes!).toFixed(0)} MB`;
    lines.push(
      `  ${run.format.padEnd(7)} ${Math.round(run.rowsPerSecond).toLocaleString('en').padStart(10)} ${mb(run.bytes).toFixed(0).padStart(8)} ` +
        `${(run.ms / 1000).toFixed(1).padStart(6)}    ${rss.padEnd(36)} ${(run.rowsPerSecond / copy.rowsPerSecond).toFixed(2)}×`,
    );
  }
  return lines.join('\n');
}
