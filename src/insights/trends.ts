import type { DailySummary } from '../health/daily-summaries.js';
import { requireMetricType } from '../health/metric-types.js';
import { addDays } from '../lib/time.js';
import { baselineOf, byMetric, windowBefore } from '../analytics/baselines.js';
import { modifiedZScore } from '../analytics/statistics.js';
import { clamp01, round, twoSidedP } from './insight.js';

/**
 * Trends: the mean of the last TREND_WEEK_DAYS local days (ending `to`) against the 30-day baseline of the days
 * before that week (src/analytics/baselines.ts, so the week is not part of its own baseline).
 *
 * Significance: the modified z-score of the week's mean against the baseline's daily values,
 * z = 0.6745 × (weekMean − median) / MAD (Iglewicz & Hoaglin 1993; the MAD = 0 fallback of
 * src/analytics/statistics.ts). A trend needs |z| ≥ TREND_Z: z is in units of one day's spread, and the mean of n
 * days has 1/√n of it, so |z| ≥ 1 with n ≥ 5 days puts the week ≥ 2.2 standard errors from the baseline
 * (two-sided p ≤ 0.025 for independent days; consecutive days are correlated, which is why the bar is not lower).
 * Minimum data: TREND_MIN_WEEK_DAYS days with a value in the week and TREND_MIN_BASELINE_DAYS in the baseline.
 * Confidence: (1 − p) × coverage, with p = 2 × (1 − Φ(|z| × √nWeek)) and coverage = the mean of the week's and the
 * baseline's shares of days with a value.
 */
export const TREND_WEEK_DAYS = 7;
export const TREND_BASELINE_DAYS = 30;
export const TREND_Z = 1;
export const TREND_MIN_WEEK_DAYS = 5;
export const TREND_MIN_BASELINE_DAYS = 14;

export interface Trend {
  metricType: string;
  unit: string;
  direction: 'up' | 'down';
  weekFrom: string;
  weekTo: string;
  weekMean: number;
  weekDays: number;
  baselineFrom: string;
  baselineTo: string;
  baselineMedian: number;
  baselineMad: number;
  baselineDays: number;
  /** Relative change of the week's mean from the baseline median, % (null when the median is 0). */
  changePercent: number | null;
  z: number;
  confidence: number;
  sources: string[];
}

/** The days the trends of a week ending `to` read: its week and the baseline before it. */
export const trendReadFrom = (to: string) => addDays(to, 1 - TREND_WEEK_DAYS - TREND_BASELINE_DAYS);

function trendOf(metricType: string, series: readonly DailySummary[], to: string): Trend | null {
  const weekFrom = addDays(to, 1 - TREND_WEEK_DAYS);
  const week = windowBefore(series, addDays(to, 1), TREND_WEEK_DAYS);
  const baseline = baselineOf(metricType, TREND_BASELINE_DAYS, weekFrom, series);
  if (week.length < TREND_MIN_WEEK_DAYS || !baseline || baseline.n < TREND_MIN_BASELINE_DAYS) return null;
  const weekMean = week.reduce((sum, day) => sum + day.value, 0) / week.length;
  const baselineValues = windowBefore(series, weekFrom, TREND_BASELINE_DAYS).map((day) => day.value);
  const z = modifiedZScore(weekMean, baselineValues);
  if (z === null || Math.abs(z) < TREND_Z) return null;
  const p = twoSidedP(z * Math.sqrt(week.length));
  const coverage = (week.length / TREND_WEEK_DAYS + baseline.n / TREND_BASELINE_DAYS) / 2;
  const sources = [...new Set([...week.flatMap((day) => day.sources), ...baseline.sources])].sort();
  return {
    metricType,
    unit: requireMetricType(metricType).unit,
    direction: z > 0 ? 'up' : 'down',
    weekFrom,
    weekTo: to,
    weekMean: round(weekMean, 2),
    weekDays: week.length,
    baselineFrom: baseline.from,
    baselineTo: baseline.to,
    baselineMedian: round(baseline.median, 2),
    baselineMad: round(baseline.mad, 2),
    baselineDays: baseline.n,
    changePercent: baseline.median === 0 ? null : round((100 * (weekMean - baseline.median)) / Math.abs(baseline.median), 1),
    z: round(z, 3),
    confidence: round(clamp01((1 - p) * coverage), 2),
    sources,
  };
}

/** The trends of every metric in `days` (daily values from trendReadFrom(to) to `to`), metric by metric. */
export function detectTrends(days: readonly DailySummary[], to: string): Trend[] {
  const trends: Trend[] = [];
  for (const [metricType, series] of byMetric(days)) {
    const trend = trendOf(metricType, series, to);
    if (trend) trends.push(trend);
  }
  return trends.sort((a, b) => a.metricType.localeCompare(b.metricType));
}
