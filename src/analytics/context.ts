import type { ServiceContext } from '../context.js';
import { holdMergedDays, mergedDays } from '../health/daily-summaries.js';
import { ReadMemo } from '../lib/read-memo.js';
import { BadRequest } from '../lib/errors.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { debtOf, loadUpTo, quickCorrelations, recentRecords, storedAnomalies, type RecentRecord } from '../insights/facts.js';
import { detectTrends, type Trend } from '../insights/trends.js';
import { HISTORY_NIGHTS } from '../sleep/debt.js';
import { sleepQuality } from '../sleep/quality.js';
import { holdNights, nightsBetween } from '../sleep/sleep-analysis.js';
import { getReadiness, type Readiness } from '../training/readiness.js';
import { holdWorkouts } from '../training/workouts.js';
import { getUser } from '../users/users.js';
import type { Anomaly } from './anomalies.js';
import { baselineOf, byMetric, type Baseline } from './baselines.js';
import { contextScores, type ContextScores } from './context-scores.js';
import { renderContext, type ContextText } from './context-text.js';
import type { Correlation } from './correlations.js';

/**
 * The LLM-ready context of a user on a local day: one JSON document of what VitaSync knows, and a compact text of
 * it that fits a caller's token budget (src/analytics/context-text.ts). Everything comes from rollups and short
 * windows: daily values of 90 days, stored anomalies, nights and workouts of a few weeks, and correlations
 * narrowed to lag 0 over 30 days (src/insights/facts.ts says why).
 */
export const CONTEXT_ANOMALY_DAYS = 14;
export const CONTEXT_RECORD_DAYS = 30;
export const CONTEXT_EVENT_DAYS = 7;
export const CONTEXT_CORRELATIONS = 5;
export const DEFAULT_MAX_TOKENS = 2000;
/**
 * How far back from asOf the parts read: days — the resting-HR anchor of yesterday's load for the scores' day
 * (asOf − 2, 90 days); nights — the sleep debt's history (90 + 14); workouts — the max-HR anchor (365) of the scores'
 * readiness (asOf − 2).
 */
const HELD_DAYS = { days: 92, nights: 105, workouts: 367 };
export const MIN_MAX_TOKENS = 50;
export const MAX_MAX_TOKENS = 32_000;

export interface ContextBaseline {
  metricType: string;
  unit: string;
  /** The 30-day baseline (days asOf−30 … asOf−1). */
  baseline30: Baseline;
  /** The mean of the last 7 days (asOf−7 … asOf−1), null without data. */
  mean7: number | null;
  n7: number;
}

export interface ContextSleep {
  from: string;
  to: string;
  debtMinutes: number;
  debtLevel: string;
  needMinutes: number;
  needBasis: string;
  nightsWithData: number;
  averageAsleepMinutes: number | null;
  efficiency: number | null;
  sources: string[];
}

export interface ContextTraining {
  asOf: string;
  ctl: number;
  atl: number;
  tsb: number;
  acwr: number | null;
  rampRate: number | null;
  workouts28: number;
}

export interface ContextWorkout {
  date: string;
  subtype: string | null;
  minutes: number;
  trimp: number;
  source: string;
}

export interface ContextNight {
  date: string;
  asleepMinutes: number;
  source: string;
}

export interface AnalyticsContext extends ContextText {
  userId: string;
  timezone: string;
  asOf: string;
  baselines: ContextBaseline[];
  trends: Trend[];
  anomalies: Anomaly[];
  correlations: Correlation[];
  readiness: Readiness;
  scores: ContextScores;
  training: ContextTraining | null;
  sleep: ContextSleep;
  recentWorkouts: ContextWorkout[];
  recentNights: ContextNight[];
  records: RecentRecord[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function baselinesOf(days: Awaited<ReturnType<typeof mergedDays>>, asOf: string): ContextBaseline[] {
  const result: ContextBaseline[] = [];
  for (const [metricType, series] of byMetric(days)) {
    const baseline30 = baselineOf(metricType, 30, asOf, series);
    if (!baseline30) continue;
    const week = baselineOf(metricType, 7, asOf, series);
    result.push({ metricType, unit: baseline30.unit, baseline30, mean7: week ? round1(week.mean) : null, n7: week?.n ?? 0 });
  }
  return result;
}

export async function analyticsContext(
  ctx: ServiceContext,
  userId: string,
  query: { asOf?: string | null; maxTokens?: number | null },
): Promise<AnalyticsContext> {
  const user = await getUser(ctx, userId);
  const maxTokens = query.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokens) || maxTokens < MIN_MAX_TOKENS || maxTokens > MAX_MAX_TOKENS) {
    throw new BadRequest(`maxTokens must be an integer from ${MIN_MAX_TOKENS} to ${MAX_MAX_TOKENS}`);
  }
  const asOf = query.asOf != null ? checkDay('asOf', query.asOf) : localDay(user.timezone, ctx.clock.now());
  const yesterday = addDays(asOf, -1);
  // Readiness, the scores, correlations and training load each read the user's days, nights and workouts: read
  // each once, over the widest window any of them takes (HELD_DAYS), and serve their parts from memory.
  const reading = { ...ctx, reads: new ReadMemo() };
  await Promise.all([
    holdMergedDays(reading, user.id, addDays(asOf, -HELD_DAYS.days), asOf),
    holdNights(reading, user, addDays(asOf, -HELD_DAYS.nights), asOf),
    holdWorkouts(reading, user, addDays(asOf, -HELD_DAYS.workouts), asOf),
  ]);
  const [days, anomalies, correlations, readiness, scores, nights, load, records] = await Promise.all([
    mergedDays(reading, user.id, addDays(asOf, -90), yesterday, null),
    storedAnomalies(reading, user, addDays(asOf, 1 - CONTEXT_ANOMALY_DAYS), asOf),
    quickCorrelations(reading, user, yesterday, CONTEXT_CORRELATIONS),
    getReadiness(reading, user.id, { asOf }),
    contextScores(reading, user, asOf),
    nightsBetween(reading, user, addDays(asOf, -HISTORY_NIGHTS - 14), asOf),
    loadUpTo(reading, user, asOf),
    recentRecords(reading, user, addDays(asOf, 1 - CONTEXT_RECORD_DAYS), asOf),
  ]);
  const debt = debtOf(nights, asOf);
  const quality = sleepQuality(nights, user.timezone, asOf, debt.nights.length);
  const today = load.days[load.days.length - 1]!;
  const eventsFrom = addDays(asOf, 1 - CONTEXT_EVENT_DAYS);
  const document = {
    userId: user.id,
    timezone: user.timezone,
    asOf,
    baselines: baselinesOf(days, asOf),
    trends: detectTrends(days, yesterday),
    anomalies,
    correlations,
    readiness,
    scores,
    training:
      load.workouts.length === 0
        ? null
        : {
            asOf,
            ctl: today.ctl,
            atl: today.atl,
            tsb: today.tsb,
            acwr: today.acwr,
            rampRate: today.rampRate,
            workouts28: load.workouts.filter((w) => w.date >= load.from).length,
          },
    sleep: {
      from: debt.from,
      to: debt.to,
      debtMinutes: debt.debtMinutes,
      debtLevel: debt.level,
      needMinutes: debt.need.minutes,
      needBasis: debt.need.basis,
      nightsWithData: debt.nightsWithData,
      averageAsleepMinutes: debt.averageAsleepMinutes,
      efficiency: quality.efficiency.mean,
      sources: debt.sources,
    },
    recentWorkouts: load.workouts
      .filter((w) => w.date >= eventsFrom)
      .map((w) => ({
        date: w.date,
        subtype: w.subtype,
        minutes: w.durationMinutes,
        trimp: Math.round(w.trimp * 10) / 10,
        source: w.source,
      })),
    recentNights: debt.nights
      .filter((n) => n.date >= eventsFrom && n.asleepMinutes !== null)
      .map((n) => ({ date: n.date, asleepMinutes: n.asleepMinutes!, source: n.source! })),
    records,
  };
  return { ...document, ...(await renderContext(document, maxTokens)) };
}
