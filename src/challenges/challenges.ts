import type { ServiceContext } from '../context.js';
import { getMetricType, requireMetricType } from '../health/metric-types.js';
import { Conflict, Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import {
  CHALLENGE_AGGREGATIONS,
  CHALLENGE_COLUMNS,
  CHALLENGE_VISIBILITIES,
  toChallengeRow,
  type ChallengeAggregation,
  type ChallengeRow,
  type ChallengeVisibility,
} from './challenge-store.js';
import { refreshStanding } from './standings.js';

export interface ChallengeInput {
  name: string;
  metricType: string;
  aggregation?: ChallengeAggregation | null;
  startDate: string;
  endDate: string;
  visibility?: ChallengeVisibility | null;
}

export interface ChallengeView extends ChallengeRow {
  unit: string;
  members: number;
}

export interface Membership {
  challengeId: string;
  userId: string;
  joinedAt: Date;
  value: number;
  days: number;
}

export const MAX_CHALLENGE_NAME = 100;
/** A year and a day: longer windows would be seasons, not challenges. */
export const MAX_CHALLENGE_DAYS = 366;

function check<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Totals are summed over the window (steps); other metrics compare their average day. */
function defaultAggregation(metricType: string): ChallengeAggregation {
  const aggregation = getMetricType(metricType)?.aggregation;
  return aggregation === 'sum' || aggregation === 'count' ? 'sum' : 'mean';
}

const MEMBERS_SQL = `(SELECT count(*) FROM "ChallengeMember" m WHERE m."challengeId" = c.id)::int AS members`;

function toView(row: Record<string, unknown>): ChallengeView {
  const challenge = toChallengeRow(row);
  return { ...challenge, unit: requireMetricType(challenge.metricType).unit, members: Number(row.members) };
}

export async function createChallenge(ctx: ServiceContext, input: ChallengeInput): Promise<ChallengeView> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > MAX_CHALLENGE_NAME) throw new Invalid(`name must be 1 to ${MAX_CHALLENGE_NAME} characters`);
  const metric = requireMetricType(input.metricType);
  const aggregation = check('aggregation', input.aggregation ?? defaultAggregation(metric.id), CHALLENGE_AGGREGATIONS);
  const visibility = check('visibility', input.visibility ?? 'public', CHALLENGE_VISIBILITIES);
  const startDate = checkDay('startDate', input.startDate);
  const endDate = checkDay('endDate', input.endDate);
  if (endDate < startDate) throw new Invalid('endDate must not be before startDate');
  if (Date.parse(endDate) - Date.parse(startDate) >= MAX_CHALLENGE_DAYS * 86_400_000) {
    throw new Invalid(`a challenge lasts at most ${MAX_CHALLENGE_DAYS} days`);
  }
  const [row] = await ctx.sql.query(
    `INSERT INTO "Challenge" AS c (id, "workspaceId", name, "metricType", aggregation, "startDate", "endDate", visibility)
     VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, $8) RETURNING ${CHALLENGE_COLUMNS}, 0 AS members`,
    [newId(), ctx.workspaceId, name, metric.id, aggregation, startDate, endDate, visibility],
  );
  return toView(row!);
}

/** The workspace's challenges in creation order; private ones only when asked for. */
export async function listChallenges(
  ctx: ServiceContext,
  query: { visibility?: ChallengeVisibility | null },
  args: PageArgs,
): Promise<Page<ChallengeView>> {
  const visibility = check('visibility', query.visibility ?? 'public', CHALLENGE_VISIBILITIES);
  const where = `c."workspaceId" = $1 AND c.visibility = $2`;
  return paginate(args, {
    list: `challenges:${ctx.workspaceId}:${visibility}`,
    count: async () =>
      Number(
        (await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Challenge" c WHERE ${where}`, [ctx.workspaceId, visibility]))[0]
          ?.n ?? 0,
      ),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${CHALLENGE_COLUMNS}, ${MEMBERS_SQL} FROM "Challenge" c WHERE ${where} AND ($3::text IS NULL OR c.id > $3)
           ORDER BY c.id LIMIT $4 OFFSET $5`,
          [ctx.workspaceId, visibility, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toView),
    keyOf: (row) => [row.id],
  });
}

/** A challenge of the key's workspace (another workspace's is not found). */
export async function getChallenge(ctx: ServiceContext, challengeId: string): Promise<ChallengeRow> {
  const [row] = await ctx.sql.query(`SELECT ${CHALLENGE_COLUMNS} FROM "Challenge" c WHERE c.id = $1 AND c."workspaceId" = $2`, [
    challengeId,
    ctx.workspaceId,
  ]);
  if (!row) throw new NotFound(`challenge ${challengeId} not found`);
  return toChallengeRow(row);
}

/**
 * Adds a user of the workspace to a challenge, with their standing so far. Idempotent: joining again answers the
 * membership as it is (`created` false). After the last day of the window in the user's zone it is a 409.
 */
export async function joinChallenge(
  ctx: ServiceContext,
  challengeId: string,
  userId: string,
): Promise<{ membership: Membership; created: boolean }> {
  const challenge = await getChallenge(ctx, challengeId);
  const user = await getUser(ctx, userId);
  return ctx.sql.transaction(async (tx) => {
    const select = `SELECT "challengeId", "userId", "joinedAt", value, days FROM "ChallengeMember" WHERE "challengeId" = $1 AND "userId" = $2`;
    const [existing] = await tx.query<Membership>(select, [challenge.id, user.id]);
    if (existing) return { membership: { ...existing, value: Number(existing.value) }, created: false };
    const today = localDay(user.timezone, ctx.clock.now());
    if (today > challenge.endDate)
      throw new Conflict(`challenge ${challenge.id} ended on ${challenge.endDate} (it is ${today} for this user)`);
    const inserted = await tx.query(
      `INSERT INTO "ChallengeMember" ("challengeId", "userId") VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING "userId"`,
      [challenge.id, user.id],
    );
    await refreshStanding(tx, challenge, user.id);
    const [membership] = await tx.query<Membership>(select, [challenge.id, user.id]);
    return { membership: { ...membership!, value: Number(membership!.value) }, created: inserted.length > 0 };
  });
}
