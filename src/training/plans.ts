import type { ServiceContext } from '../context.js';
import { Invalid } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { checkDay, localDay } from '../lib/time.js';
import { daysBetween } from '../goals/periods.js';
import { getUser } from '../users/users.js';
import { planCompliance, type PlanCompliance } from './compliance.js';
import { workoutsBetween } from './workouts.js';
import { checkSessions, weekStart, MAX_SESSION_DISTANCE, type PlannedSession, type PlannedSessionInput } from './sessions.js';

export const PLAN_GOAL_KINDS = ['race', 'distance', 'event'] as const;
export type PlanGoalKind = (typeof PLAN_GOAL_KINDS)[number];
export const MAX_PLAN_NAME = 100;
/** Two years: the longest build-up to a goal (an Ironman from scratch). */
export const MAX_PLAN_DAYS = 731;

export interface TrainingPlanInput {
  name: string;
  goalKind: PlanGoalKind;
  goalDate: string;
  goalDistance?: number | null;
  goalDescription?: string | null;
  startDate?: string | null;
  sessions: readonly PlannedSessionInput[];
}

export interface TrainingPlanRow {
  id: string;
  userId: string;
  name: string;
  goalKind: PlanGoalKind;
  goalDistance: number | null;
  goalDescription: string | null;
  startDate: string;
  goalDate: string;
  sessions: PlannedSession[];
  createdAt: Date;
  updatedAt: Date;
}

export type PlanStatus = 'upcoming' | 'active' | 'finished';

/** A plan as GET lists it: its settings and how the workouts so far meet it, as of a local day. */
export interface TrainingPlanView extends TrainingPlanRow, PlanCompliance {
  asOf: string;
  status: PlanStatus;
  /** Weeks of the plan (ISO weeks it touches), and the current week's number in it (1 = the first). */
  weeks: number;
  weekNumber: number;
  daysToGoal: number;
}

// Dates leave the database as text: a DATE parsed into a JS Date would shift with the server's zone.
const PLAN_COLUMNS = `id, "userId", name, "goalKind", "goalDistance", "goalDescription",
  to_char("startDate", 'YYYY-MM-DD') AS "startDate", to_char("goalDate", 'YYYY-MM-DD') AS "goalDate", sessions, "createdAt", "updatedAt"`;

function toPlanRow(row: Record<string, unknown>): TrainingPlanRow {
  return {
    ...(row as unknown as TrainingPlanRow),
    goalDistance: row.goalDistance == null ? null : Number(row.goalDistance),
    sessions: (typeof row.sessions === 'string' ? JSON.parse(row.sessions) : row.sessions) as PlannedSession[],
    createdAt: new Date(row.createdAt as string),
    updatedAt: new Date(row.updatedAt as string),
  };
}

/** Plans judged as of a local day, with one read of the user's workouts for the whole page. */
async function withCompliance(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  plans: TrainingPlanRow[],
  asOf: string | null,
): Promise<TrainingPlanView[]> {
  if (plans.length === 0) return [];
  const today = localDay(user.timezone, ctx.clock.now());
  const day = asOf ?? today;
  const from = plans.reduce((min, plan) => (plan.startDate < min ? plan.startDate : min), plans[0]!.startDate);
  const to = plans.reduce((max, plan) => (plan.goalDate > max ? plan.goalDate : max), plans[0]!.goalDate);
  const last = day < to ? day : to;
  const workouts = last < from ? [] : await workoutsBetween(ctx, user, from, last);
  return plans.map((plan) => {
    const compliance = planCompliance(plan, workouts, day, today);
    const first = weekStart(plan.startDate);
    return {
      ...plan,
      ...compliance,
      asOf: day,
      status: day < plan.startDate ? 'upcoming' : day > plan.goalDate ? 'finished' : 'active',
      weeks: (daysBetween(first, weekStart(plan.goalDate)) - 1) / 7 + 1,
      weekNumber: (daysBetween(first, compliance.currentWeek.weekStart) - 1) / 7 + 1,
      daysToGoal: day > plan.goalDate ? 0 : daysBetween(day, plan.goalDate) - 1,
    };
  });
}

export async function listTrainingPlans(
  ctx: ServiceContext,
  userId: string,
  query: { asOf?: string | null },
  args: PageArgs,
): Promise<Page<TrainingPlanView>> {
  const user = await getUser(ctx, userId);
  const asOf = query.asOf == null ? null : checkDay('asOf', query.asOf);
  const page = await paginate(args, {
    list: `training-plans:${user.id}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "TrainingPlan" WHERE "userId" = $1`, [user.id]))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${PLAN_COLUMNS} FROM "TrainingPlan" WHERE "userId" = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3 OFFSET $4`,
          [user.id, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toPlanRow),
    keyOf: (row) => [row.id],
  });
  return { ...page, data: await withCompliance(ctx, user, page.data, asOf) };
}

function checkGoal(input: TrainingPlanInput): { goalDistance: number | null; goalDescription: string | null } {
  if (!PLAN_GOAL_KINDS.includes(input.goalKind)) throw new Invalid(`goalKind must be one of ${PLAN_GOAL_KINDS.join(', ')}`);
  const goalDistance = input.goalDistance ?? null;
  if (goalDistance !== null && (!Number.isFinite(goalDistance) || goalDistance < 1 || goalDistance > MAX_SESSION_DISTANCE))
    throw new Invalid(`goalDistance must be a number of metres from 1 to ${MAX_SESSION_DISTANCE}`);
  if (goalDistance === null && input.goalKind !== 'event')
    throw new Invalid(`goalDistance (metres) is required for a ${input.goalKind} goal`);
  const goalDescription = input.goalDescription?.trim() || null;
  if (goalDescription !== null && goalDescription.length > 200) throw new Invalid('goalDescription must be at most 200 characters');
  if (goalDescription === null && input.goalKind === 'event') throw new Invalid('goalDescription is required for an event goal');
  return { goalDistance, goalDescription };
}

/** Creates a plan from its planned week; it is judged against workouts already stored from its start. */
export async function createTrainingPlan(ctx: ServiceContext, userId: string, input: TrainingPlanInput): Promise<TrainingPlanView> {
  const user = await getUser(ctx, userId);
  const name = input.name.trim();
  if (name.length < 1 || name.length > MAX_PLAN_NAME) throw new Invalid(`name must be 1 to ${MAX_PLAN_NAME} characters`);
  const goal = checkGoal(input);
  const goalDate = checkDay('goalDate', input.goalDate);
  const startDate = input.startDate == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('startDate', input.startDate);
  if (goalDate < startDate) throw new Invalid('goalDate must not be before startDate');
  if (daysBetween(startDate, goalDate) > MAX_PLAN_DAYS)
    throw new Invalid(`a plan spans at most ${MAX_PLAN_DAYS} days from startDate to goalDate`);
  const sessions = checkSessions(input.sessions);
  const [row] = await ctx.sql.query(
    `INSERT INTO "TrainingPlan" (id, "workspaceId", "userId", name, "goalKind", "goalDistance", "goalDescription", "startDate", "goalDate", sessions, "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::date, $9::date, $10::jsonb, now()) RETURNING ${PLAN_COLUMNS}`,
    [
      newId(),
      ctx.workspaceId,
      user.id,
      name,
      input.goalKind,
      goal.goalDistance,
      goal.goalDescription,
      startDate,
      goalDate,
      JSON.stringify(sessions),
    ],
  );
  return (await withCompliance(ctx, user, [toPlanRow(row!)], null))[0]!;
}
