/**
 * BENCH_SUITES=analytics: a user-year of heart rate (one sample every BENCH_ANALYTICS_HR_EVERY seconds, 60 by
 * default; 3 for the issue's figure on PostgreSQL) plus 30 daily metrics for the year, then the analytics reads:
 * baselines (7/30/90 days of every metric), anomaly detection over a week, and correlation discovery over 90 days
 * × 31 series at lags 0–3. The baseline for the ratios, in the same run: reading the same 90 days of daily
 * summaries with GET daily-summaries' service (what any analytics must at least read).
 */
import { detectAnomalies } from '../../src/analytics/anomalies.js';
import { baselines } from '../../src/analytics/baselines.js';
import { discoverCorrelations } from '../../src/analytics/correlations.js';
import type { ServiceContext } from '../../src/context.js';
import { dailySummaries } from '../../src/health/daily-summaries.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { METRIC_TYPES } from '../../src/health/metric-types.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { createOrFindUser } from '../../src/users/users.js';
import { openEngine, type EngineName } from './engine.js';
import { latency, type Latency } from './measure.js';

export const ANALYTICS_TARGETS_MS = { correlations: 200, context: 50, readiness: 20 } as const;
const TIMEZONE = 'Europe/Berlin';
const START = Date.parse('2024-12-31T23:00:00Z');
const DAYS = 365;
const AS_OF = '2026-01-01';

// 30 daily metrics that a wearable and a scale report, each with a plausible level and spread.
const DAILY = METRIC_TYPES.filter((m) => m.kind === 'sample' && m.id !== 'heart_rate' && m.range.max > 1)
  .slice(0, 30)
  .map((m, i) => ({ id: m.id, level: Math.max(m.range.min + 1, Math.min(m.range.max - 1, (m.range.min + m.range.max) / 4 + i)) }));

export interface AnalyticsRun {
  engine: EngineName;
  heartRateSamples: number;
  dailyMetrics: number;
  summaries90: Latency & { rows: number };
  baselines: Latency & { baselines: number };
  anomaliesWeek: Latency & { anomalies: number };
  correlations90: Latency & { tested: number; series: number };
}

/** A deterministic wobble: the same data every run. */
const wobble = (i: number, j: number) => Math.sin(i * 0.37 + j * 1.3) * 0.05 + Math.sin(i * 0.11 * (j + 1)) * 0.03;

async function load(ctx: ServiceContext, userId: string, everySeconds: number): Promise<number> {
  let heartRate = 0;
  for (let day = 0; day < DAYS; day++) {
    const midnight = START + day * 86400e3;
    const samples: SampleInput[] = Array.from({ length: 86400 / everySeconds }, (_, k) => ({
      metricType: 'heart_rate',
      value: Math.round(62 + 20 * Math.sin((k * everySeconds) / 7200) ** 2),
      recordedAt: new Date(midnight + k * everySeconds * 1000),
    }));
    samples.push(
      ...DAILY.map((metric, j) => ({
        metricType: metric.id,
        value: +(metric.level * (1 + wobble(day, j))).toFixed(2),
        recordedAt: new Date(midnight + 7 * 3600e3),
      })),
    );
    heartRate += (await ingestSamples(ctx, userId, samples, { source: 'watch' })).inserted - DAILY.length;
  }
  return heartRate;
}

async function runOne(name: EngineName, options: AnalyticsSuiteOptions): Promise<AnalyticsRun> {
  options.log(
    `analytics on ${name}: loading a year of heart rate every ${options.heartRateEverySeconds} s and ${DAILY.length} daily metrics…`,
  );
  const engine = await openEngine(name, options.postgresUrl);
  try {
    const ctx: ServiceContext = engine.ctx;
    const userId = (await createOrFindUser(ctx, 'bench-analytics', { timezone: TIMEZONE })).user.id;
    const heartRateSamples = await load(ctx, userId, options.heartRateEverySeconds);
    for (const table of ['HealthSample', 'HealthRollup', 'DailyRollup', 'MergedDailyRollup'])
      await engine.database.query(`VACUUM ANALYZE "${table}"`);
    const timed = { warmups: options.warmups, runs: options.runs };
    let rows = 0;
    const summaries90 = await latency(async () => {
      rows = (await dailySummaries(ctx, userId, { from: '2025-10-03', to: '2025-12-31' }, { limit: 500 })).data.length;
    }, timed);
    let count = 0;
    const baselineLatency = await latency(async () => {
      count = (await baselines(ctx, userId, { asOf: AS_OF })).baselines.length;
    }, timed);
    let anomalies = 0;
    const anomaliesWeek = await latency(async () => {
      anomalies = (await detectAnomalies(ctx, userId, { from: '2025-12-25', to: '2025-12-31' })).anomalies.length;
    }, timed);
    let tested = 0;
    let series = 0;
    const correlations90 = await latency(async () => {
      const report = await discoverCorrelations(ctx, userId, { from: '2025-10-03', to: '2025-12-31' });
      tested = report.tested;
      series = report.series.length;
    }, timed);
    return {
      engine: name,
      heartRateSamples,
      dailyMetrics: DAILY.length,
      summaries90: { ...summaries90, rows },
      baselines: { ...baselineLatency, baselines: count },
      anomaliesWeek: { ...anomaliesWeek, anomalies },
      correlations90: { ...correlations90, tested, series },
    };
  } finally {
    await engine.dispose();
  }
}

export interface AnalyticsSuiteOptions {
  engines: EngineName[];
  runs: number;
  warmups: number;
  heartRateEverySeconds: number;
  postgresUrl: string | null;
  log(line: string): void;
}

export async function runAnalyticsSuite(options: AnalyticsSuiteOptions): Promise<AnalyticsRun[]> {
  const runs: AnalyticsRun[] = [];
  for (const name of options.engines) {
    if (name === 'postgres' && !options.postgresUrl)
      options.log('analytics on postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else runs.push(await runOne(name, options));
  }
  return runs;
}

const ms = (latency: Latency) =>
  `${latency.medianMs.toFixed(2)} ms median (min ${latency.minMs.toFixed(2)}, max ${latency.maxMs.toFixed(2)})`;

export function formatAnalyticsSuite(runs: AnalyticsRun[]): string {
  const lines = ['Analytics: a user-year of heart rate plus daily metrics, read from the daily rollups'];
  for (const run of runs) {
    const base = run.summaries90.medianMs;
    const ratio = (latency: Latency) => `${(latency.medianMs / base).toFixed(2)}× the 90-day read`;
    lines.push(
      `${run.engine}: ${run.heartRateSamples.toLocaleString('en')} heart-rate samples, ${run.dailyMetrics} daily metrics × ${DAYS} days`,
      `  baseline: daily summaries, 90 days × all metrics (${run.summaries90.rows} rows): ${ms(run.summaries90)}`,
      `  baselines 7/30/90 days (${run.baselines.baselines}): ${ms(run.baselines)}; ${ratio(run.baselines)}`,
      `  anomalies over a week, 30-day baselines (${run.anomaliesWeek.anomalies} found): ${ms(run.anomaliesWeek)}; ${ratio(run.anomaliesWeek)}`,
      `  correlations, 90 days × ${run.correlations90.series} series, lags 0–3 (${run.correlations90.tested} tests): ${ms(run.correlations90)}; ` +
        `target < ${ANALYTICS_TARGETS_MS.correlations} ms ${run.correlations90.medianMs < ANALYTICS_TARGETS_MS.correlations ? '✓' : '✗'}; ${ratio(run.correlations90)}`,
    );
  }
  return lines.join('\n');
}
