import type { ServiceContext } from '../context.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { addDays, checkDay, localDay, startOfLocalDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { recordAchievedPeriods } from './goal-checks.js';
import { dailyValues, goalMetric } from './goal-metrics.js';
import { GOAL_COLUMNS, GOAL_STATUSES, insertGoal, judged, saveGoal, toGoalRow, type GoalRow, type GoalStatus } from './goal-store.js';
import { GOAL_PERIODS, type GoalPeriod } from './periods.js';
import {
  goalProgress,
  GOAL_DIRECTIONS,
  REACH_BASELINE_DAYS,
  STREAK_LOOKBACK_DAYS,
  type GoalDirection,
  type GoalProgress,
} from './progress.js';

export interface GoalInput {
  name?: string | null;
  metricType: string;
  target: number;
  direction?: GoalDirection | null;
  period: GoalPeriod;
  startDate?: string | null;
  endDate?: string | null;
}

export interface GoalChanges {
  name?: string | null;
  target?: number | null;
  direction?: GoalDirection | null;
  endDate?: string | null;
  status?: GoalStatus | null;
}

/** A goal as GET lists it: its settings, the metric's unit and its progress as of a local day. */
export interface GoalView extends GoalRow {
  unit: string;
  progress: GoalProgress;
}

export const MAX_GOAL_NAME = 100;
export const MAX_GOAL_TARGET = 1e9;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > MAX_GOAL_NAME) throw new Invalid(`name must be 1 to ${MAX_GOAL_NAME} characters`);
  return trimmed;
}

function checkTarget(target: number): number {
  if (!Number.isFinite(target) || Math.abs(target) > MAX_GOAL_TARGET)
    throw new Invalid(`target must be a number from -${MAX_GOAL_TARGET} to ${MAX_GOAL_TARGET}`);
  return target;
}

function checkSpan(goal: Pick<GoalRow, 'period' | 'startDate' | 'endDate'>): void {
  if (goal.period === 'by_date' && goal.endDate === null) throw new Invalid('endDate is required for a by_date goal');
  if (goal.endDate !== null && goal.endDate < goal.startDate) throw new Invalid('endDate must not be before startDate');
}

function check<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Progress of goals as of a local day: one rollup read per goal, over its current period and streak window. */
async function withProgress(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  goals: GoalRow[],
  asOf: string | null,
): Promise<GoalView[]> {
  const now = ctx.clock.now();
  const today = localDay(user.timezone, now);
  const day = asOf ?? today;
  // A past day is judged as it stood at its end; today as it stands now.
  const at = day >= today ? now.getTime() : startOfLocalDay(user.timezone, addDays(day, 1));
  const views: GoalView[] = [];
  for (const goal of goals) {
    const spec = judged(goal);
    // The streak window (plus the month it may start in), the whole span of a by_date goal, and a reach goal's start.
    const window = addDays(day, -STREAK_LOOKBACK_DAYS - 31);
    const from =
      goal.direction === 'reach'
        ? addDays(goal.startDate, -REACH_BASELINE_DAYS)
        : goal.period === 'by_date' || goal.startDate > window
          ? goal.startDate
          : window;
    const values = await dailyValues(ctx, user, spec.metric, from, day);
    views.push({ ...goal, unit: spec.metric.unit, progress: goalProgress(spec, user.timezone, values, day, at) });
  }
  return views;
}

export async function listGoals(
  ctx: ServiceContext,
  userId: string,
  query: { status?: GoalStatus | null; asOf?: string | null },
  args: PageArgs,
): Promise<Page<GoalView>> {
  const user = await getUser(ctx, userId);
  const asOf = query.asOf == null ? null : checkDay('asOf', query.asOf);
  const status = query.status == null ? null : check('status', query.status, GOAL_STATUSES);
  const where = `"userId" = $1 AND ($2::text IS NULL OR status = $2)`;
  const page = await paginate(args, {
    list: `goals:${user.id}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Goal" WHERE ${where}`, [user.id, status]))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${GOAL_COLUMNS} FROM "Goal" WHERE ${where} AND ($3::text IS NULL OR id > $3) ORDER BY id LIMIT $4 OFFSET $5`,
          [user.id, status, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toGoalRow),
    keyOf: (row) => [row.id],
  });
  return { ...page, data: await withProgress(ctx, user, page.data, asOf) };
}

/** Creates a goal and records the periods its data already meets (goal.achieved for each). */
export async function createGoal(ctx: ServiceContext, userId: string, input: GoalInput): Promise<GoalView> {
  const user = await getUser(ctx, userId);
  const metric = goalMetric(input.metricType);
  const period = check('period', input.period, GOAL_PERIODS);
  const direction = check('direction', input.direction ?? 'at_least', GOAL_DIRECTIONS);
  const target = checkTarget(input.target);
  const today = localDay(user.timezone, ctx.clock.now());
  const startDate = input.startDate == null ? today : checkDay('startDate', input.startDate);
  const endDate = input.endDate == null ? null : checkDay('endDate', input.endDate);
  const name = checkName(
    input.name ?? `${metric.id.replaceAll('_', ' ')} ${direction.replace('_', ' ')} ${target} ${period.replace('_', ' ')}`,
  );
  checkSpan({ period, startDate, endDate });
  const goal = await ctx.sql.transaction(async (tx) => {
    const row = await insertGoal(tx, {
      id: newId(),
      workspaceId: ctx.workspaceId,
      userId: user.id,
      name,
      metricType: metric.id,
      target,
      direction,
      period,
      startDate,
      endDate,
    });
    await recordAchievedPeriods(tx, user, row, startDate, today, ctx.clock.now());
    return row;
  });
  return (await withProgress(ctx, user, [goal], null))[0]!;
}

async function findGoal(
  ctx: ServiceContext,
  userId: string,
  goalId: string,
): Promise<{ user: { id: string; timezone: string }; goal: GoalRow }> {
  const user = await getUser(ctx, userId);
  const [row] = await ctx.sql.query(`SELECT ${GOAL_COLUMNS} FROM "Goal" WHERE id = $1 AND "userId" = $2`, [goalId, user.id]);
  if (!row) throw new NotFound(`goal ${goalId} not found`);
  return { user, goal: toGoalRow(row) };
}

/**
 * Updates name, target, direction, end date or status (metric and period define what was achieved, so a different
 * one is a new goal). Periods already achieved stay achieved; periods the new settings meet are recorded.
 */
export async function updateGoal(ctx: ServiceContext, userId: string, goalId: string, changes: GoalChanges): Promise<GoalView> {
  const { user, goal } = await findGoal(ctx, userId, goalId);
  const next: GoalRow = {
    ...goal,
    name: changes.name == null ? goal.name : checkName(changes.name),
    target: changes.target == null ? goal.target : checkTarget(changes.target),
    direction: changes.direction == null ? goal.direction : check('direction', changes.direction, GOAL_DIRECTIONS),
    endDate: changes.endDate == null ? goal.endDate : checkDay('endDate', changes.endDate),
    status: changes.status == null ? goal.status : check('status', changes.status, GOAL_STATUSES),
  };
  checkSpan(next);
  const today = localDay(user.timezone, ctx.clock.now());
  const saved = await ctx.sql.transaction(async (tx) => {
    const row = await saveGoal(tx, next);
    if (row.status === 'active') await recordAchievedPeriods(tx, user, row, row.startDate, today, ctx.clock.now());
    return row;
  });
  return (await withProgress(ctx, user, [saved], null))[0]!;
}
