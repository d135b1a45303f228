import type { ServiceContext } from '../../context.js';
import { Invalid } from '../../lib/errors.js';
import { addDays, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { dayOf, habitPlan } from './habit-view.js';
import { completionRate, dueToday, habitPeriods, habitStreaks, STREAK_UNIT_OF, type HabitFrequency, type StreakUnit } from './schedule.js';

export const DEFAULT_SUMMARY_DAYS = 30;
export const MAX_SUMMARY_DAYS = 366;

/** One habit in the daily summary: today, its streaks (whole history) and its completion rate over the window. */
export interface HabitDaySummary {
  habitId: string;
  name: string;
  frequency: HabitFrequency;
  targetPerDay: number;
  todayCount: number;
  todayMet: boolean;
  dueToday: boolean;
  currentStreak: number;
  longestStreak: number;
  streakUnit: StreakUnit;
  completionRate: number | null;
  metPeriods: number;
  scheduledPeriods: number;
}

export interface HabitSummary {
  date: string;
  timezone: string;
  from: string;
  days: number;
  dueToday: number;
  completedToday: number;
  /** Habits due and met today / habits due today; null when none is due. */
  todayCompletionRate: number | null;
  /** Met periods / counted periods over every habit in the window; null when none counts. */
  completionRate: number | null;
  metPeriods: number;
  scheduledPeriods: number;
  habits: HabitDaySummary[];
}

const ratio = (met: number, of: number): number | null => (of === 0 ? null : met / of);

/**
 * Today in the user's current zone: each habit's count, whether it is due and met, its current and longest streaks
 * counted in its own periods since its start day, and its completion rate over the last `days` local days.
 */
export async function habitSummary(ctx: ServiceContext, userId: string, query: { days?: number | null }): Promise<HabitSummary> {
  const user = await getUser(ctx, userId);
  const days = query.days ?? DEFAULT_SUMMARY_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SUMMARY_DAYS)
    throw new Invalid(`days must be an integer from 1 to ${MAX_SUMMARY_DAYS}`);
  const today = localDay(user.timezone, ctx.clock.now());
  const from = addDays(today, 1 - days);
  const habits = await ctx.db.habit.findMany({ where: { userId: user.id }, orderBy: { id: 'asc' } });
  const rows = await ctx.db.habitCompletion.findMany({
    where: { userId: user.id },
    select: { habitId: true, localDate: true, count: true },
  });
  const countsOf = new Map<string, Map<string, number>>();
  for (const row of rows) {
    const counts = countsOf.get(row.habitId) ?? new Map<string, number>();
    counts.set(dayOf(row.localDate), row.count);
    countsOf.set(row.habitId, counts);
  }
  const summaries = habits.map((habit): HabitDaySummary => {
    const plan = habitPlan(habit);
    const counts = countsOf.get(habit.id) ?? new Map<string, number>();
    const periods = habitPeriods(plan, counts, today);
    const streaks = habitStreaks(periods);
    const rate = completionRate(periods, from);
    const todayCount = today < plan.startDate ? 0 : (counts.get(today) ?? 0);
    return {
      habitId: habit.id,
      name: habit.name,
      frequency: plan.frequency,
      targetPerDay: plan.targetPerDay,
      todayCount,
      todayMet: todayCount >= plan.targetPerDay,
      dueToday: dueToday(plan, counts, today),
      currentStreak: streaks.current,
      longestStreak: streaks.longest,
      streakUnit: STREAK_UNIT_OF[plan.frequency],
      completionRate: rate.rate,
      metPeriods: rate.met,
      scheduledPeriods: rate.scheduled,
    };
  });
  const due = summaries.filter((habit) => habit.dueToday);
  const completed = due.filter((habit) => habit.todayMet).length;
  const metPeriods = summaries.reduce((sum, habit) => sum + habit.metPeriods, 0);
  const scheduledPeriods = summaries.reduce((sum, habit) => sum + habit.scheduledPeriods, 0);
  return {
    date: today,
    timezone: user.timezone,
    from,
    days,
    dueToday: due.length,
    completedToday: completed,
    todayCompletionRate: ratio(completed, due.length),
    completionRate: ratio(metPeriods, scheduledPeriods),
    metPeriods,
    scheduledPeriods,
    habits: summaries,
  };
}
