import type { ServiceContext } from '../context.js';
import type { Anomaly } from '../analytics/anomalies.js';
import { byMetric } from '../analytics/baselines.js';
import { holdMergedDays, mergedDays, type DailySummary } from '../health/daily-summaries.js';
import { requireMetricType } from '../health/metric-types.js';
import { recentRecords, storedAnomalies, type RecentRecord } from '../insights/facts.js';
import { ReadMemo } from '../lib/read-memo.js';
import { addDays } from '../lib/time.js';
import { computeHealthScores, type HealthScores } from '../scores/health-scores.js';
import { HISTORY_NIGHTS, sleepDebt } from '../sleep/debt.js';
import { sleepQuality, type MeanFigure } from '../sleep/quality.js';
import { holdNights, nightsBetween } from '../sleep/sleep-analysis.js';
import { loadOf } from '../training/load-report.js';
import { CTL_DAYS } from '../training/training-load.js';

/**
 * The contents of a health report: what the analytics routes say about a period of local days (the user's zone),
 * gathered by calling their services (as the LLM context does, src/analytics/context.ts), never recomputed here:
 * - scores: the health scores (src/scores/health-scores.ts, GET …/health-scores) of the period's last day and of
 *   the previous period's last day, and their change;
 * - trends: per metric, the mean of the daily values (GET …/daily-summaries, merged) in the period against the
 *   previous period of the same length, with the days and sources behind each mean;
 * - activity: the totals of the cumulative metrics (steps, distance, active energy, exercise minutes) over the
 *   period's days, and its workouts;
 * - records: personal records set on the period's days (GET …/records); anomalies: stored anomalies of its days
 *   (GET …/analytics/anomalies);
 * - sleep: src/sleep/debt.ts and quality.ts over the period's nights (GET …/sleep/debt and …/sleep/quality with
 *   asOf = to, days = the period's length): average asleep minutes, efficiency, debt;
 * - training: src/training (GET …/readiness/training-load) at the period's last day: CTL, ATL, TSB, and the
 *   period's workouts with their TRIMP.
 * Every figure names its days (from/to or date), its count of days and its sources.
 */
export const TREND_METRICS = [
  'steps',
  'distance',
  'active_energy',
  'exercise_minutes',
  'resting_heart_rate',
  'hrv_rmssd',
  'heart_rate',
  'respiratory_rate',
  'spo2',
  'weight',
] as const;
export const TOTAL_METRICS = ['steps', 'distance', 'active_energy', 'exercise_minutes'] as const;

export interface ReportPeriod {
  period: 'weekly' | 'monthly' | 'custom';
  from: string;
  to: string;
}

export interface MetricTrend {
  metricType: string;
  unit: string;
  /** Mean of the period's daily values (null without a day of data). */
  mean: number | null;
  days: number;
  /** Mean of the previous period's daily values. */
  previousMean: number | null;
  previousDays: number;
  /** mean − previousMean; null when either is missing. */
  change: number | null;
  /** 100 × change / previousMean, one decimal. */
  changePercent: number | null;
  sources: string[];
}

export interface MetricTotal {
  metricType: string;
  unit: string;
  /** Σ of the period's daily values. */
  total: number;
  /** Days with a value. */
  days: number;
  /** total / days. */
  dailyMean: number | null;
  sources: string[];
}

export interface SeriesPoint {
  date: string;
  value: number;
  sources: string[];
}

export interface ScoreSet {
  asOf: string;
  overall: number | null;
  sleep: number | null;
  activity: number | null;
  cardio: number | null;
  recovery: number | null;
  missing: string[];
}

export interface HealthReportDocument {
  reportId: string;
  userId: string;
  timezone: string;
  period: ReportPeriod['period'];
  from: string;
  to: string;
  days: number;
  previous: { from: string; to: string };
  generatedAt: string;
  scores: {
    current: ScoreSet;
    previous: ScoreSet;
    /** current − previous per score; null when either is missing. */
    change: Record<'overall' | 'sleep' | 'activity' | 'cardio' | 'recovery', number | null>;
  };
  trends: MetricTrend[];
  activity: {
    totals: MetricTotal[];
    workouts: number;
    workoutMinutes: number;
  };
  records: RecentRecord[];
  anomalies: Anomaly[];
  sleep: {
    from: string;
    to: string;
    nightsWithData: number;
    averageAsleepMinutes: number | null;
    efficiency: MeanFigure;
    debtMinutes: number;
    debtLevel: string;
    needMinutes: number;
    needBasis: string;
    sources: string[];
    nights: { date: string; asleepMinutes: number; source: string }[];
  };
  training: {
    asOf: string;
    ctl: number;
    atl: number;
    tsb: number;
    acwr: number | null;
    /** Σ TRIMP of the period's workouts. */
    load: number;
    workouts: { date: string; subtype: string | null; minutes: number; trimp: number; method: string; source: string }[];
  };
  /** The daily series the charts draw. */
  series: { steps: SeriesPoint[]; restingHeartRate: SeriesPoint[]; sleepMinutes: SeriesPoint[] };
}

const round1 = (value: number) => Math.round(value * 10) / 10;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** Days from–to inclusive. */
export function periodDays(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

function scoreSet(scores: HealthScores): ScoreSet {
  const { asOf, overall, sleep, activity, cardio, recovery, missing } = scores;
  return { asOf, overall, sleep, activity, cardio, recovery, missing };
}

function sourcesOf(days: readonly DailySummary[]): string[] {
  const count = new Map<string, number>();
  for (const day of days) for (const source of day.sources) count.set(source, (count.get(source) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([source]) => source);
}

const meanOf = (days: readonly DailySummary[]) => (days.length ? days.reduce((sum, day) => sum + day.value, 0) / days.length : null);

function trendsOf(days: readonly DailySummary[], period: { from: string; to: string }): MetricTrend[] {
  const result: MetricTrend[] = [];
  for (const [metricType, series] of byMetric(days)) {
    const current = series.filter((day) => day.date >= period.from);
    const previous = series.filter((day) => day.date < period.from);
    const mean = meanOf(current);
    const previousMean = meanOf(previous);
    const change = mean !== null && previousMean !== null ? mean - previousMean : null;
    result.push({
      metricType,
      unit: requireMetricType(metricType).unit,
      mean: mean === null ? null : round2(mean),
      days: current.length,
      previousMean: previousMean === null ? null : round2(previousMean),
      previousDays: previous.length,
      change: change === null ? null : round2(change),
      changePercent: change === null || !previousMean ? null : round1((100 * change) / previousMean),
      sources: sourcesOf(series),
    });
  }
  return result;
}

function totalOf(metricType: string, days: readonly DailySummary[]): MetricTotal {
  const total = days.reduce((sum, day) => sum + day.value, 0);
  return {
    metricType,
    unit: requireMetricType(metricType).unit,
    total: round2(total),
    days: days.length,
    dailyMean: days.length ? round2(total / days.length) : null,
    sources: sourcesOf(days),
  };
}

const point = (day: DailySummary): SeriesPoint => ({ date: day.date, value: round2(day.value), sources: day.sources });

/** The report's document for a user and period (checked by the caller). */
export async function reportContent(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  reportId: string,
  period: ReportPeriod,
): Promise<HealthReportDocument> {
  const { from, to } = period;
  const days = periodDays(from, to);
  const previous = { from: addDays(from, -days), to: addDays(from, -1) };
  // The parts read days, nights and workouts: read each once over the widest window and serve the rest from memory.
  const reading = { ...ctx, reads: new ReadMemo() };
  await Promise.all([holdMergedDays(reading, user.id, previous.from, to), holdNights(reading, user, addDays(from, -HISTORY_NIGHTS), to)]);
  const [current, before, periodDaysRows, trendDays, nights, load, records, anomalies] = await Promise.all([
    computeHealthScores(reading, user.id, to),
    computeHealthScores(reading, user.id, previous.to),
    mergedDays(reading, user.id, from, to, null),
    mergedDays(reading, user.id, previous.from, to, TREND_METRICS),
    nightsBetween(reading, user, addDays(from, -HISTORY_NIGHTS), to),
    loadOf(reading, user, to, Math.max(days, CTL_DAYS)),
    recentRecords(reading, user, from, to),
    storedAnomalies(reading, user, from, to),
  ]);
  const debt = sleepDebt(nights, to, days);
  const quality = sleepQuality(nights, user.timezone, to, days);
  const lastDay = load.days[load.days.length - 1]!;
  const workouts = load.workouts.filter((w) => w.date >= from && w.date <= to);
  const byType = byMetric(periodDaysRows);
  const change = (a: number | null, b: number | null) => (a === null || b === null ? null : round1(a - b));
  return {
    reportId,
    userId: user.id,
    timezone: user.timezone,
    period: period.period,
    from,
    to,
    days,
    previous,
    generatedAt: ctx.clock.now().toISOString(),
    scores: {
      current: scoreSet(current),
      previous: scoreSet(before),
      change: {
        overall: change(current.overall, before.overall),
        sleep: change(current.sleep, before.sleep),
        activity: change(current.activity, before.activity),
        cardio: change(current.cardio, before.cardio),
        recovery: change(current.recovery, before.recovery),
      },
    },
    trends: trendsOf(trendDays, period),
    activity: {
      totals: TOTAL_METRICS.filter((id) => byType.has(id)).map((id) => totalOf(id, byType.get(id)!)),
      workouts: workouts.length,
      workoutMinutes: round1(workouts.reduce((sum, w) => sum + w.durationMinutes, 0)),
    },
    records,
    anomalies,
    sleep: {
      from: debt.from,
      to: debt.to,
      nightsWithData: debt.nightsWithData,
      averageAsleepMinutes: debt.averageAsleepMinutes,
      efficiency: quality.efficiency,
      debtMinutes: debt.debtMinutes,
      debtLevel: debt.level,
      needMinutes: debt.need.minutes,
      needBasis: debt.need.basis,
      sources: debt.sources,
      nights: debt.nights
        .filter((night) => night.asleepMinutes !== null)
        .map((night) => ({ date: night.date, asleepMinutes: night.asleepMinutes!, source: night.source! })),
    },
    training: {
      asOf: to,
      ctl: lastDay.ctl,
      atl: lastDay.atl,
      tsb: lastDay.tsb,
      acwr: lastDay.acwr,
      load: round1(workouts.reduce((sum, w) => sum + w.trimp, 0)),
      workouts: workouts.map((w) => ({
        date: w.date,
        subtype: w.subtype,
        minutes: w.durationMinutes,
        trimp: round1(w.trimp),
        method: w.method,
        source: w.source,
      })),
    },
    series: {
      steps: (byType.get('steps') ?? []).map(point),
      restingHeartRate: (byType.get('resting_heart_rate') ?? []).map(point),
      sleepMinutes: debt.nights
        .filter((night) => night.asleepMinutes !== null)
        .map((night) => ({ date: night.date, value: night.asleepMinutes!, sources: [night.source!] })),
    },
  };
}
