import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import { BadRequest } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { checkDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { computeHealthScores, type HealthScores } from './health-scores.js';

/** A stored score: the day's HealthScores with its id and when it was (last) computed. */
export interface StoredHealthScore extends HealthScores {
  id: string;
  computedAt: Date;
}

export interface HealthScoreQuery {
  /** Local days, inclusive. */
  from?: string | null;
  to?: string | null;
}

// Days leave the database as text: a DATE parsed into a JS Date would shift with the server's zone.
const COLUMNS = `id, "userId", to_char(day, 'YYYY-MM-DD') AS day, overall, sleep, activity, cardio, recovery, details, "computedAt"`;

function toStored(row: Record<string, unknown>): StoredHealthScore {
  const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Pick<
    HealthScores,
    'timezone' | 'areas' | 'missing'
  >;
  const score = (value: unknown) => (value == null ? null : Number(value));
  return {
    id: String(row.id),
    userId: String(row.userId),
    timezone: details.timezone,
    asOf: String(row.day),
    overall: score(row.overall),
    sleep: score(row.sleep),
    activity: score(row.activity),
    cardio: score(row.cardio),
    recovery: score(row.recovery),
    areas: details.areas,
    missing: details.missing,
    computedAt: new Date(row.computedAt as string),
  };
}

/** What GET and POST return for a stored score and what `health_score.computed` carries (one serializer). */
export function healthScoreResource(score: StoredHealthScore): Record<string, unknown> {
  return { ...score, computedAt: score.computedAt.toISOString() };
}

/**
 * Computes the scores of a local day (default: the user's yesterday) and stores them: one score per user and day,
 * so computing a day again replaces its figures and keeps its id. Every compute emits `health_score.computed`
 * in the same transaction.
 */
export async function computeAndStoreHealthScore(ctx: ServiceContext, userId: string, asOf?: string | null): Promise<StoredHealthScore> {
  const scores = await computeHealthScores(ctx, userId, asOf);
  const now = ctx.clock.now();
  const details = JSON.stringify({ timezone: scores.timezone, areas: scores.areas, missing: scores.missing });
  return ctx.sql.transaction(async (tx) => {
    const [row] = await tx.query(
      `INSERT INTO "HealthScore" (id, "workspaceId", "userId", day, overall, sleep, activity, cardio, recovery, details, "computedAt")
       VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8, $9, $10::jsonb, $11::timestamptz)
       ON CONFLICT ("userId", day) DO UPDATE SET overall = EXCLUDED.overall, sleep = EXCLUDED.sleep, activity = EXCLUDED.activity,
         cardio = EXCLUDED.cardio, recovery = EXCLUDED.recovery, details = EXCLUDED.details, "computedAt" = EXCLUDED."computedAt"
       RETURNING ${COLUMNS}`,
      [
        newId(),
        ctx.workspaceId,
        scores.userId,
        scores.asOf,
        scores.overall,
        scores.sleep,
        scores.activity,
        scores.cardio,
        scores.recovery,
        details,
        now.toISOString(),
      ],
    );
    const stored = toStored(row!);
    await emit(tx, { workspaceId: ctx.workspaceId, type: 'health_score.computed', payload: healthScoreResource(stored), occurredAt: now });
    return stored;
  });
}

function range(query: HealthScoreQuery): { from: string | null; to: string | null } {
  const from = query.from == null ? null : checkDay('from', query.from);
  const to = query.to == null ? null : checkDay('to', query.to);
  if (from !== null && to !== null && from > to) throw new BadRequest('from must not be after to');
  return { from, to };
}

/** The user's stored scores, newest day first, within from–to (local days, inclusive). */
export async function listHealthScores(
  ctx: ServiceContext,
  userId: string,
  query: HealthScoreQuery,
  args: PageArgs,
): Promise<Page<StoredHealthScore>> {
  const user = await getUser(ctx, userId);
  const { from, to } = range(query);
  const filter = `"userId" = $1 AND ($2::date IS NULL OR day >= $2::date) AND ($3::date IS NULL OR day <= $3::date)`;
  return paginate(args, {
    list: `health-scores:${user.id}:${from ?? ''}:${to ?? ''}`,
    count: async () =>
      Number(
        (await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "HealthScore" WHERE ${filter}`, [user.id, from, to]))[0]?.n ?? 0,
      ),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${COLUMNS} FROM "HealthScore" WHERE ${filter} AND ($4::date IS NULL OR day < $4::date) ORDER BY day DESC LIMIT $5 OFFSET $6`,
          [user.id, from, to, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toStored),
    keyOf: (row) => [row.asOf],
  });
}
