import type { Queryable } from '../db/prisma-queryable.js';
import { MERGED_METRICS, mergedQuartersSql } from './merge-sql.js';

/**
 * MergedDailyRollup: the quarter-hour merge (merge-sql.ts) summed per local day, so that merged day, week and month
 * reads cost what per-source ones do. The merge of a day depends on every source and on the workspace's priority,
 * so it is recomputed (not patched): for the days an ingest touched, and wholly when the priority, the user's time
 * zone or the stored samples change otherwise.
 *
 * $1 user, $2 metric types, $3 and $4 the first and last local day (inclusive), cleared first by CLEAR_SQL. The user's zone and the
 * workspace's priority are read in the statement, so a change of either that commits first is seen.
 */
export const REFRESH_SQL = `
WITH target AS (
  SELECT u.timezone, w."sourcePriority" AS priorities, ($3::date)::timestamp AT TIME ZONE u.timezone AS "startAt",
    ($4::date + 1)::timestamp AT TIME ZONE u.timezone AS "endAt"
  FROM "User" u JOIN "Workspace" w ON w.id = u."workspaceId" WHERE u.id = $1
),
chosen AS (${mergedQuartersSql({
  user: '$1',
  metrics: '$2',
  start: '(SELECT "startAt" FROM target)',
  end: '(SELECT "endAt" FROM target)',
  priorities: '(SELECT priorities FROM target)',
})}),
per_source AS (
  SELECT "metricType", (quarter AT TIME ZONE (SELECT timezone FROM target))::date AS day, source, sum(count) AS count, sum(sum) AS sum,
    min(min) AS min, max(max) AS max, max("lastAt") AS "lastAt", (array_agg("lastValue" ORDER BY "lastAt" DESC))[1] AS "lastValue"
  FROM chosen GROUP BY 1, 2, 3
)
INSERT INTO "MergedDailyRollup" ("userId", "metricType", day, timezone, count, sum, min, max, "lastAt", "lastValue", sources)
SELECT $1, "metricType", day, (SELECT timezone FROM target), sum(count), sum(sum), min(min), max(max), max("lastAt"),
  (array_agg("lastValue" ORDER BY "lastAt" DESC))[1], array_agg(source ORDER BY source)
FROM per_source GROUP BY 2, 3`;

const CLEAR_SQL = `DELETE FROM "MergedDailyRollup" WHERE "userId" = $1 AND "metricType" = ANY($2::text[]) AND day BETWEEN $3::date AND $4::date`;

async function refresh(tx: Queryable, userId: string, metrics: readonly string[], first: string, last: string): Promise<void> {
  await tx.query(CLEAR_SQL, [userId, metrics, first, last]);
  await tx.query(REFRESH_SQL, [userId, metrics, first, last]);
}

/**
 * Recomputes the merged days around an ingest's samples: a day before and after the samples' local days too, since a
 * long sample (a day total) of a neighbouring day can be beaten or freed by the new data.
 */
export async function refreshMergedDays(tx: Queryable, userId: string, metricTypes: string[], from: Date, to: Date): Promise<void> {
  const metrics = metricTypes.filter((id) => MERGED_METRICS.includes(id));
  if (!metrics.length) return;
  // Two sources ingesting for one user at once would each merge without the other's uncommitted samples: the
  // second waits here for the first to commit, and its statements then see them.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('merged-days:' || $1))`, [userId]);
  const [range] = await tx.query<{ first: string; last: string }>(
    `SELECT to_char(($2::timestamptz AT TIME ZONE timezone)::date - 1, 'YYYY-MM-DD') AS first,
       to_char(($3::timestamptz AT TIME ZONE timezone)::date + 1, 'YYYY-MM-DD') AS last FROM "User" WHERE id = $1`,
    [userId, from.toISOString(), to.toISOString()],
  );
  if (range) await refresh(tx, userId, metrics, range.first, range.last);
}

/** Recomputes every merged day of a user from the quarter-hour rollups (after a zone, priority or data change). */
export async function rebuildMergedDays(tx: Queryable, userId: string): Promise<void> {
  await tx.query(`DELETE FROM "MergedDailyRollup" WHERE "userId" = $1`, [userId]);
  const [range] = await tx.query<{ first: string | null; last: string | null }>(
    `SELECT to_char(min(day), 'YYYY-MM-DD') AS first, to_char(max(day), 'YYYY-MM-DD') AS last FROM "DailyRollup"
     WHERE "userId" = $1 AND "metricType" = ANY($2::text[])`,
    [userId, MERGED_METRICS],
  );
  if (range?.first && range.last) await refresh(tx, userId, MERGED_METRICS, range.first, range.last);
}

/**
 * After the workspace's source priority changed: only users with several sources of a merged metric can see their
 * merge change. Their rows are locked first, so an ingest running meanwhile waits and then merges with the new
 * priority.
 */
export async function rebuildMergedDaysOfWorkspace(tx: Queryable, workspaceId: string): Promise<void> {
  const users = await tx.query<{ userId: string }>(
    `SELECT DISTINCT d."userId" FROM "DailyRollup" d JOIN "User" u ON u.id = d."userId"
     WHERE u."workspaceId" = $1 AND d."metricType" = ANY($2::text[])
     GROUP BY d."userId", d."metricType" HAVING count(DISTINCT d.source) > 1`,
    [workspaceId, MERGED_METRICS],
  );
  for (const { userId } of users) {
    await tx.query('SELECT 1 FROM "User" WHERE id = $1 FOR UPDATE', [userId]);
    await rebuildMergedDays(tx, userId);
  }
}
