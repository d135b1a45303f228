/**
 * The ingestion statement: one round trip inserts a chunk of samples (skipping the ones already stored under
 * their natural key) and folds exactly the inserted rows into the 15-minute and daily rollups. Data-modifying
 * CTEs run once and together, so a chunk and its rollups commit or fail as one.
 *
 * Parameters: $1 ids, $2 metric types, $3 recordedAt (ISO), $4 endAt (ISO|null), $5 values, $6 devices,
 * $7 external ids (arrays, one entry per sample); $8 user id, $9 source, $10 connection id, $11 IANA zone.
 * Returns one row per metric type that got new samples, with what records and live updates need.
 */
const MERGE_AGGREGATES = (table: string) => `
  count = "${table}".count + EXCLUDED.count,
  sum = "${table}".sum + EXCLUDED.sum,
  min = LEAST("${table}".min, EXCLUDED.min),
  max = GREATEST("${table}".max, EXCLUDED.max),
  "lastValue" = CASE WHEN EXCLUDED."lastAt" >= "${table}"."lastAt" THEN EXCLUDED."lastValue" ELSE "${table}"."lastValue" END,
  "lastAt" = GREATEST("${table}"."lastAt", EXCLUDED."lastAt")`;

const AGGREGATES = `count(*), sum(value), min(value), max(value), max("recordedAt"),
  (array_agg(value ORDER BY "recordedAt" DESC))[1]`;

export const INGEST_SAMPLES_SQL = `
WITH input AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::float8[], $6::text[], $7::text[])
    AS t(id, "metricType", "recordedAt", "endAt", value, device, "externalId")
),
inserted AS (
  INSERT INTO "HealthSample" (id, "userId", "metricType", "recordedAt", "endAt", value, source, device, "connectionId", "externalId")
  SELECT id, $8, "metricType", "recordedAt", "endAt", value, $9, device, $10, "externalId" FROM input
  ON CONFLICT ("userId", "metricType", "recordedAt", source, device) DO NOTHING
  RETURNING id, "metricType", "recordedAt", value
),
quarter_hours AS (
  INSERT INTO "HealthRollup" ("userId", "metricType", source, "bucketStart", count, sum, min, max, "lastAt", "lastValue")
  SELECT $8, "metricType", $9, to_timestamp(floor(extract(epoch FROM "recordedAt") / 900) * 900), ${AGGREGATES}
  FROM inserted GROUP BY 2, 4
  ON CONFLICT ("userId", "metricType", source, "bucketStart") DO UPDATE SET ${MERGE_AGGREGATES('HealthRollup')}
),
days AS (
  INSERT INTO "DailyRollup" ("userId", "metricType", source, day, timezone, count, sum, min, max, "lastAt", "lastValue")
  SELECT $8, "metricType", $9, ("recordedAt" AT TIME ZONE $11)::date, $11, ${AGGREGATES}
  FROM inserted GROUP BY 2, 4
  ON CONFLICT ("userId", "metricType", source, day) DO UPDATE SET ${MERGE_AGGREGATES('DailyRollup')}
)
SELECT "metricType",
  count(*)::int AS inserted,
  min("recordedAt") AS "firstAt",
  max("recordedAt") AS "lastAt",
  (array_agg(id ORDER BY value DESC, "recordedAt"))[1] AS "maxId",
  max(value) AS "maxValue",
  (array_agg("recordedAt" ORDER BY value DESC, "recordedAt"))[1] AS "maxAt",
  (array_agg(id ORDER BY value ASC, "recordedAt"))[1] AS "minId",
  min(value) AS "minValue",
  (array_agg("recordedAt" ORDER BY value ASC, "recordedAt"))[1] AS "minAt"
FROM inserted GROUP BY 1`;

/** What INGEST_SAMPLES_SQL returns per metric type. */
export interface IngestedMetric {
  metricType: string;
  inserted: number;
  firstAt: Date;
  lastAt: Date;
  maxId: string;
  maxValue: number;
  maxAt: Date;
  minId: string;
  minValue: number;
  minAt: Date;
}
