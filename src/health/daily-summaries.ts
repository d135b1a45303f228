import type { ServiceContext } from '../context.js';
import { BadRequest } from '../lib/errors.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { METRIC_TYPES, requireMetricType, type Aggregation } from './metric-types.js';
import { sourcePriority, sourceRankSql } from './source-priority.js';

export interface DailySummaryQuery {
  /** Local calendar days, YYYY-MM-DD, inclusive. */
  from?: string | null;
  to?: string | null;
  metricTypes?: string[] | null;
}

/** One metric on one local day of the user, from one source (the workspace's source priority decides). */
export interface DailySummary {
  date: string;
  timezone: string;
  metricType: string;
  unit: string;
  /** The metric's default aggregation: the day's total for steps, the mean for heart rate… */
  agg: Aggregation;
  value: number;
  count: number;
  min: number;
  max: number;
  source: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const VALUE_BY_AGG: Record<Aggregation, string> = {
  avg: 'sum / NULLIF(count, 0)',
  min: 'min',
  max: 'max',
  sum: 'sum',
  count: 'count',
  last: '"lastValue"',
};

function checkDate(name: string, value: string | null | undefined): string | null {
  if (value == null) return null;
  if (!DATE.test(value) || Number.isNaN(Date.parse(value + 'T00:00:00Z'))) throw new BadRequest(`${name} must be a date YYYY-MM-DD`);
  return value;
}

// The value column follows each metric's own aggregation, so the expression is chosen per row in SQL.
const VALUE_CASE = `CASE "metricType" ${METRIC_TYPES.map((m) => `WHEN '${m.id}' THEN ${VALUE_BY_AGG[m.aggregation]}`).join(' ')} ELSE sum / NULLIF(count, 0) END`;

/**
 * Per-day values per metric in the user's time zone (a DST day has 23 or 25 hours; +05:30 and +05:45 days are
 * days too), served from the daily rollups; keyset pages on (date, metricType).
 */
export async function dailySummaries(
  ctx: ServiceContext,
  userId: string,
  query: DailySummaryQuery,
  args: PageArgs,
): Promise<Page<DailySummary>> {
  const user = await getUser(ctx, userId);
  const from = checkDate('from', query.from);
  const to = checkDate('to', query.to);
  if (from && to && from > to) throw new BadRequest('from must not be after to');
  const metricTypes = query.metricTypes?.length ? query.metricTypes.map((id) => requireMetricType(id).id) : null;
  const priorities = await sourcePriority(ctx);
  const params = [user.id, from, to, metricTypes, priorities];
  const chosen = `
    WITH ranked AS (
      SELECT *, row_number() OVER (PARTITION BY day, "metricType" ORDER BY ${sourceRankSql('$5')}, source) AS choice
      FROM "DailyRollup"
      WHERE "userId" = $1 AND ($2::date IS NULL OR day >= $2::date) AND ($3::date IS NULL OR day <= $3::date)
        AND ($4::text[] IS NULL OR "metricType" = ANY($4::text[]))
    )
    SELECT to_char(day, 'YYYY-MM-DD') AS date, timezone, "metricType", (${VALUE_CASE})::float8 AS value,
      count, min, max, source FROM ranked WHERE choice = 1`;
  return paginate(args, {
    list: `daily-summaries:${user.id}`,
    count: async () => Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM (${chosen}) AS days`, params))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) => {
      const rows = await ctx.sql.query<Omit<DailySummary, 'unit' | 'agg'>>(
        `SELECT * FROM (${chosen}) AS days
         WHERE ($6::text IS NULL OR (date, "metricType") > ($6::text, $7::text))
         ORDER BY date, "metricType" LIMIT $8 OFFSET $9`,
        [...params, after ? String(after[0]) : null, after ? String(after[1]) : null, take, after ? 0 : skip],
      );
      return rows.map((row) => {
        const metric = requireMetricType(row.metricType);
        return { ...row, unit: metric.unit, agg: metric.aggregation, value: Number(row.value), count: Number(row.count) };
      });
    },
    keyOf: (row) => [row.date, row.metricType],
  });
}
