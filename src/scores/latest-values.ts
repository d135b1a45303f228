import type { ServiceContext } from '../context.js';
import { METRIC_TYPES, requireMetricType } from '../health/metric-types.js';

/** A metric's most recent sample: its value, when it was measured and where it came from. */
export interface LatestValue {
  metricType: string;
  value: number;
  unit: string;
  recordedAt: string;
  source: string;
}

// One index walk per metric type (the newest sample of each), not a scan of the user's samples.
const LATEST_SQL = `
SELECT m.id AS "metricType", s.value, s."recordedAt", s.source
FROM unnest($2::text[]) AS m(id)
CROSS JOIN LATERAL (
  SELECT h.value, h."recordedAt", h.source FROM "HealthSample" h
  WHERE h."userId" = $1 AND h."metricType" = m.id AND h."recordedAt" <= $3::timestamptz
  ORDER BY h."recordedAt" DESC, h.id DESC LIMIT 1
) s
ORDER BY m.id`;

/** The newest sample of each metric with data, measured at or before `at`, metric types in alphabetical order. */
export async function latestValues(ctx: ServiceContext, userId: string, at: Date): Promise<LatestValue[]> {
  const rows = await ctx.sql.query<Record<string, unknown>>(LATEST_SQL, [userId, METRIC_TYPES.map((m) => m.id), at.toISOString()]);
  return rows.map((row) => ({
    metricType: String(row.metricType),
    value: Number(row.value),
    unit: requireMetricType(String(row.metricType)).unit,
    recordedAt: new Date(row.recordedAt as string).toISOString(),
    source: String(row.source),
  }));
}
