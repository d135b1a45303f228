/**
 * BENCH_SUITES=analytics: a user-year of heart rate (one sample every BENCH_ANALYTICS_HR_EVERY seconds, 60 by
 * default; 3 for the issue's figure on PostgreSQL) plus 30 daily metrics, a staged night of sleep every day and a
 * run every other day for the year, then the analytics reads: baselines (7/30/90 days of every metric), anomaly
 * detection over a week, correlation discovery over 90 days × 31 series at lags 0–3, readiness, training load
 * (42 days), sleep debt and quality (14 nights), health scores, insights (a week) and the LLM context. The baseline for the ratios, in the same run: reading the same 90 days of daily
 * summaries with GET daily-summaries' service (what any analytics must at least read).
 */
import { detectAnomalies } from '../../src/analytics/anomalies.js';
import { baselines } from '../../src/analytics/baselines.js';
import { analyticsContext } from '../../src/analytics/context.js';
import { discoverCorrelations } from '../../src/analytics/correlations.js';
import type { ServiceContext } from '../../src/context.js';
import { dailySummaries } from '../../src/health/daily-summaries.js';
import { ingestEvents } from '../../src/events/ingest-events.js';
import type { EventInput } from '../../src/events/event-input.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { METRIC_TYPES } from '../../src/health/metric-types.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { listInsights } from '../../src/insights/insights.js';
import { computeHealthScores } from '../../src/scores/health-scores.js';
import { getSleepDebt, getSleepQuality } from '../../src/sleep/sleep-analysis.js';
import { getTrainingLoad } from '../../src/training/load-report.js';
import { getReadiness } from '../../src/training/readiness.js';
import { createOrFindUser } from '../../src/users/users.js';
import { openEngine, type EngineName } from './engine.js';
import { latency, type Latency } from './measure.js';

export const ANALYTICS_TARGETS_MS = { correlations: 200, context: 50, readiness: 20 } as const;
const TIMEZONE = 'Europe/Berlin';
const START = Date.parse('2024-12-31T23:00:00Z');
const DAYS = 365;
const AS_OF = '2026-01-01';
const LAST_DAY = '2025-12-31';

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
  readiness: Latency & { score: number | null; signals: number };
  trainingLoad: Latency & { workouts: number };
  sleepDebt: Latency & { nights: number };
  sleepQuality: Latency & { nights: number };
  healthScores: Latency & { overall: number | null };
  insights: Latency & { insights: number };
  context: Latency & { tokens: number; sections: number };
}

/** A deterministic wobble: the same data every run. */
const wobble = (i: number, j: number) => Math.sin(i * 0.37 + j * 1.3) * 0.05 + Math.sin(i * 0.11 * (j + 1)) * 0.03;

/** A night of 7–8 h ending the morning of `midnight`'s day, in four stages, and a 40–60 min run every other day. */
function eventsOf(day: number, midnight: number): EventInput[] {
  const bed = midnight - 1.5 * 3600e3 + (day % 5) * 600e3;
  const minutes = 420 + (day % 7) * 10;
  const stage = (name: string, from: number, to: number) => ({
    stage: name,
    startAt: new Date(bed + from * 60e3).toISOString(),
    endAt: new Date(bed + to * 60e3).toISOString(),
  });
  const night: EventInput = {
    type: 'sleep',
    startAt: new Date(bed),
    endAt: new Date(bed + minutes * 60e3),
    details: {
      stages: [stage('light', 0, 120), stage('deep', 120, 200), stage('rem', 200, 300), stage('light', 300, minutes)],
    },
  };
  if (day % 2 === 1) return [night];
  const start = midnight + 17 * 3600e3;
  const run: EventInput = {
    type: 'workout',
    subtype: 'running',
    startAt: new Date(start),
    endAt: new Date(start + (40 + (day % 3) * 10) * 60e3),
    distance: 8000 + (day % 3) * 1000,
    avgHeartRate: 140 + (day % 4) * 5,
    maxHeartRate: 175,
  };
  return [night, run];
}

async function load(ctx: ServiceContext, userId: string, everySeconds: number): Promise<number> {
  let heartRate = 0;
  for (let day = 0; day < DAYS; day++) {
    const midnight = START + day * 86400e3;
    await ingestEvents(ctx, userId, eventsOf(day, midnight), { source: 'watch' });
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
    for (const table of ['HealthSample', 'HealthRollup', 'DailyRollup', 'MergedDailyRollup', 'HealthEvent'])
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
    let score: number | null = null;
    let signals = 0;
    const readiness = await latency(async () => {
      const answer = await getReadiness(ctx, userId, { asOf: LAST_DAY });
      score = answer.score;
      signals = answer.signals.length;
    }, timed);
    let workouts = 0;
    const trainingLoad = await latency(async () => {
      workouts = (await getTrainingLoad(ctx, userId, { asOf: LAST_DAY, days: 42 })).workouts.length;
    }, timed);
    let debtNights = 0;
    const sleepDebt = await latency(async () => {
      debtNights = (await getSleepDebt(ctx, userId, { asOf: LAST_DAY })).nights.length;
    }, timed);
    let qualityNights = 0;
    const sleepQuality = await latency(async () => {
      qualityNights = (await getSleepQuality(ctx, userId, { asOf: LAST_DAY })).nights.length;
    }, timed);
    let overall: number | null = null;
    const healthScores = await latency(async () => {
      overall = (await computeHealthScores(ctx, userId, LAST_DAY)).overall;
    }, timed);
    let found = 0;
    const insights = await latency(async () => {
      found = (await listInsights(ctx, userId, { to: LAST_DAY, limit: 50 })).data.length;
    }, timed);
    let tokens = 0;
    let sections = 0;
    const context = await latency(async () => {
      const answer = await analyticsContext(ctx, userId, { asOf: AS_OF });
      tokens = answer.tokens;
      sections = answer.included.length;
    }, timed);
    return {
      engine: name,
      healthScores: { ...healthScores, overall },
      insights: { ...insights, insights: found },
      context: { ...context, tokens, sections },
      readiness: { ...readiness, score, signals },
      trainingLoad: { ...trainingLoad, workouts },
      sleepDebt: { ...sleepDebt, nights: debtNights },
      sleepQuality: { ...sleepQuality, nights: qualityNights },
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

const mark = (latency: Latency, target: keyof typeof ANALYTICS_TARGETS_MS) => (latency.medianMs < ANALYTICS_TARGETS_MS[target] ? '✓' : '✗');

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
        `target < ${ANALYTICS_TARGETS_MS.correlations} ms ${mark(run.correlations90, 'correlations')}; ${ratio(run.correlations90)}`,
      `  readiness, ${run.readiness.signals} signals (score ${run.readiness.score}): ${ms(run.readiness)}; ` +
        `target < ${ANALYTICS_TARGETS_MS.readiness} ms ${mark(run.readiness, 'readiness')}; ${ratio(run.readiness)}`,
      `  training load, 42 days (${run.trainingLoad.workouts} workouts, CTL seeded 126 days before): ${ms(run.trainingLoad)}; ${ratio(run.trainingLoad)}`,
      `  sleep debt, 14 nights (${run.sleepDebt.nights}, personal need from 90 before): ${ms(run.sleepDebt)}; ${ratio(run.sleepDebt)}`,
      `  sleep quality, 14 nights (${run.sleepQuality.nights}): ${ms(run.sleepQuality)}; ${ratio(run.sleepQuality)}`,
      `  health scores of a day (overall ${run.healthScores.overall}): ${ms(run.healthScores)}; ${ratio(run.healthScores)}`,
      `  insights over a week (${run.insights.insights}): ${ms(run.insights)}; ${ratio(run.insights)}`,
      `  LLM context, ${run.context.sections} sections, ${run.context.tokens} tokens of 2,000: ${ms(run.context)}; ` +
        `target < ${ANALYTICS_TARGETS_MS.context} ms ${mark(run.context, 'context')}; ${ratio(run.context)}`,
    );
  }
  return lines.join('\n');
}
