import { loadavg } from 'node:os';
import type { ServiceContext } from '../../src/context.js';
import { dailySummaries } from '../../src/health/daily-summaries.js';
import { listSamples } from '../../src/health/samples.js';
import { timeseries } from '../../src/health/timeseries.js';
import { createOrFindUser } from '../../src/users/users.js';
import { copyBaseline, type CopyResult } from './copy-baseline.js';
import { openEngine, type BenchEngine, type EngineName } from './engine.js';
import { HEART_RATE, seriesEnd, type HeartRateSeries } from './heart-rate.js';
import { ingestSeries, type IngestRun } from './ingest-series.js';
import { latency, type Latency } from './measure.js';

export interface BenchOptions {
  samples: number;
  yearSamples: number;
  runs: number;
  warmups: number;
  rawScanRuns: number;
  postgresUrl: string | null;
  log(line: string): void;
}

export interface EngineResult {
  engine: EngineName;
  serverVersion: string;
  copy: CopyResult;
  ingest: IngestRun;
  reingest: IngestRun;
  year: IngestRun & { intervalSeconds: number; days: number };
  reads: {
    timeseriesDayYear: Latency & { points: number };
    timeseriesHourWeek: Latency & { points: number };
    dailySummaries365: Latency & { rows: number };
    rawScanDayYear: Latency & { rows: number };
  };
  pages: { page1: Latency; page2: Latency; page1000: Latency; walkMs: number };
  rollupCheck: { samples: number; quarterHourCount: number; dailyCount: number };
  /** 1-minute load average at the start and the end: other work on the machine skews every figure. */
  loadAverage: { start: number; end: number };
  totalMs: number;
}

const TIMEZONE = 'Europe/Berlin';
const SOURCE = 'bench';
const START = new Date('2025-01-01T00:00:00Z');
const YEAR_DAYS = 365;
const PAGE_SIZE = 100;
const DEEP_PAGE = 1000;
/** Exit code of a run stopped by SIGINT/SIGTERM (128 + SIGINT). */
export const INTERRUPTED = 130;

async function newUser(ctx: ServiceContext, externalId: string): Promise<string> {
  return (await createOrFindUser(ctx, externalId, { timezone: TIMEZONE })).user.id;
}

/** Samples, 15-minute and daily rollup counts of one user: all three must agree after ingestion. */
async function rollupCheck(engine: BenchEngine, userId: string): Promise<EngineResult['rollupCheck']> {
  const [row] = await engine.database.query<{ samples: string; quarter: string; daily: string }>(
    `SELECT (SELECT count(*) FROM "HealthSample" WHERE "userId" = $1) AS samples,
       (SELECT coalesce(sum(count), 0) FROM "HealthRollup" WHERE "userId" = $1) AS quarter,
       (SELECT coalesce(sum(count), 0) FROM "DailyRollup" WHERE "userId" = $1) AS daily`,
    [userId],
  );
  return { samples: Number(row?.samples), quarterHourCount: Number(row?.quarter), dailyCount: Number(row?.daily) };
}

async function ingestPhases(engine: BenchEngine, ctx: ServiceContext, options: BenchOptions) {
  const log = options.log;
  const series: HeartRateSeries = { start: START, count: options.samples, intervalSeconds: 3, seed: 1, utcOffsetHours: 1 };
  // Warm the code paths and connections on another user, so the first measured call is not a cold start.
  const warm = await newUser(ctx, 'bench-warmup');
  await ingestSeries(ctx, warm, { ...series, count: Math.min(20_000, options.samples), seed: 99 }, { source: SOURCE }, engine.serverCpu);

  const userId = await newUser(ctx, 'bench-ingest');
  await engine.database.query('CHECKPOINT');
  log(`  ingesting ${options.samples.toLocaleString('en')} samples…`);
  const ingest = await ingestSeries(ctx, userId, series, { source: SOURCE }, engine.serverCpu);
  const check = await rollupCheck(engine, userId);
  await engine.database.query('CHECKPOINT');
  log('  re-ingesting the same samples…');
  const reingest = await ingestSeries(ctx, userId, series, { source: SOURCE }, engine.serverCpu);
  log('  raw COPY of the same rows…');
  const copy = await copyBaseline(engine, series, userId, SOURCE);
  return { ingest, reingest, copy, check };
}

/** A year of heart rate for one user; fewer samples than one every 3 s spread over the same year (same rollup rows). */
async function loadYear(engine: BenchEngine, ctx: ServiceContext, options: BenchOptions) {
  const userId = await newUser(ctx, 'bench-year');
  const intervalSeconds = (YEAR_DAYS * 86400) / options.yearSamples;
  const series: HeartRateSeries = { start: START, count: options.yearSamples, intervalSeconds, seed: 2, utcOffsetHours: 1 };
  options.log(
    `  loading ${options.yearSamples.toLocaleString('en')} samples over ${YEAR_DAYS} days (one every ${intervalSeconds.toFixed(1)} s)…`,
  );
  const run = await ingestSeries(ctx, userId, series, { source: SOURCE }, engine.serverCpu);
  // Autovacuum would do this within a minute of such a load; reads are measured in that steady state.
  for (const table of ['HealthSample', 'HealthRollup', 'DailyRollup']) await engine.database.query(`VACUUM ANALYZE "${table}"`);
  return { userId, series, year: { ...run, intervalSeconds, days: YEAR_DAYS } };
}

async function readLatencies(engine: BenchEngine, ctx: ServiceContext, userId: string, series: HeartRateSeries, options: BenchOptions) {
  const timed = { warmups: options.warmups, runs: options.runs };
  const end = seriesEnd(series);
  const weekFrom = new Date(START.getTime() + 180 * 86400e3);
  const weekTo = new Date(weekFrom.getTime() + 7 * 86400e3);
  let points = 0;
  let hourPoints = 0;
  let rows = 0;
  const timeseriesDayYear = await latency(async () => {
    points = (await timeseries(ctx, userId, { metricType: HEART_RATE, bucket: 'day', from: START, to: end })).data.length;
  }, timed);
  const timeseriesHourWeek = await latency(async () => {
    hourPoints = (await timeseries(ctx, userId, { metricType: HEART_RATE, bucket: 'hour', from: weekFrom, to: weekTo })).data.length;
  }, timed);
  const lastDay = new Date(START.getTime() + (YEAR_DAYS - 1) * 86400e3).toISOString().slice(0, 10);
  const dailySummaries365 = await latency(async () => {
    const page = await dailySummaries(
      ctx,
      userId,
      { from: START.toISOString().slice(0, 10), to: lastDay, metricTypes: [HEART_RATE] },
      { limit: 500 },
    );
    rows = page.data.length;
  }, timed);
  // What the day series would cost without rollups: the same buckets computed from the raw samples.
  let rawRows = 0;
  const rawScanDayYear = await latency(
    async () => {
      rawRows = (
        await engine.database.query(
          `SELECT date_trunc('day', "recordedAt" AT TIME ZONE $4) AS day, count(*) AS n, avg(value) AS value FROM "HealthSample"
         WHERE "userId" = $1 AND "metricType" = $5 AND "recordedAt" >= $2 AND "recordedAt" < $3 GROUP BY 1`,
          [userId, START.toISOString(), end.toISOString(), TIMEZONE, HEART_RATE],
        )
      ).length;
    },
    { warmups: 1, runs: options.rawScanRuns },
  );
  return {
    timeseriesDayYear: { ...timeseriesDayYear, points },
    timeseriesHourWeek: { ...timeseriesHourWeek, points: hourPoints },
    dailySummaries365: { ...dailySummaries365, rows },
    rawScanDayYear: { ...rawScanDayYear, rows: rawRows },
  };
}

/** Walks keyset pages of 100 up to page 1000, then times page 1, page 2 (the first cursor page) and page 1000. */
async function cursorPages(ctx: ServiceContext, userId: string, options: BenchOptions): Promise<EngineResult['pages']> {
  const timed = { warmups: options.warmups, runs: options.runs };
  const page = (cursor: string | null) => listSamples(ctx, userId, {}, { limit: PAGE_SIZE, cursor });
  const cursors: (string | null)[] = [null];
  const walkStarted = performance.now();
  for (let n = 1; n < DEEP_PAGE; n++) {
    const next = (await page(cursors[n - 1]!)).nextCursor;
    if (!next) throw new Error(`only ${n} pages of ${PAGE_SIZE} samples; page ${DEEP_PAGE} needs more samples`);
    cursors.push(next);
  }
  const walkMs = performance.now() - walkStarted;
  const page1 = await latency(() => page(null), timed);
  const page2 = await latency(() => page(cursors[1]!), timed);
  const page1000 = await latency(() => page(cursors[DEEP_PAGE - 1]!), timed);
  return { page1, page2, page1000, walkMs };
}

export async function runEngine(name: EngineName, options: BenchOptions): Promise<EngineResult> {
  const started = performance.now();
  options.log(`${name}: opening a fresh database…`);
  const loadAtStart = loadavg()[0]!;
  const engine = await openEngine(name, options.postgresUrl);
  // Ctrl-C must not leave a scratch database behind. Dropping it cuts the pool's connections, whose errors are moot now.
  const abort = () => {
    options.log('  interrupted: removing the scratch database…');
    process.exitCode = INTERRUPTED;
    process.on('uncaughtException', () => undefined);
    void engine.abort().finally(() => process.exit(INTERRUPTED));
  };
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  try {
    const [version] = await engine.database.query<{ server_version: string }>('SHOW server_version');
    const ctx = engine.ctx;
    const { ingest, reingest, copy, check } = await ingestPhases(engine, ctx, options);
    const { userId, series, year } = await loadYear(engine, ctx, options);
    options.log('  timing reads…');
    const reads = await readLatencies(engine, ctx, userId, series, options);
    options.log(`  walking ${DEEP_PAGE} cursor pages…`);
    const pages = await cursorPages(ctx, userId, options);
    const loadAverage = { start: loadAtStart, end: loadavg()[0]! };
    const serverVersion = version?.server_version ?? '?';
    return {
      engine: name,
      serverVersion,
      copy,
      ingest,
      reingest,
      year,
      reads,
      pages,
      rollupCheck: check,
      loadAverage,
      totalMs: performance.now() - started,
    };
  } finally {
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
    await engine.dispose();
  }
}
