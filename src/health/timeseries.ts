import type { ServiceContext } from '../context.js';
import { BadRequest, Invalid } from '../lib/errors.js';
import { assertTimeZone } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { requireMetricType, type Aggregation } from './metric-types.js';
import { assertWindow } from './samples.js';
import { assertSource } from './ingest.js';
import { isMergedMetric } from './merge-sql.js';
import { mergedTimeseriesSql } from './timeseries-merged.js';
import { byPriority, sourcePriority, sourceRankSql } from './source-priority.js';
import { BUCKETS, bucketEndSql, bucketStartSql, firstInstantSql, type Bucket } from './bucket-sql.js';

export { BUCKETS, type Bucket } from './bucket-sql.js';

export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'count', 'last'] as const;

/** `priority`: merge sources by the workspace's priority (the default); `none`: every source's own points. */
export const MERGE_MODES = ['priority', 'none'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

/**
 * How a response was made from several sources: `quarter_hour` (cumulative metrics: per quarter hour the
 * highest-priority source with data, summed into buckets), `bucket` (instant metrics: one source per bucket),
 * `none` (every source's own points, several per bucket), `source` (only the source asked for).
 */
export const MERGED_BY = ['quarter_hour', 'bucket', 'none', 'source'] as const;
export type MergedBy = (typeof MERGED_BY)[number];

export interface TimeseriesQuery {
  metricType: string;
  merge?: MergeMode | null;
  /** Only this source's data (no merge). */
  source?: string | null;
  from?: Date | null;
  to?: Date | null;
  bucket?: Bucket | null;
  agg?: Aggregation | null;
  timezone?: string | null;
}

export interface TimeseriesPoint {
  /** The bucket's start (a local midnight, hour… in `timezone`), as a UTC instant. */
  start: Date;
  value: number;
  /** Samples behind the value (of the sources used). */
  count: number;
  /** The highest-priority source used in the bucket (the only one except for merged cumulative metrics). */
  source: string;
  /** Every source used in the bucket, highest priority first. */
  sources: string[];
}

export interface Timeseries {
  metricType: string;
  unit: string;
  bucket: Bucket;
  agg: Aggregation;
  timezone: string;
  mergedBy: MergedBy;
  /** Every source the series used, highest priority first. */
  sources: string[];
  from: Date;
  to: Date;
  data: TimeseriesPoint[];
}

const DEFAULT_SPAN_DAYS: Record<Bucket, number> = { minute: 1, hour: 7, day: 30, week: 182, month: 365 };
const BUCKET_MS: Record<Bucket, number> = { minute: 60e3, hour: 3600e3, day: 86400e3, week: 7 * 86400e3, month: 28 * 86400e3 };
export const MAX_BUCKETS = 10_000;

const VALUE_SQL: Record<Aggregation, string> = {
  avg: 'sum / NULLIF(count, 0)',
  min: 'min',
  max: 'max',
  sum: 'sum',
  count: 'count',
  last: 'last',
};

const PER_SOURCE_COLUMNS = `sum(count)::float8 AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
  (array_agg("lastValue" ORDER BY "lastAt" DESC))[1] AS last`;

/**
 * Where each bucket size is served from: minutes from raw samples, hours from the 15-minute rollups, days, weeks
 * and months from the daily rollups when asked in the user's own zone (else from the 15-minute rollups).
 * $1 user, $2 metric, $3 start of the first bucket, $4 end of the last, $5 zone.
 */
function perSourceSql(bucket: Bucket, fromDaily: boolean, mayCutQuarters: boolean): string {
  if (bucket === 'minute') {
    return `SELECT date_trunc('minute', "recordedAt") AS start, source, count(*)::float8 AS count, sum(value) AS sum,
        min(value) AS min, max(value) AS max, (array_agg(value ORDER BY "recordedAt" DESC))[1] AS last
      FROM "HealthSample" WHERE "userId" = $1 AND "metricType" = $2 AND "recordedAt" >= $3 AND "recordedAt" < $4
      GROUP BY 1, 2`;
  }
  if (fromDaily) {
    return `SELECT (date_trunc('${bucket}', day::timestamp) AT TIME ZONE $5) AS start, source, ${PER_SOURCE_COLUMNS}
      FROM "DailyRollup" WHERE "userId" = $1 AND "metricType" = $2
        AND day >= ($3::timestamptz AT TIME ZONE $5)::date AND day < ($4::timestamptz AT TIME ZONE $5)::date
      GROUP BY 1, 2`;
  }
  if (!mayCutQuarters) {
    return `SELECT ${bucketStartSql(bucket, '"bucketStart"')} AS start, source, ${PER_SOURCE_COLUMNS}
      FROM "HealthRollup" WHERE "userId" = $1 AND "metricType" = $2 AND "bucketStart" >= $3 AND "bucketStart" < $4
      GROUP BY 1, 2`;
  }
  return `SELECT start, source, ${PER_SOURCE_COLUMNS} FROM (${quarterHourPartsSql(bucket)}) AS parts GROUP BY 1, 2`;
}

/**
 * Since Kiritimati left -10:40 in October 1979, every IANA zone has kept offsets in whole quarter hours
 * (test/health/quarter-hour-offsets.test.ts checks the zone data), so no bucket edge cuts a quarter-hour rollup in a
 * window that starts later, and the per-row test for cut quarters (a dozen time-zone conversions a row, which made
 * the read of a week of hours about 8× slower) is left out.
 */
export const QUARTER_HOUR_OFFSETS_SINCE = new Date('1980-01-01T00:00:00Z');

/**
 * The 15-minute rollups as parts of `bucket`s. A quarter hour lies within one bucket while zones keep offsets in
 * whole quarter hours; one cut by a bucket's edge (local mean time before standard offsets, Monrovia's -00:44:30
 * until 1972) is taken apart into its samples, as ingestion does for days. Such a quarter may start up to 15
 * minutes before the window ($3) and still hold samples within it.
 */
function quarterHourPartsSql(bucket: Bucket): string {
  const startOf = (instant: string) => bucketStartSql(bucket, instant);
  const whole = (quarter: string) => `${startOf(quarter)} = ${startOf(`(${quarter} + interval '899.999 seconds')`)}`;
  return `SELECT ${startOf('"bucketStart"')} AS start, source, count, sum, min, max, "lastAt", "lastValue"
      FROM "HealthRollup" WHERE "userId" = $1 AND "metricType" = $2 AND "bucketStart" >= $3 AND "bucketStart" < $4
        AND ${whole('"bucketStart"')}
    UNION ALL
    SELECT ${startOf('s."recordedAt"')}, s.source, 1, s.value, s.value, s.value, s."recordedAt", s.value
      FROM "HealthRollup" q JOIN "HealthSample" s ON s."userId" = $1 AND s."metricType" = $2 AND s.source = q.source
        AND s."recordedAt" >= q."bucketStart" AND s."recordedAt" < q."bucketStart" + interval '15 minutes'
      WHERE q."userId" = $1 AND q."metricType" = $2 AND q."bucketStart" > $3::timestamptz - interval '15 minutes' AND q."bucketStart" < $4
        AND NOT ${whole('q."bucketStart"')}
        AND s."recordedAt" >= $3 AND s."recordedAt" < $4`;
}

/** The rows of one series: a bucket's start, its sources, the samples behind it and its value. */
interface SeriesRow {
  start: Date;
  sources: string;
  count: number;
  value: number;
}

/**
 * One source per bucket (the workspace's priority decides), or with `every` each source's own points, optionally
 * of one `source` only ($7). Parameters as in perSourceSql, $6 the priorities.
 */
function perSourceSeriesSql(bucket: Bucket, fromDaily: boolean, mayCutQuarters: boolean, agg: Aggregation, every: boolean): string {
  // The zone CTE gives $5 its type even in the minute query, which does not use it.
  return `WITH zone AS (SELECT $5::text AS name), per_source AS (${perSourceSql(bucket, fromDaily, mayCutQuarters)}),
     ranked AS (SELECT *, row_number() OVER (PARTITION BY start ORDER BY ${sourceRankSql('$6')}, source) AS choice FROM per_source
       WHERE $7::text IS NULL OR source = $7)
     SELECT ${firstInstantSql(bucket, 'start', '$5')} AS start, source AS sources, count, (${VALUE_SQL[agg]})::float8 AS value
     FROM ranked WHERE ${every ? 'true' : 'choice = 1'} ORDER BY 1, 2`;
}

/** How a series was made from several sources: see MERGED_BY. */
function mergedBy(metricType: string, query: TimeseriesQuery): MergedBy {
  if (query.source != null) return 'source';
  if ((query.merge ?? 'priority') === 'none') return 'none';
  return isMergedMetric(metricType) ? 'quarter_hour' : 'bucket';
}

/**
 * Aggregated series of one metric. Cumulative metrics are merged across sources per quarter hour (merge-sql.ts),
 * instant ones take one source per bucket; `merge: none` gives every source's own points, `source` one source's.
 */
export async function timeseries(ctx: ServiceContext, userId: string, query: TimeseriesQuery): Promise<Timeseries> {
  const user = await getUser(ctx, userId);
  const metric = requireMetricType(query.metricType);
  const bucket = query.bucket ?? 'day';
  if (!BUCKETS.includes(bucket)) throw new Invalid(`bucket must be one of ${BUCKETS.join(', ')}`);
  const agg = query.agg ?? metric.aggregation;
  if (!AGGREGATIONS.includes(agg)) throw new Invalid(`agg must be one of ${AGGREGATIONS.join(', ')}`);
  if (query.merge != null && !MERGE_MODES.includes(query.merge)) throw new Invalid(`merge must be one of ${MERGE_MODES.join(', ')}`);
  if (query.source != null) assertSource(query.source);
  const timezone = assertTimeZone(query.timezone ?? user.timezone);
  const to = query.to ?? ctx.clock.now();
  const from = query.from ?? new Date(to.getTime() - DEFAULT_SPAN_DAYS[bucket] * 86400e3);
  assertWindow(from, to);
  if ((to.getTime() - from.getTime()) / BUCKET_MS[bucket] > MAX_BUCKETS) {
    throw new BadRequest(`from–to spans more than ${MAX_BUCKETS} ${bucket} buckets; narrow it or use a larger bucket`);
  }
  // Whole buckets: widen the window to the edges of the buckets that hold `from` and `to`.
  const [edges] = await ctx.sql.query<{ start: Date; end: Date }>(
    `SELECT ${firstInstantSql(bucket, bucketStartSql(bucket, '$1::timestamptz', '$3::text'), '$3::text')} AS start,
       ${bucketEndSql(bucket, "($2::timestamptz - interval '1 millisecond')", '$3::text')} AS end`,
    [from.toISOString(), to.toISOString(), timezone],
  );
  const priorities = await sourcePriority(ctx);
  const fromDaily = bucket !== 'hour' && timezone === user.timezone;
  const how = mergedBy(metric.id, query);
  const params = [user.id, metric.id, new Date(edges!.start).toISOString(), new Date(edges!.end).toISOString(), timezone, priorities];
  const rows =
    how === 'quarter_hour'
      ? await ctx.sql.query<SeriesRow>(mergedTimeseriesSql(bucket, fromDaily, VALUE_SQL[agg]), params)
      : await ctx.sql.query<SeriesRow>(
          perSourceSeriesSql(bucket, fromDaily, new Date(edges!.start) < QUARTER_HOUR_OFFSETS_SINCE, agg, how !== 'bucket'),
          [...params, query.source ?? null],
        );
  const data = rows.map((row) => {
    const sources = byPriority(row.sources.split(','), priorities);
    return { start: new Date(row.start), value: Number(row.value), count: Number(row.count), source: sources[0]!, sources };
  });
  return {
    metricType: metric.id,
    unit: agg === 'count' ? 'count' : metric.unit,
    bucket,
    agg,
    timezone,
    mergedBy: how,
    sources: byPriority(
      data.flatMap((point) => point.sources),
      priorities,
    ),
    from,
    to,
    data,
  };
}
