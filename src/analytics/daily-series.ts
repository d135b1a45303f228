import { mergedDays, type RollupReader } from '../health/daily-summaries.js';

/** A named series of one value per local day: a metric's daily value, or a figure derived from events. */
export interface DailySeries {
  id: string;
  unit: string;
  /** metric: a metric type's daily value; event: minutes of workouts or sleep per local day, from health events. */
  kind: 'metric' | 'event';
  values: Map<string, number>;
}

/**
 * Series derived from health events: minutes of workout per local day of their start, and of sleep per local day
 * of waking (a night belongs to the morning after). Two sources recording the same workout would count it twice,
 * so each day takes the source with the most minutes rather than their sum.
 */
export const EVENT_SERIES_IDS = ['workout_minutes', 'sleep_minutes'] as const;
export type EventSeriesId = (typeof EVENT_SERIES_IDS)[number];

const EVENT_SERIES_SQL = `
SELECT series, to_char(day, 'YYYY-MM-DD') AS date, max(minutes)::float8 AS minutes FROM (
  SELECT CASE type WHEN 'workout' THEN 'workout_minutes' ELSE 'sleep_minutes' END AS series,
    ((CASE type WHEN 'workout' THEN "startAt" ELSE "endAt" END) AT TIME ZONE $2)::date AS day,
    source, sum("durationSeconds") / 60.0 AS minutes
  FROM "HealthEvent"
  WHERE "userId" = $1 AND type IN ('workout', 'sleep')
    AND "startAt" >= ($3::date - 1)::timestamp AT TIME ZONE $2 AND "startAt" < ($4::date + 1)::timestamp AT TIME ZONE $2
  GROUP BY 1, 2, source
) AS per_source
WHERE day BETWEEN $3::date AND $4::date
GROUP BY series, day`;

/**
 * Daily series between two local days: metrics' daily values (merged across sources) and the event-derived
 * series. `ids` null: every series with data; else metric type ids and EVENT_SERIES_IDS.
 */
export async function dailySeries(
  ctx: RollupReader,
  user: { id: string; timezone: string },
  from: string,
  to: string,
  ids: readonly string[] | null,
): Promise<DailySeries[]> {
  const eventIds = ids?.filter((id) => (EVENT_SERIES_IDS as readonly string[]).includes(id)) ?? EVENT_SERIES_IDS;
  const metricTypes = ids?.filter((id) => !(EVENT_SERIES_IDS as readonly string[]).includes(id)) ?? null;
  const days = metricTypes?.length === 0 ? [] : await mergedDays(ctx, user.id, from, to, metricTypes);
  const series = new Map<string, DailySeries>();
  for (const day of days) {
    let entry = series.get(day.metricType);
    if (!entry) series.set(day.metricType, (entry = { id: day.metricType, unit: day.unit, kind: 'metric', values: new Map() }));
    entry.values.set(day.date, day.value);
  }
  if (eventIds.length) {
    const rows = await ctx.sql.query<{ series: EventSeriesId; date: string; minutes: number }>(EVENT_SERIES_SQL, [
      user.id,
      user.timezone,
      from,
      to,
    ]);
    for (const row of rows.filter((r) => eventIds.includes(r.series))) {
      let entry = series.get(row.series);
      if (!entry) series.set(row.series, (entry = { id: row.series, unit: 'min', kind: 'event', values: new Map() }));
      entry.values.set(row.date, Number(row.minutes));
    }
  }
  return [...series.values()].sort((a, b) => a.id.localeCompare(b.id));
}
