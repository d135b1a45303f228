import type { ServiceContext } from '../context.js';
import type { HealthSample } from '../generated/prisma/client.js';
import type { Key } from '../lib/pagination.js';

/** What selects a user's samples: the filters of `GET /v1/users/:id/health` after validation. */
export interface SampleSelection {
  userId: string;
  metricTypes: string[] | null;
  source: string | null;
  from: Date | null;
  to: Date | null;
}

/**
 * `WHERE` of a sample selection, with its parameters from `$1`, and a name for its shape: each combination of
 * filters is one prepared statement (PostgreSQL plans it once per pooled connection).
 */
function whereOf(selection: SampleSelection): { conditions: string[]; params: unknown[]; shape: string } {
  const conditions = ['"userId" = $1'];
  const params: unknown[] = [selection.userId];
  let shape = '';
  const add = (flag: string, condition: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(condition(params.length));
    shape += flag;
  };
  if (selection.metricTypes) add('m', (n) => `"metricType" = ANY($${n}::text[])`, selection.metricTypes);
  if (selection.source) add('s', (n) => `"source" = $${n}`, selection.source);
  if (selection.from) add('f', (n) => `"recordedAt" >= $${n}`, selection.from);
  if (selection.to) add('t', (n) => `"recordedAt" < $${n}`, selection.to);
  return { conditions, params, shape };
}

/**
 * One window of a user's samples in (recordedAt, id) order, as the Prisma read it replaces returned it, in one
 * prepared statement: on the REST read path Prisma's query building and result mapping cost more CPU than the query
 * (issue 24's profile). The redundant `>=` bound of a keyset page lets the (userId, recordedAt) index start at the
 * cursor; the OR alone would filter every earlier row.
 */
function windowQuery(selection: SampleSelection, window: { take: number; skip: number; after: Key | null }) {
  const { conditions, params, shape } = whereOf(selection);
  let name = `samples_page_${shape}`;
  if (window.after) {
    params.push(new Date(String(window.after[0])), String(window.after[1]));
    const [at, id] = [params.length - 1, params.length];
    conditions.push(`"recordedAt" >= $${at} AND ("recordedAt" > $${at} OR "id" > $${id})`);
    name += '_after';
  }
  params.push(window.take, window.after ? 0 : window.skip);
  const sql =
    `SELECT ${SAMPLE_COLUMNS} FROM "HealthSample" WHERE ${conditions.join(' AND ')}` +
    ` ORDER BY "recordedAt", "id" LIMIT $${params.length - 1} OFFSET $${params.length}`;
  return { sql, params, name };
}

const SAMPLE_COLUMNS =
  '"id", "userId", "metricType", "recordedAt", "endAt", "value", "source", "device", "connectionId", "externalId", "createdAt"';

export async function fetchSampleWindow(
  ctx: Pick<ServiceContext, 'sql'>,
  selection: SampleSelection,
  window: { take: number; skip: number; after: Key | null },
): Promise<HealthSample[]> {
  const { sql, params, name } = windowQuery(selection, window);
  return ctx.sql.query<HealthSample>(sql, params, name);
}

/**
 * An offset page of a selection without a time window and its total from the rollups (below) in one statement: one
 * round trip instead of two, the page's rows joined to the one-row total (which a page past the end still carries).
 */
export async function fetchSamplePageWithTotal(
  ctx: Pick<ServiceContext, 'sql'>,
  selection: SampleSelection,
  window: { take: number; skip: number },
): Promise<{ rows: HealthSample[]; total: number }> {
  const page = windowQuery(selection, { ...window, after: null });
  const total = rollupTotalQuery(selection);
  const sql =
    `WITH total AS (${total.sql}) SELECT total.total AS "listTotal", page.* FROM total` +
    ` LEFT JOIN LATERAL (${page.sql}) AS page ON true`;
  // Both parts bind the same selection parameters ($1…), which come first in the page's list.
  const found = await ctx.sql.query<HealthSample & { listTotal: string | number; id: string | null }>(
    sql,
    page.params,
    `${page.name}_total`,
  );
  const rows = found.filter((row) => row.id !== null).map(({ listTotal: _total, ...row }) => row as HealthSample);
  return { rows, total: Number(found[0]?.listTotal ?? 0) };
}

/**
 * The samples of a selection without a time window counted from the daily rollups, which ingestion, corrections and
 * deletions keep in the same transaction as the samples: the exact total of a first page in a few hundred rows at
 * any size, where COUNT(*) reads every sample (1.2 s at 11.5 M).
 */
function rollupTotalQuery(selection: SampleSelection) {
  const { conditions, params, shape } = whereOf({ ...selection, from: null, to: null });
  const sql = `SELECT COALESCE(SUM("count"), 0)::bigint AS total FROM "DailyRollup" WHERE ${conditions.join(' AND ')}`;
  return { sql, params, name: `samples_total_${shape}` };
}

export async function countSamplesFromRollups(ctx: Pick<ServiceContext, 'sql'>, selection: SampleSelection): Promise<number> {
  const { sql, params, name } = rollupTotalQuery(selection);
  const [row] = await ctx.sql.query<{ total: string | number }>(sql, params, name);
  return Number(row?.total ?? 0);
}
