import { dailySeries, EVENT_SERIES_IDS } from '../analytics/daily-series.js';
import { mergedDays, type RollupReader } from '../health/daily-summaries.js';
import { getMetricType, METRIC_TYPES, type Aggregation } from '../health/metric-types.js';
import { Invalid } from '../lib/errors.js';

/**
 * What a goal can target: any metric type of the registry (its merged daily value, as GET …/daily-summaries serves
 * it) or a figure derived from health events per local day: `workouts` (workouts started that day),
 * `workout_minutes` and `sleep_minutes` (as the analytics derive them).
 */
export const DERIVED_GOAL_METRICS = ['workouts', ...EVENT_SERIES_IDS] as const;

export const GOAL_METRIC_IDS: readonly string[] = [...METRIC_TYPES.map((metric) => metric.id), ...DERIVED_GOAL_METRICS];

/** How a period's days make the period's value. */
export type PeriodCombine = 'sum' | 'mean' | 'min' | 'max' | 'last';

export interface GoalMetric {
  id: string;
  unit: string;
  combine: PeriodCombine;
  /** Derived from health events (checked when events arrive), else from samples. */
  derived: boolean;
}

/** Totals add up over a period (a week's steps); means average the days; `last` takes the latest day (weight). */
const COMBINE_BY_AGG: Record<Aggregation, PeriodCombine> = {
  sum: 'sum',
  count: 'sum',
  avg: 'mean',
  min: 'min',
  max: 'max',
  last: 'last',
};

export function goalMetric(id: string): GoalMetric {
  if (id === 'workouts') return { id, unit: 'count', combine: 'sum', derived: true };
  if ((EVENT_SERIES_IDS as readonly string[]).includes(id)) return { id, unit: 'min', combine: 'sum', derived: true };
  const metric = getMetricType(id);
  if (!metric) {
    throw new Invalid(
      `metricType ${JSON.stringify(id)} is unknown: a metric type of GET /v1/metric-types or one of ${DERIVED_GOAL_METRICS.join(', ')}`,
    );
  }
  return { id, unit: metric.unit, combine: COMBINE_BY_AGG[metric.aggregation], derived: false };
}

// Two sources recording the same workout would count it twice, so each day takes the source with the most.
const WORKOUTS_SQL = `
SELECT to_char(day, 'YYYY-MM-DD') AS date, max(n)::float8 AS value FROM (
  SELECT ("startAt" AT TIME ZONE $2)::date AS day, source, count(*) AS n FROM "HealthEvent"
  WHERE "userId" = $1 AND type = 'workout'
    AND "startAt" >= ($3::date - 1)::timestamp AT TIME ZONE $2 AND "startAt" < ($4::date + 1)::timestamp AT TIME ZONE $2
  GROUP BY 1, 2
) AS per_source WHERE day BETWEEN $3::date AND $4::date GROUP BY day`;

/** One value per local day with data, from `from` to `to` inclusive. */
export async function dailyValues(
  reader: RollupReader,
  user: { id: string; timezone: string },
  metric: GoalMetric,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  if (metric.id === 'workouts') {
    const rows = await reader.sql.query<{ date: string; value: number }>(WORKOUTS_SQL, [user.id, user.timezone, from, to]);
    return new Map(rows.map((row) => [row.date, Number(row.value)]));
  }
  if (metric.derived) {
    const [series] = await dailySeries(reader, user, from, to, [metric.id]);
    return series?.values ?? new Map();
  }
  const days = await mergedDays(reader, user.id, from, to, [metric.id]);
  return new Map(days.map((day) => [day.date, day.value]));
}
