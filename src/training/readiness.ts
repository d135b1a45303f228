import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { modifiedZScore } from '../analytics/statistics.js';
import type { ServiceContext } from '../context.js';
import { mergedDays, type DailySummary } from '../health/daily-summaries.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { HISTORY_NIGHTS, sleepNeed } from '../sleep/debt.js';
import { nightsBetween } from '../sleep/sleep-analysis.js';
import { getUser } from '../users/users.js';
import { loadOf } from './load-report.js';
import { weighScores } from '../analytics/weighted-score.js';

/**
 * Readiness, 0–100: how recovered the user is on a local day, from up to five signals, each scored 0–100 and
 * weighted; the weights of signals without data are shared among the others (none: no score).
 *
 * | signal | value | sub-score | weight |
 * |---|---|---|---|
 * | hrv | the day's hrv_rmssd against the 30 days before | 50 + 25 × z (higher is better) | 30% |
 * | resting_heart_rate | the day's resting HR against the 30 days before | 50 − 25 × z (lower is better) | 20% |
 * | sleep | last night's time asleep / the nightly need (src/sleep/debt.ts) | 200 × ratio − 100 (a full night 100, half 0) | 25% |
 * | form | yesterday's TSB (CTL − ATL, src/training/training-load.ts) | 50 + 2 × TSB | 15% |
 * | temperature | skin_temperature_deviation, else body_temperature − its 30-day median, °C | 100 − 100 × abs(deviation) | 10% |
 *
 * z is the modified z-score (0.6745 × (x − median) / MAD; Iglewicz & Hoaglin 1993), so one odd day in the baseline
 * does not move it; a baseline needs MIN_BASELINE_DAYS days. Sub-scores are clipped to 0–100. HRV and resting HR
 * as markers of recovery: Plews et al. 2013, "Training adaptation and heart rate variability in elite endurance
 * athletes", Sports Med 43(9):773–781; Buchheit 2014, "Monitoring training status with HR measures", Front Physiol
 * 5:73. The weights are VitaSync's, stated here and in each answer.
 */
export const READINESS_WEIGHTS = { hrv: 0.3, resting_heart_rate: 0.2, sleep: 0.25, form: 0.15, temperature: 0.1 } as const;
export type ReadinessSignalId = keyof typeof READINESS_WEIGHTS;
export const BASELINE_DAYS = 30;
export const MIN_BASELINE_DAYS = 7;

export interface SignalBaseline {
  median: number;
  mad: number;
  n: number;
  from: string;
  to: string;
}

export interface ReadinessSignal {
  signal: ReadinessSignalId;
  /** The metric type, or the derived figure (sleep: minutes asleep; form: TSB). */
  source: string;
  value: number;
  unit: string;
  baseline: SignalBaseline | null;
  /** The value against its baseline or reference: z for HRV and resting HR, the ratio for sleep, °C for temperature. */
  deviation: number | null;
  subScore: number;
  weight: number;
  /** The weight's share among the signals with data; contribution = subScore × share. */
  share: number;
  contribution: number;
}

export interface Readiness {
  asOf: string;
  score: number | null;
  level: 'low' | 'moderate' | 'high' | null;
  signals: ReadinessSignal[];
  /** Signals without data that day (their weight went to the others). */
  missing: ReadinessSignalId[];
}

const clip = (value: number) => Math.min(100, Math.max(0, value));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

type Scored = Omit<ReadinessSignal, 'weight' | 'share' | 'contribution'>;

function againstBaseline(
  signal: 'hrv' | 'resting_heart_rate',
  metricType: string,
  days: readonly DailySummary[],
  asOf: string,
  sign: 1 | -1,
): Scored | null {
  const today = days.find((d) => d.metricType === metricType && d.date === asOf);
  const from = addDays(asOf, -BASELINE_DAYS);
  const before = days.filter((d) => d.metricType === metricType && d.date >= from && d.date < asOf).map((d) => d.value);
  if (!today || before.length < MIN_BASELINE_DAYS) return null;
  const z = modifiedZScore(today.value, before);
  if (z === null) return null;
  return {
    signal,
    source: metricType,
    value: today.value,
    unit: today.unit,
    baseline: { median: median(before), mad: medianAbsoluteDeviation(before), n: before.length, from, to: addDays(asOf, -1) },
    deviation: round(z, 3),
    subScore: round(clip(50 + sign * 25 * z)),
  };
}

function temperature(days: readonly DailySummary[], asOf: string): Scored | null {
  const deviation = days.find((d) => d.metricType === 'skin_temperature_deviation' && d.date === asOf);
  if (deviation) {
    return {
      signal: 'temperature',
      source: 'skin_temperature_deviation',
      value: deviation.value,
      unit: deviation.unit,
      baseline: null,
      deviation: deviation.value,
      subScore: round(clip(100 - 100 * Math.abs(deviation.value))),
    };
  }
  const today = days.find((d) => d.metricType === 'body_temperature' && d.date === asOf);
  const from = addDays(asOf, -BASELINE_DAYS);
  const before = days.filter((d) => d.metricType === 'body_temperature' && d.date >= from && d.date < asOf).map((d) => d.value);
  if (!today || before.length < MIN_BASELINE_DAYS) return null;
  const centre = median(before);
  return {
    signal: 'temperature',
    source: 'body_temperature',
    value: today.value,
    unit: today.unit,
    baseline: { median: centre, mad: medianAbsoluteDeviation(before), n: before.length, from, to: addDays(asOf, -1) },
    deviation: round(today.value - centre, 3),
    subScore: round(clip(100 - 100 * Math.abs(today.value - centre))),
  };
}

export async function getReadiness(ctx: ServiceContext, userId: string, query: { asOf?: string | null }): Promise<Readiness> {
  const user = await getUser(ctx, userId);
  const asOf = query.asOf == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('asOf', query.asOf);
  // Three independent reads, side by side on a pool (yesterday's form may need a day before the range a caller
  // may name, 1899-12-31).
  const [days, nights, load] = await Promise.all([
    mergedDays(ctx, user.id, addDays(asOf, -BASELINE_DAYS), asOf, [
      'hrv_rmssd',
      'resting_heart_rate',
      'skin_temperature_deviation',
      'body_temperature',
    ]),
    nightsBetween(ctx, user, addDays(asOf, -HISTORY_NIGHTS), asOf),
    loadOf(ctx, user, addDays(asOf, -1), 1),
  ]);
  const found: Scored[] = [];
  const hrv = againstBaseline('hrv', 'hrv_rmssd', days, asOf, 1);
  const rest = againstBaseline('resting_heart_rate', 'resting_heart_rate', days, asOf, -1);
  if (hrv) found.push(hrv);
  if (rest) found.push(rest);

  const lastNight = nights.get(asOf);
  if (lastNight) {
    const need = sleepNeed(nights, asOf);
    const ratio = lastNight.asleepMinutes / need.minutes;
    found.push({
      signal: 'sleep',
      source: 'sleep_minutes',
      value: round(lastNight.asleepMinutes),
      unit: 'min',
      baseline: null,
      deviation: round(ratio, 3),
      subScore: round(clip(200 * ratio - 100)),
    });
  }

  const yesterday = load.days[0]!;
  if (yesterday.ctl > 0 || yesterday.atl > 0) {
    found.push({
      signal: 'form',
      source: 'tsb',
      value: yesterday.tsb,
      unit: 'TRIMP',
      baseline: null,
      deviation: null,
      subScore: round(clip(50 + 2 * yesterday.tsb)),
    });
  }
  const temp = temperature(days, asOf);
  if (temp) found.push(temp);

  const { items: signals, score } = weighScores(found, (s) => READINESS_WEIGHTS[s.signal]);
  return {
    asOf,
    score,
    level: score === null ? null : score >= 70 ? 'high' : score >= 40 ? 'moderate' : 'low',
    signals,
    missing: (Object.keys(READINESS_WEIGHTS) as ReadinessSignalId[]).filter((id) => !found.some((s) => s.signal === id)),
  };
}
