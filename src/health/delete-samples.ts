import type { Queryable } from '../db/prisma-queryable.js';
import { refreshMergedDays } from './merged-daily-rollups.js';

const AGGREGATES = `count(*)::int, sum(s.value), min(s.value), max(s.value), max(s."recordedAt"),
  (array_agg(s.value ORDER BY s."recordedAt" DESC))[1]`;

/** $1 user, $2 source, $3 metric types and $4 instants of the deleted samples (parallel arrays). */
const TOUCHED_QUARTERS = `SELECT DISTINCT m AS "metricType", to_timestamp(floor(extract(epoch FROM t) / 900) * 900) AS bucket
  FROM unnest($3::text[], $4::timestamptz[]) AS x(m, t)`;
const TOUCHED_DAYS = `SELECT DISTINCT m AS "metricType", (t AT TIME ZONE $5)::date AS day FROM unnest($3::text[], $4::timestamptz[]) AS x(m, t)`;

/**
 * Rollups hold sums, which a removed sample cannot be subtracted from exactly (min, max, last value), so the
 * quarter hours and local days (in the user's zone, $5) the removed samples fell in are cleared and summed again
 * from the samples that remain. Two statements each: a statement's CTEs do not see their own deletes.
 */
const RECOMPUTE_SQL = [
  `DELETE FROM "HealthRollup" r USING (${TOUCHED_QUARTERS}) q
   WHERE r."userId" = $1 AND r.source = $2 AND r."metricType" = q."metricType" AND r."bucketStart" = q.bucket`,
  `INSERT INTO "HealthRollup" ("userId", "metricType", source, "bucketStart", count, sum, min, max, "lastAt", "lastValue")
   SELECT $1, q."metricType", $2, q.bucket, ${AGGREGATES}
   FROM (${TOUCHED_QUARTERS}) q JOIN "HealthSample" s ON s."userId" = $1 AND s.source = $2 AND s."metricType" = q."metricType"
     AND s."recordedAt" >= q.bucket AND s."recordedAt" < q.bucket + interval '15 minutes'
   GROUP BY q."metricType", q.bucket`,
  `DELETE FROM "DailyRollup" r USING (${TOUCHED_DAYS}) d
   WHERE r."userId" = $1 AND r.source = $2 AND r."metricType" = d."metricType" AND r.day = d.day`,
  `INSERT INTO "DailyRollup" ("userId", "metricType", source, day, timezone, count, sum, min, max, "lastAt", "lastValue")
   SELECT $1, d."metricType", $2, d.day, $5, ${AGGREGATES}
   FROM (${TOUCHED_DAYS}) d JOIN "HealthSample" s ON s."userId" = $1 AND s.source = $2 AND s."metricType" = d."metricType"
     AND (s."recordedAt" AT TIME ZONE $5)::date = d.day
     AND s."recordedAt" >= (d.day - 1)::timestamp AT TIME ZONE 'UTC' AND s."recordedAt" < (d.day + 2)::timestamp AT TIME ZONE 'UTC'
   GROUP BY d."metricType", d.day`,
];

/**
 * Removes the samples a source stored under some external ids (a wellness log's samples when the log is deleted),
 * with what was summed from them: the per-source quarter-hour and daily rollups of the buckets they fell in, and
 * the merged days around them. In the caller's transaction. Returns how many samples went.
 */
export async function deleteSamplesByExternalId(tx: Queryable, userId: string, source: string, externalIds: string[]): Promise<number> {
  // FOR SHARE, as an ingest: a concurrent zone change (which rebuilds the daily rollups) waits for this delete.
  const [user] = await tx.query<{ timezone: string }>('SELECT timezone FROM "User" WHERE id = $1 FOR SHARE', [userId]);
  if (!user) return 0;
  const removed = await tx.query<{ metricType: string; recordedAt: Date | string }>(
    `DELETE FROM "HealthSample" WHERE "userId" = $1 AND source = $2 AND "externalId" = ANY($3::text[]) RETURNING "metricType", "recordedAt"`,
    [userId, source, externalIds],
  );
  if (!removed.length) return 0;
  const metrics = removed.map((row) => row.metricType);
  const instants = removed.map((row) => new Date(row.recordedAt));
  const params = [userId, source, metrics, instants.map((at) => at.toISOString()), user.timezone];
  for (const [index, sql] of RECOMPUTE_SQL.entries()) await tx.query(sql, index < 2 ? params.slice(0, 4) : params);
  const times = instants.map((at) => at.getTime());
  await refreshMergedDays(tx, userId, [...new Set(metrics)], new Date(Math.min(...times)), new Date(Math.max(...times)));
  return removed.length;
}
