import type { ServiceContext } from '../../context.js';
import { emit } from '../../domain-events/emit.js';
import type { Habit, HabitCompletion, Prisma } from '../../generated/prisma/client.js';
import { Invalid, NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Streaks } from '../../lib/streaks.js';
import { checkDay, localDay } from '../../lib/time.js';
import { dateOf, dayOf, habitPlan } from './habit-view.js';
import { findHabit, MAX_TARGET_PER_DAY } from './habits.js';
import { habitPeriods, habitStreaks, STREAK_UNIT_OF } from './schedule.js';

/** Streak lengths announced once per habit (habit.streak_reached), in the habit's own periods. */
export const STREAK_MILESTONES = [7, 30, 100] as const;

/** A habit's completions on a local day, as POST …/complete answers it and the habit_completion.* events carry it. */
export interface HabitCompletionView {
  habitId: string;
  userId: string;
  date: string;
  count: number;
  targetPerDay: number;
  /** count ≥ targetPerDay. */
  met: boolean;
  at: Date;
}

function completionView(habit: Habit, row: HabitCompletion): HabitCompletionView {
  const date = dayOf(row.localDate);
  return {
    habitId: habit.id,
    userId: habit.userId,
    date,
    count: row.count,
    targetPerDay: habit.targetPerDay,
    met: row.count >= habit.targetPerDay,
    at: row.at,
  };
}

/** A completion day: YYYY-MM-DD, not before the habit's start and not after the user's today. */
function checkCompletionDay(habit: Habit, timezone: string, today: string, date: string | null | undefined): string {
  const day = date == null ? today : checkDay('date', date);
  if (day > today) throw new Invalid(`date must not be after today (${today} in ${timezone})`);
  const start = dayOf(habit.startDate);
  if (day < start) throw new Invalid(`date must not be before the habit's startDate ${start}`);
  return day;
}

async function streaksOf(tx: Prisma.TransactionClient, habit: Habit, today: string): Promise<Streaks> {
  const rows = await tx.habitCompletion.findMany({ where: { habitId: habit.id }, select: { localDate: true, count: true } });
  const counts = new Map(rows.map((row) => [dayOf(row.localDate), row.count]));
  return habitStreaks(habitPeriods(habitPlan(habit), counts, today));
}

/** Records each milestone the longest run has reached and announces it, once per habit and milestone. */
async function recordMilestones(ctx: ServiceContext, tx: Prisma.TransactionClient, habit: Habit, day: string, streaks: Streaks) {
  const reachedAt = ctx.clock.now();
  for (const milestone of STREAK_MILESTONES.filter((m) => streaks.longest >= m)) {
    const { count } = await tx.habitMilestone.createMany({
      data: [{ id: newId(), habitId: habit.id, milestone, reachedOn: dateOf(day), reachedAt }],
      skipDuplicates: true,
    });
    if (count === 0) continue;
    await emit(tx, {
      workspaceId: ctx.workspaceId,
      type: 'habit.streak_reached',
      payload: {
        habitId: habit.id,
        userId: habit.userId,
        milestone,
        unit: STREAK_UNIT_OF[habit.frequency as keyof typeof STREAK_UNIT_OF],
        date: day,
        reachedAt,
      },
      occurredAt: reachedAt,
    });
  }
}

/**
 * Sets a habit's completions on a day (default: today in the user's zone) to `count` (default: the habit's
 * target per day, so a bare call marks the day done). Idempotent: the same call again changes nothing and
 * announces nothing; a different count replaces the day's count (habit_completion.updated).
 */
export async function completeHabit(
  ctx: ServiceContext,
  userId: string,
  habitId: string,
  input: { date?: string | null; count?: number | null },
): Promise<{ completion: HabitCompletionView; created: boolean }> {
  const { user, habit } = await findHabit(ctx, userId, habitId);
  const today = localDay(user.timezone, ctx.clock.now());
  const day = checkCompletionDay(habit, user.timezone, today, input.date);
  const count = input.count ?? habit.targetPerDay;
  if (!Number.isInteger(count) || count < 1 || count > MAX_TARGET_PER_DAY)
    throw new Invalid(`count must be an integer from 1 to ${MAX_TARGET_PER_DAY}`);
  return ctx.db.$transaction(async (tx) => {
    const key = { habitId_localDate: { habitId: habit.id, localDate: dateOf(day) } };
    const before = await tx.habitCompletion.findUnique({ where: key });
    const row =
      before?.count === count
        ? before
        : await tx.habitCompletion.upsert({
            where: key,
            create: {
              id: newId(),
              workspaceId: ctx.workspaceId,
              userId: user.id,
              habitId: habit.id,
              localDate: dateOf(day),
              count,
              at: ctx.clock.now(),
            },
            update: { count, at: ctx.clock.now() },
          });
    const view = completionView(habit, row);
    if (row !== before) {
      const type = before ? 'habit_completion.updated' : 'habit_completion.created';
      await emit(tx, { workspaceId: ctx.workspaceId, type, payload: view, occurredAt: ctx.clock.now() });
    }
    const streaks = await streaksOf(tx, habit, today);
    await recordMilestones(ctx, tx, habit, day, streaks);
    return { completion: view, created: before === null };
  });
}

/** Removes a day's completions (milestones once reached stay reached). 404 when the day has none. */
export async function undoCompletion(ctx: ServiceContext, userId: string, habitId: string, date: string): Promise<void> {
  const { habit } = await findHabit(ctx, userId, habitId);
  const day = checkDay('date', date);
  await ctx.db.$transaction(async (tx) => {
    const key = { habitId_localDate: { habitId: habit.id, localDate: dateOf(day) } };
    const row = await tx.habitCompletion.findUnique({ where: key });
    if (!row) throw new NotFound(`habit ${habit.id} has no completion on ${day}`);
    await tx.habitCompletion.deleteMany({ where: { id: row.id } });
    await emit(tx, {
      workspaceId: ctx.workspaceId,
      type: 'habit_completion.deleted',
      payload: completionView(habit, row),
      occurredAt: ctx.clock.now(),
    });
  });
}
