import type { ServiceContext } from '../context.js';
import { mergedDays } from '../health/daily-summaries.js';
import type { DailySummary } from '../health/daily-summaries.js';
import { requireMetricType } from '../health/metric-types.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { seriesStatistics, type SeriesStatistics } from './statistics.js';

/** The rolling windows a baseline is kept over, in local days. */
export const BASELINE_WINDOWS = [7, 30, 90] as const;
export type BaselineWindow = (typeof BASELINE_WINDOWS)[number];

/** A metric's statistics over the window's daily values, with the data behind them. */
export interface Baseline extends SeriesStatistics {
  metricType: string;
  unit: string;
  windowDays: BaselineWindow;
  /** The window: local days from–to inclusive, ending the day before asOf. */
  from: string;
  to: string;
  /** Share of the window's days with a value (n / windowDays). */
  coverage: number;
  /** Samples behind the daily values. */
  samples: number;
  /** Sources of the daily values, most days first. */
  sources: string[];
}

export interface BaselineReport {
  userId: string;
  timezone: string;
  /** The day the baselines are for; the windows end the day before (a day in progress would bias them). */
  asOf: string;
  baselines: Baseline[];
}

export interface BaselineQuery {
  asOf?: string | null;
  metricTypes?: readonly string[] | null;
}

/** The daily values of one metric before `day`: the `windowDays` local days day−windowDays … day−1. */
export function windowBefore(days: readonly DailySummary[], day: string, windowDays: number): DailySummary[] {
  const first = addDays(day, -windowDays);
  return days.filter((entry) => entry.date >= first && entry.date < day);
}

/** Days grouped by metric, each list in date order (mergedDays returns them so). */
export function byMetric(days: readonly DailySummary[]): Map<string, DailySummary[]> {
  const grouped = new Map<string, DailySummary[]>();
  for (const entry of days) {
    const list = grouped.get(entry.metricType);
    if (list) list.push(entry);
    else grouped.set(entry.metricType, [entry]);
  }
  return grouped;
}

/** Statistics of a window's days, with what they stand on; null when the window has no day with a value. */
export function baselineOf(metricType: string, windowDays: BaselineWindow, asOf: string, days: readonly DailySummary[]): Baseline | null {
  const inWindow = windowBefore(days, asOf, windowDays);
  const statistics = seriesStatistics(inWindow.map((entry) => entry.value));
  if (!statistics) return null;
  const sourceDays = new Map<string, number>();
  for (const entry of inWindow) for (const source of entry.sources) sourceDays.set(source, (sourceDays.get(source) ?? 0) + 1);
  return {
    metricType,
    unit: requireMetricType(metricType).unit,
    windowDays,
    from: addDays(asOf, -windowDays),
    to: addDays(asOf, -1),
    ...statistics,
    coverage: statistics.n / windowDays,
    samples: inWindow.reduce((sum, entry) => sum + entry.count, 0),
    sources: [...sourceDays].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([source]) => source),
  };
}

/**
 * Rolling 7-, 30- and 90-day baselines of every metric with data, as of a local day (default: the user's today).
 * Computed from the daily rollups (at most 90 rows per metric), so they are current as soon as data is ingested.
 */
export async function baselines(ctx: ServiceContext, userId: string, query: BaselineQuery): Promise<BaselineReport> {
  const user = await getUser(ctx, userId);
  const asOf = query.asOf != null ? checkDay('asOf', query.asOf) : localDay(user.timezone, ctx.clock.now());
  const metricTypes = query.metricTypes?.length ? query.metricTypes.map((id) => requireMetricType(id).id) : null;
  const longest = BASELINE_WINDOWS[BASELINE_WINDOWS.length - 1]!;
  const days = await mergedDays(ctx, user.id, addDays(asOf, -longest), addDays(asOf, -1), metricTypes);
  const result: Baseline[] = [];
  for (const [metricType, series] of byMetric(days)) {
    for (const window of BASELINE_WINDOWS) {
      const baseline = baselineOf(metricType, window, asOf, series);
      if (baseline) result.push(baseline);
    }
  }
  return { userId: user.id, timezone: user.timezone, asOf, baselines: result };
}
