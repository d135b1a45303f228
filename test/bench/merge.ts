/**
 * BENCH_SUITES=merge: a year of steps from a phone carried all day and a watch worn 8:00–12:00 (one sample every
 * 5 minutes each, the quarter-hour rollups of a year for both), then reads of the whole year in day buckets:
 * merged per quarter hour (the default, from the merged daily rollups) against the same read per source
 * (`merge: none`, from the per-source daily rollups) in the same run, on each engine. Also timed: the year's merged
 * daily summaries, a week of merged hour buckets (merged at read time from the quarter-hour rollups), and what the
 * merge adds to ingestion (the year loaded in day-sized pushes).
 */
import type { ServiceContext } from '../../src/context.js';
import { dailySummaries } from '../../src/health/daily-summaries.js';
import { ingestSamples } from '../../src/health/ingest.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { timeseries } from '../../src/health/timeseries.js';
import { createOrFindUser } from '../../src/users/users.js';
import { setSourcePriority } from '../../src/workspaces/settings.js';
import { openEngine, type EngineName } from './engine.js';
import { latency, type Latency } from './measure.js';

export const MERGE_TARGET_MS = 20;
const TIMEZONE = 'Europe/Berlin';
const START = Date.parse('2024-12-31T23:00:00Z');
const DAYS = 365;
const EVERY = 5 * 60_000;

export interface MergeRun {
  engine: EngineName;
  samples: number;
  /** Loading the year: milliseconds per day pushed (phone and watch), merged days refreshed at each push. */
  loadMsPerDay: number;
  merged: Latency & { points: number; total: number };
  perSource: Latency & { points: number };
  summaries: Latency & { rows: number };
  hourWeek: Latency & { points: number };
}

function day(index: number, source: 'phone' | 'watch'): SampleInput[] {
  const midnight = START + index * 86400e3;
  const [from, to] = source === 'phone' ? [0, 24] : [8, 12];
  return Array.from({ length: ((to - from) * 3600e3) / EVERY }, (_, i) => ({
    metricType: 'steps',
    value: source === 'phone' ? 40 : 50,
    recordedAt: new Date(midnight + from * 3600e3 + i * EVERY),
  }));
}

async function runOne(name: EngineName, options: MergeSuiteOptions): Promise<MergeRun> {
  options.log(`merge on ${name}: loading a year of phone and watch steps…`);
  const engine = await openEngine(name, options.postgresUrl);
  try {
    const ctx: ServiceContext = engine.ctx;
    await setSourcePriority(ctx, ['watch', 'phone']);
    const userId = (await createOrFindUser(ctx, 'bench-merge', { timezone: TIMEZONE })).user.id;
    let samples = 0;
    const loadStarted = performance.now();
    for (let index = 0; index < DAYS; index++) {
      for (const source of ['phone', 'watch'] as const)
        samples += (await ingestSamples(ctx, userId, day(index, source), { source })).inserted;
    }
    const loadMsPerDay = (performance.now() - loadStarted) / DAYS;
    for (const table of ['HealthSample', 'HealthRollup', 'DailyRollup', 'MergedDailyRollup'])
      await engine.database.query(`VACUUM ANALYZE "${table}"`);
    const timed = { warmups: options.warmups, runs: options.runs };
    const year = { metricType: 'steps', bucket: 'day' as const, from: new Date(START), to: new Date(START + DAYS * 86400e3) };
    let merged = { points: 0, total: 0 };
    const mergedLatency = await latency(async () => {
      const data = (await timeseries(ctx, userId, year)).data;
      merged = { points: data.length, total: data.reduce((total, point) => total + point.value, 0) };
    }, timed);
    let perSourcePoints = 0;
    const perSource = await latency(async () => {
      perSourcePoints = (await timeseries(ctx, userId, { ...year, merge: 'none' })).data.length;
    }, timed);
    let rows = 0;
    const summaries = await latency(async () => {
      rows = (await dailySummaries(ctx, userId, { from: '2025-01-01', to: '2025-12-31', metricTypes: ['steps'] }, { limit: 500 })).data
        .length;
    }, timed);
    let hourPoints = 0;
    const weekFrom = new Date(START + 180 * 86400e3);
    const hourWeek = await latency(async () => {
      hourPoints = (
        await timeseries(ctx, userId, {
          metricType: 'steps',
          bucket: 'hour',
          from: weekFrom,
          to: new Date(weekFrom.getTime() + 7 * 86400e3),
        })
      ).data.length;
    }, timed);
    return {
      engine: name,
      samples,
      loadMsPerDay,
      merged: { ...mergedLatency, ...merged },
      perSource: { ...perSource, points: perSourcePoints },
      summaries: { ...summaries, rows },
      hourWeek: { ...hourWeek, points: hourPoints },
    };
  } finally {
    await engine.dispose();
  }
}

export interface MergeSuiteOptions {
  engines: EngineName[];
  runs: number;
  warmups: number;
  postgresUrl: string | null;
  log(line: string): void;
}

export async function runMergeSuite(options: MergeSuiteOptions): Promise<MergeRun[]> {
  const runs: MergeRun[] = [];
  for (const name of options.engines) {
    if (name === 'postgres' && !options.postgresUrl)
      options.log('merge on postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else runs.push(await runOne(name, options));
  }
  return runs;
}

const ms = (latency: Latency) =>
  `${latency.medianMs.toFixed(2)} ms median (min ${latency.minMs.toFixed(2)}, max ${latency.maxMs.toFixed(2)})`;

export function formatMergeSuite(runs: MergeRun[]): string {
  const lines = ['Cross-source merge: a year of steps, phone all day + watch 8:00–12:00, every 5 minutes each'];
  for (const run of runs) {
    const expected = DAYS * (20 * 12 * 40 + 4 * 12 * 50);
    lines.push(
      `${run.engine}: ${run.samples.toLocaleString('en')} samples loaded in day-sized pushes, ${run.loadMsPerDay.toFixed(1)} ms per day (both sources)`,
      `  day buckets over the year, merged (${run.merged.points} pts, total ${run.merged.total.toLocaleString('en')}, ` +
        `expected ${expected.toLocaleString('en')}): ${ms(run.merged)}; target < ${MERGE_TARGET_MS} ms ${run.merged.medianMs < MERGE_TARGET_MS ? '✓' : '✗'}`,
      `  the same read per source, merge none (${run.perSource.points} pts): ${ms(run.perSource)}; merged/per-source ${(run.merged.medianMs / run.perSource.medianMs).toFixed(2)}×`,
      `  daily summaries, 365 merged days (${run.summaries.rows} rows): ${ms(run.summaries)}`,
      `  hour buckets over a week, merged at read time (${run.hourWeek.points} pts): ${ms(run.hourWeek)}`,
    );
  }
  return lines.join('\n');
}
