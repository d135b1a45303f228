/**
 * The ingestion statement: one round trip inserts a chunk of samples (skipping the ones already stored under
 * their natural key with the same value, correcting those with another) and folds exactly the inserted rows into
 * the 15-minute and daily rollups. Data-modifying
 * CTEs run once and together, so a chunk and its rollups commit or fail as one.
 *
 * Parameters: $1 ids, $2 metric types, $3 recordedAt and $4 endAt (epoch ms, endAt may be null; float8 holds a
 * millisecond of any date to the microsecond), $5 values, $6 devices,
 * $7 external ids (arrays, one entry per sample); $8 user id, $9 source, $10 connection id, $11 IANA zone;
 * $12 and $13 the metric types whose highest and lowest sample matter (personal records); $14 true to treat the
 * span as holding stored rows even when it looks empty.
 * Returns one row per metric type that got new or corrected samples, with what records and live updates need.
 */
const MERGE_AGGREGATES = (table: string) => `
  count = "${table}".count + EXCLUDED.count,
  sum = "${table}".sum + EXCLUDED.sum,
  min = LEAST("${table}".min, EXCLUDED.min),
  max = GREATEST("${table}".max, EXCLUDED.max),
  "lastValue" = CASE WHEN EXCLUDED."lastAt" >= "${table}"."lastAt" THEN EXCLUDED."lastValue" ELSE "${table}"."lastValue" END,
  "lastAt" = GREATEST("${table}"."lastAt", EXCLUDED."lastAt")`;

const AGGREGATES = `count(*) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max, max("recordedAt") AS "lastAt",
  (array_agg(value ORDER BY "recordedAt" DESC))[1] AS "lastValue"`;

export const INGEST_SAMPLES_SQL = `
WITH raw AS (
  SELECT id, "metricType", to_timestamp("recordedAtMs" / 1000) AS "recordedAt", to_timestamp("endAtMs" / 1000) AS "endAt", value, device, "externalId", position
  FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::float8[], $6::text[], $7::text[])
    WITH ORDINALITY AS t(id, "metricType", "recordedAtMs", "endAtMs", value, device, "externalId", position)
),
input AS (
  -- One statement may not write a key twice: within a chunk the later sample of a key wins.
  -- Sorted byte-wise (COLLATE "C"): equality is the same under any deterministic collation, the sort far cheaper.
  SELECT DISTINCT ON ("metricType" COLLATE "C", "recordedAt", device COLLATE "C") * FROM raw
  ORDER BY "metricType" COLLATE "C", "recordedAt", device COLLATE "C", position DESC
),
overlap AS (
  -- Whether anything is stored yet in the chunk's time span: a first sync of new data (most of a backfill) has
  -- nothing there, skips the per-row probes below entirely and is written with a plain insert. One index range
  -- read. $14 forces the careful path: the retry after a concurrent writer took some of the same keys.
  SELECT $14::boolean OR EXISTS (
    SELECT 1 FROM "HealthSample" WHERE "userId" = $8 AND "recordedAt" BETWEEN (SELECT min("recordedAt") FROM input) AND (SELECT max("recordedAt") FROM input)
  ) AS found
),
changed AS (
  -- Re-syncs mostly resend what is stored: a key that already holds the same value is dropped here, with one
  -- index probe, instead of taking the insert's far dearer conflict path (a speculative insert, then a lock).
  -- LATERAL … LIMIT 1 keeps it a probe per row: an anti-join may be planned as a scan of the user's samples.
  SELECT i.* FROM input i
  LEFT JOIN LATERAL (
    SELECT h.value FROM "HealthSample" h
    WHERE (SELECT found FROM overlap)
      AND h."userId" = $8 AND h."metricType" = i."metricType" AND h."recordedAt" = i."recordedAt" AND h.source = $9 AND h.device = i.device
    LIMIT 1
  ) stored ON true
  WHERE stored.value IS DISTINCT FROM i.value
),
fresh_rows AS (
  -- Nothing stored in the span: no key can conflict, so no ON CONFLICT, whose speculative insertion costs a third
  -- of the insert. A concurrent ingest writing the same keys makes this fail on the unique key (ingest.ts retries
  -- with $14).
  INSERT INTO "HealthSample" (id, "userId", "metricType", "recordedAt", "endAt", value, source, device, "connectionId", "externalId")
  SELECT id, $8, "metricType", "recordedAt", "endAt", value, $9, device, $10, "externalId" FROM input WHERE NOT (SELECT found FROM overlap)
  RETURNING id, "metricType", "recordedAt", value, true AS fresh
),
merged_rows AS (
  INSERT INTO "HealthSample" (id, "userId", "metricType", "recordedAt", "endAt", value, source, device, "connectionId", "externalId")
  SELECT id, $8, "metricType", "recordedAt", "endAt", value, $9, device, $10, "externalId" FROM changed WHERE (SELECT found FROM overlap)
  -- A source re-sending a key with another value corrects it (a day's total grows until the day ends);
  -- the same value again is a duplicate and writes nothing.
  ON CONFLICT ("userId", "metricType", "recordedAt", source, device) DO UPDATE
    SET value = EXCLUDED.value, "endAt" = EXCLUDED."endAt", "externalId" = EXCLUDED."externalId", "connectionId" = EXCLUDED."connectionId"
    WHERE "HealthSample".value IS DISTINCT FROM EXCLUDED.value
  RETURNING id, "metricType", "recordedAt", value, (xmax = 0) AS fresh
),
written AS (SELECT * FROM fresh_rows UNION ALL SELECT * FROM merged_rows),
inserted AS (SELECT * FROM written WHERE fresh),
quarters AS (
  SELECT "metricType" COLLATE "C" AS "metricType", to_timestamp(floor(extract(epoch FROM "recordedAt") / 900) * 900) AS bucket, ${AGGREGATES}
  FROM inserted GROUP BY 1, 2
),
quarter_hours AS (
  INSERT INTO "HealthRollup" ("userId", "metricType", source, "bucketStart", count, sum, min, max, "lastAt", "lastValue")
  SELECT $8, "metricType", $9, bucket, count, sum, min, max, "lastAt", "lastValue" FROM quarters
  ON CONFLICT ("userId", "metricType", source, "bucketStart") DO UPDATE SET ${MERGE_AGGREGATES('HealthRollup')}
),
-- Local days are cut from the quarter-hour aggregates, one time-zone conversion per bucket instead of per sample:
-- a bucket whose first and last instant fall on the same local date lies within that day (time-zone offsets are
-- whole quarter hours today). Samples of any other bucket (local mean times of old dates) are cut one by one.
odd_quarters AS (
  SELECT "metricType", bucket FROM quarters
  WHERE (bucket AT TIME ZONE $11)::date <> ((bucket + interval '899.999 seconds') AT TIME ZONE $11)::date
),
day_parts AS (
  SELECT "metricType", (bucket AT TIME ZONE $11)::date AS day, count, sum, min, max, "lastAt", "lastValue" FROM quarters q
  WHERE NOT EXISTS (SELECT 1 FROM odd_quarters o WHERE o."metricType" = q."metricType" AND o.bucket = q.bucket)
  UNION ALL
  SELECT "metricType" COLLATE "C", ("recordedAt" AT TIME ZONE $11)::date, 1, value, value, value, "recordedAt", value FROM inserted i
  WHERE EXISTS (SELECT 1 FROM odd_quarters) AND EXISTS (
    SELECT 1 FROM odd_quarters o WHERE o."metricType" = i."metricType" COLLATE "C" AND o.bucket = to_timestamp(floor(extract(epoch FROM i."recordedAt") / 900) * 900)
  )
),
days AS (
  INSERT INTO "DailyRollup" ("userId", "metricType", source, day, timezone, count, sum, min, max, "lastAt", "lastValue")
  SELECT $8, "metricType", $9, day, $11, sum(count), sum(sum), min(min), max(max), max("lastAt"), (array_agg("lastValue" ORDER BY "lastAt" DESC))[1]
  FROM day_parts GROUP BY 2, 4
  ON CONFLICT ("userId", "metricType", source, day) DO UPDATE SET ${MERGE_AGGREGATES('DailyRollup')}
)
SELECT "metricType" COLLATE "C" AS "metricType",
  count(*) FILTER (WHERE fresh)::int AS inserted,
  count(*) FILTER (WHERE NOT fresh)::int AS corrected,
  coalesce(array_agg("recordedAt") FILTER (WHERE NOT fresh), '{}') AS "correctedAt",
  min("recordedAt") AS "firstAt",
  max("recordedAt") AS "lastAt",
  -- Which sample holds the highest (lowest) value is sorted out only for the metrics whose records need it ($12,
  -- $13): for heart rate and the like the filters leave nothing to sort.
  (array_agg(id ORDER BY value DESC, "recordedAt") FILTER (WHERE "metricType" = ANY($12::text[])))[1] AS "maxId",
  max(value) AS "maxValue",
  (array_agg("recordedAt" ORDER BY value DESC, "recordedAt") FILTER (WHERE "metricType" = ANY($12::text[])))[1] AS "maxAt",
  (array_agg(id ORDER BY value ASC, "recordedAt") FILTER (WHERE "metricType" = ANY($13::text[])))[1] AS "minId",
  min(value) AS "minValue",
  (array_agg("recordedAt" ORDER BY value ASC, "recordedAt") FILTER (WHERE "metricType" = ANY($13::text[])))[1] AS "minAt"
FROM written GROUP BY 1`;

/**
 * Corrected samples change sums, minima and maxima that cannot be patched incrementally, so the buckets they fall
 * in are recomputed from the raw samples (a second statement: the first one's CTEs cannot see their own writes).
 * $1 user, $2 source, $3 metric, $4 corrected timestamps, $5 IANA zone.
 */
export const RECOMPUTE_CORRECTED_ROLLUPS_SQL = [
  `UPDATE "HealthRollup" r SET count = f.count, sum = f.sum, min = f.min, max = f.max, "lastAt" = f."lastAt", "lastValue" = f."lastValue"
   FROM (
     SELECT to_timestamp(floor(extract(epoch FROM "recordedAt") / 900) * 900) AS bucket, ${AGGREGATES}
     FROM "HealthSample" WHERE "userId" = $1 AND source = $2 AND "metricType" = $3
       AND to_timestamp(floor(extract(epoch FROM "recordedAt") / 900) * 900) IN
         (SELECT DISTINCT to_timestamp(floor(extract(epoch FROM t) / 900) * 900) FROM unnest($4::timestamptz[]) AS t)
     GROUP BY 1
   ) f
   WHERE r."userId" = $1 AND r.source = $2 AND r."metricType" = $3 AND r."bucketStart" = f.bucket`,
  `UPDATE "DailyRollup" r SET count = f.count, sum = f.sum, min = f.min, max = f.max, "lastAt" = f."lastAt", "lastValue" = f."lastValue"
   FROM (
     SELECT ("recordedAt" AT TIME ZONE $5)::date AS day, ${AGGREGATES}
     FROM "HealthSample" WHERE "userId" = $1 AND source = $2 AND "metricType" = $3
       AND ("recordedAt" AT TIME ZONE $5)::date IN (SELECT DISTINCT (t AT TIME ZONE $5)::date FROM unnest($4::timestamptz[]) AS t)
     GROUP BY 1
   ) f
   WHERE r."userId" = $1 AND r.source = $2 AND r."metricType" = $3 AND r.day = f.day`,
];

/** What INGEST_SAMPLES_SQL returns per metric type. */
export interface IngestedMetric {
  metricType: string;
  inserted: number;
  /** Samples stored before under the same key whose value the source changed. */
  corrected: number;
  correctedAt: Date[];
  firstAt: Date;
  lastAt: Date;
  /** The sample with the highest value (the earliest of equals): for the metrics of $12 only, else null. */
  maxId: string | null;
  maxValue: number;
  maxAt: Date | null;
  /** The sample with the lowest value: for the metrics of $13 only, else null. */
  minId: string | null;
  minValue: number;
  minAt: Date | null;
}
