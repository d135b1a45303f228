import { bucketStartSql, firstInstantSql, type Bucket } from './bucket-sql.js';
import { IS_LONG_SAMPLE, mergedQuartersSql, QUARTER } from './merge-sql.js';

/** The chosen quarter hours of metric $2 for user $1 in [$3, $4) under the priority list $6. */
const CHOSEN = mergedQuartersSql({ user: '$1', metrics: 'ARRAY[$2::text]', start: '$3', end: '$4', priorities: '$6' });

/**
 * Parts of a merged series with their bucket's start and the sources behind them (comma-separated; source ids
 * have no commas): day, week and month buckets in the user's own zone come from the merged daily rollups, hours and
 * other zones from the chosen quarter hours, minutes from the samples of the source chosen for their quarter hour.
 * $5 is the zone.
 */
function partsSql(bucket: Bucket, fromDaily: boolean): string {
  if (fromDaily) {
    return `SELECT (date_trunc('${bucket}', day::timestamp) AT TIME ZONE $5) AS start, array_to_string(sources, ',') AS sources,
        count, sum, min, max, "lastAt", "lastValue"
      FROM "MergedDailyRollup" WHERE "userId" = $1 AND "metricType" = $2
        AND day >= ($3::timestamptz AT TIME ZONE $5)::date AND day < ($4::timestamptz AT TIME ZONE $5)::date`;
  }
  if (bucket !== 'minute') {
    return `SELECT ${bucketStartSql(bucket, 'quarter')} AS start, source AS sources, count, sum, min, max, "lastAt", "lastValue" FROM chosen`;
  }
  return `SELECT date_trunc('minute', s."recordedAt") AS start, s.source AS sources, 1 AS count, s.value AS sum, s.value AS min,
        s.value AS max, s."recordedAt" AS "lastAt", s.value AS "lastValue"
      FROM "HealthSample" s JOIN chosen c ON NOT c.long AND c.source = s.source AND c.quarter = ${QUARTER('s."recordedAt"')}
      WHERE s."userId" = $1 AND s."metricType" = $2 AND s."recordedAt" >= $3 AND s."recordedAt" < $4 AND NOT ${IS_LONG_SAMPLE}
    UNION ALL
    SELECT date_trunc('minute', "lastAt"), source, count, sum, min, max, "lastAt", "lastValue" FROM chosen WHERE long`;
}

/**
 * The merged series of a cumulative metric (merge-sql.ts): per bucket, the aggregates of the chosen quarter hours,
 * with `value` computed by `valueSql` over count, sum, min, max and last, and the sources used. Parameters as in
 * timeseries.ts: $1 user, $2 metric, $3 and $4 the bucket-aligned window, $5 zone, $6 priorities.
 */
export function mergedTimeseriesSql(bucket: Bucket, fromDaily: boolean, valueSql: string): string {
  // The zone CTE gives $5 and $6 their types in the statements that do not use them.
  const chosen = fromDaily ? '' : `, chosen AS (${CHOSEN})`;
  return `WITH zone AS (SELECT $5::text AS name, $6::text[] AS priorities)${chosen},
    parts AS (${partsSql(bucket, fromDaily)}),
    buckets AS (
      SELECT start, sum(count)::float8 AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
        (array_agg("lastValue" ORDER BY "lastAt" DESC))[1] AS last, string_agg(sources, ',') AS sources
      FROM parts GROUP BY start
    )
    SELECT ${firstInstantSql(bucket, 'start', '$5')} AS start, count, (${valueSql})::float8 AS value, sources FROM buckets ORDER BY 1`;
}
