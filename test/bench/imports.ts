/**
 * BENCH_SUITES=imports: an Apple Health export of about BENCH_IMPORT_RECORDS (1,000,000) records — a watch's heart
 * rate every minute, a phone's steps and distance every 15 minutes, energy, body measurements, sleep stages, runs
 * (test/helpers/import-files.ts) — zipped as the Health app shares it (export.zip, streamed through yazl into storage,
 * never whole in memory), then imported by the dataImport activity (yauzl reading the entry in ranges, saxes, the
 * ingestion service in batches of 5,000): records/s and the process's peak RSS over its RSS before the import
 * (sampled every 50 ms; on PGlite the in-process database's own growth is part of it, so PostgreSQL shows the
 * importer's). Baseline in the same run: the same samples and events, parsed beforehand batch by batch, ingested
 * straight through ingestSamples / ingestEvents for another user (only the ingestion calls timed).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from 'yazl';
import type { ServiceContext } from '../../src/context.js';
import { ingestEvents } from '../../src/events/ingest-events.js';
import type { EventInput } from '../../src/events/event-input.js';
import { localStorage } from '../../src/files/local-storage.js';
import { saveGeneratedFile } from '../../src/files/stored-files.js';
import { ingestSamples } from '../../src/health/ingest.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { readAppleHealth } from '../../src/imports/apple-health.js';
import { createImportActivities, IMPORT_BATCH_SAMPLES } from '../../src/imports/import-activities.js';
import { importJobId } from '../../src/imports/imports.js';
import { openZipEntry, isAppleHealthXml } from '../../src/imports/zip-entry.js';
import { newId } from '../../src/lib/ids.js';
import { createOrFindUser } from '../../src/users/users.js';
import { appleHealthExport } from '../helpers/import-files.js';
import { openEngine, type EngineName } from './engine.js';

/** Records a generated day holds with heart rate every minute (counted from the generator: see expected.records). */
const RECORDS_PER_DAY = 1_854;

export interface ImportRun {
  engine: EngineName;
  records: number;
  zipBytes: number;
  xmlBytes: number;
  samples: number;
  events: number;
  seconds: number;
  recordsPerSecond: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  baselineSeconds: number;
  baselineSamplesPerSecond: number;
  baselineRssBeforeMb: number;
  baselineRssPeakMb: number;
}

export interface ImportSuiteOptions {
  engines: EngineName[];
  records: number;
  postgresUrl: string | null;
  log(line: string): void;
}

const MB = 1024 * 1024;

function sampleRss(): { peak(): number; stop(): void } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  return { peak: () => peak, stop: () => clearInterval(timer) };
}

async function runOne(name: EngineName, options: ImportSuiteOptions): Promise<ImportRun> {
  const days = Math.max(1, Math.round(options.records / RECORDS_PER_DAY));
  options.log(
    `imports on ${name}: writing an Apple Health export of ${days} days (~${(days * RECORDS_PER_DAY).toLocaleString('en')} records)…`,
  );
  const engine = await openEngine(name, options.postgresUrl);
  const dir = await mkdtemp(join(tmpdir(), 'vitasync-bench-import-'));
  const storage = localStorage(dir);
  try {
    const ctx: ServiceContext = { ...engine.ctx, storage };
    const userId = (await createOrFindUser(ctx, 'bench-import', {})).user.id;
    const { body, expected } = appleHealthExport({ start: Date.UTC(2023, 0, 1), days, heartRateMinutes: 1 });
    let xmlBytes = 0;
    const zip = new yazl.ZipFile();
    zip.addReadStream(
      Readable.from(
        (function* () {
          for (const piece of body) {
            const bytes = Buffer.from(piece);
            xmlBytes += bytes.length;
            yield bytes;
          }
        })(),
      ),
      'apple_health_export/export.xml',
    );
    zip.end();
    const file = await saveGeneratedFile(ctx, storage, {
      userId,
      name: 'export.zip',
      contentType: 'application/zip',
      body: zip.outputStream as AsyncIterable<Uint8Array>,
    });
    const id = newId();
    await ctx.db.dataImport.create({
      data: { id, workspaceId: ctx.workspaceId, userId, fileId: file.id, format: 'apple_health', jobId: importJobId(id), status: 'queued' },
    });
    options.log(
      `imports on ${name}: ${expected.records.toLocaleString('en')} records, ${(xmlBytes / MB).toFixed(0)} MB of XML, ${(Number(file.size) / MB).toFixed(0)} MB zipped; importing…`,
    );
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const rss = sampleRss();
    const started = performance.now();
    const outcome = await createImportActivities(ctx).runImport({ importId: id });
    const seconds = (performance.now() - started) / 1000;
    rss.stop();
    if (outcome.status !== 'completed') throw new Error(`the import ${outcome.status}: ${outcome.error}`);
    const done = await ctx.db.dataImport.findUniqueOrThrow({ where: { id } });

    options.log(`imports on ${name}: baseline, the same samples straight through the ingestion service…`);
    const baselineUser = (await createOrFindUser(ctx, 'bench-import-direct', {})).user.id;
    const entry = await openZipEntry(storage, file.storageKey, Number(file.size), isAppleHealthXml);
    let samples: SampleInput[] = [];
    let events: EventInput[] = [];
    let ingestMs = 0;
    let ingested = 0;
    const baselineRssBefore = process.memoryUsage().rss;
    const baselineRss = sampleRss();
    const flush = async () => {
      const at = performance.now();
      if (events.length) await ingestEvents(ctx, baselineUser, events, { source: 'healthkit' });
      ingested += (await ingestSamples(ctx, baselineUser, samples, { source: 'healthkit' })).inserted;
      ingestMs += performance.now() - at;
      samples = [];
      events = [];
    };
    for await (const record of readAppleHealth(entry)) {
      samples.push(...(record.samples ?? []));
      events.push(...(record.events ?? []));
      if (samples.length >= IMPORT_BATCH_SAMPLES) await flush();
    }
    await flush();
    baselineRss.stop();
    return {
      engine: name,
      records: done.recordsRead,
      zipBytes: Number(file.size),
      xmlBytes,
      samples: done.samplesStored,
      events: done.eventsStored,
      seconds,
      recordsPerSecond: done.recordsRead / seconds,
      rssBeforeMb: rssBefore / MB,
      rssPeakMb: rss.peak() / MB,
      baselineSeconds: ingestMs / 1000,
      baselineSamplesPerSecond: ingested / (ingestMs / 1000),
      baselineRssBeforeMb: baselineRssBefore / MB,
      baselineRssPeakMb: baselineRss.peak() / MB,
    };
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function runImportSuite(options: ImportSuiteOptions): Promise<ImportRun[]> {
  const runs: ImportRun[] = [];
  for (const name of options.engines) {
    if (name === 'postgres' && !options.postgresUrl)
      options.log('imports on postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else runs.push(await runOne(name, options));
  }
  return runs;
}

export function formatImportSuite(runs: ImportRun[]): string {
  const lines = ['Apple Health import: export.zip streamed from storage (yauzl + saxes) through the ingestion service'];
  for (const run of runs) {
    lines.push(
      `${run.engine}: ${run.records.toLocaleString('en')} records (${(run.xmlBytes / MB).toFixed(0)} MB XML, ${(run.zipBytes / MB).toFixed(0)} MB zip) → ` +
        `${run.samples.toLocaleString('en')} samples, ${run.events.toLocaleString('en')} events in ${run.seconds.toFixed(1)} s: ` +
        `${Math.round(run.recordsPerSecond).toLocaleString('en')} records/s`,
      `  peak RSS ${run.rssPeakMb.toFixed(0)} MB (${(run.rssPeakMb - run.rssBeforeMb).toFixed(0)} MB over the ${run.rssBeforeMb.toFixed(0)} MB before)`,
      `  baseline, the same samples ingested directly: ${run.baselineSeconds.toFixed(1)} s, ${Math.round(run.baselineSamplesPerSecond).toLocaleString('en')} samples/s; ` +
        `import/direct time ${(run.seconds / run.baselineSeconds).toFixed(2)}×; its peak RSS ${run.baselineRssPeakMb.toFixed(0)} MB ` +
        `(${(run.baselineRssPeakMb - run.baselineRssBeforeMb).toFixed(0)} MB over the ${run.baselineRssBeforeMb.toFixed(0)} MB before)`,
    );
  }
  return lines.join('\n');
}
