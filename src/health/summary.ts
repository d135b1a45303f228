import type { ServiceContext } from '../context.js';
import { getUser } from '../users/users.js';
import { getMetricType } from './metric-types.js';

export interface MetricSummary {
  metricType: string;
  unit: string;
  count: number;
  firstAt: Date;
  lastAt: Date;
  latestValue: number;
  sources: string[];
}

/** Count per metric type with first/last timestamps and the latest value, from the rollups (fast at any size). */
export async function healthSummary(ctx: ServiceContext, userId: string): Promise<MetricSummary[]> {
  const user = await getUser(ctx, userId);
  const rows = await ctx.sql.query<{
    metricType: string;
    count: string;
    firstDay: string;
    lastAt: Date;
    latestValue: number;
    sources: string[];
  }>(
    `SELECT "metricType", sum(count)::bigint AS count, max("lastAt") AS "lastAt",
       (array_agg("lastValue" ORDER BY "lastAt" DESC))[1] AS "latestValue",
       array_agg(DISTINCT source ORDER BY source) AS sources
     FROM "DailyRollup" WHERE "userId" = $1 GROUP BY "metricType" ORDER BY "metricType"`,
    [user.id],
  );
  // The first sample of each metric: one index probe per metric on the natural-key index.
  const firsts = await ctx.sql.query<{ metricType: string; firstAt: Date }>(
    `SELECT m."metricType", (SELECT "recordedAt" FROM "HealthSample" s WHERE s."userId" = $1 AND s."metricType" = m."metricType"
       ORDER BY "recordedAt" LIMIT 1) AS "firstAt"
     FROM unnest($2::text[]) AS m("metricType")`,
    [user.id, rows.map((row) => row.metricType)],
  );
  const firstByMetric = new Map(firsts.map((row) => [row.metricType, new Date(row.firstAt)]));
  return rows.map((row) => ({
    metricType: row.metricType,
    unit: getMetricType(row.metricType)?.unit ?? '',
    count: Number(row.count),
    firstAt: firstByMetric.get(row.metricType) ?? new Date(row.lastAt),
    lastAt: new Date(row.lastAt),
    latestValue: row.latestValue,
    sources: row.sources,
  }));
}
