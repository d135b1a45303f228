import { periodStreaks, type Streaks } from '../../lib/streaks.js';
import { addDays } from '../../lib/time.js';

/**
 * How often a habit is due: every day; N days of each ISO week (Monday to Sunday), any days; or on given weekdays.
 */
export const HABIT_FREQUENCIES = ['daily', 'times_per_week', 'weekdays'] as const;
export type HabitFrequency = (typeof HABIT_FREQUENCIES)[number];

/** The periods a habit's streaks count, by frequency: days, scheduled days, ISO weeks. */
export const STREAK_UNITS = ['day', 'scheduled_day', 'week'] as const;
export type StreakUnit = (typeof STREAK_UNITS)[number];

export const STREAK_UNIT_OF: Record<HabitFrequency, StreakUnit> = {
  daily: 'day',
  times_per_week: 'week',
  weekdays: 'scheduled_day',
};

/** The API's weekday names, Monday first: index + 1 is the ISO weekday stored. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface HabitPlan {
  frequency: HabitFrequency;
  /** times_per_week: met days a week needs. */
  timesPerWeek: number | null;
  /** weekdays: ISO weekdays (1 = Monday … 7 = Sunday). */
  weekdays: readonly number[];
  targetPerDay: number;
  /** First local day (YYYY-MM-DD). */
  startDate: string;
}

/** One period of a habit: a day, a scheduled day or an ISO week, with the met days it needs and has. */
export interface HabitPeriod {
  start: string;
  end: string;
  /** Met days the period needs: 1 for a day; for a week N, or fewer in the habit's first week (see habitPeriods). */
  required: number;
  metDays: number;
  met: boolean;
  /** The period holding today: not over yet, so not failed yet. */
  open: boolean;
}

/** ISO weekday of a YYYY-MM-DD day: 1 (Monday) to 7 (Sunday). */
export function isoWeekday(day: string): number {
  return new Date(day + 'T00:00:00Z').getUTCDay() || 7;
}

/** The Monday of the ISO week holding a day. */
export function weekStart(day: string): string {
  return addDays(day, 1 - isoWeekday(day));
}

/** Days met: a day is met when its completions reach the habit's target per day. */
function metDaySet(plan: HabitPlan, counts: ReadonlyMap<string, number>): Set<string> {
  return new Set([...counts].filter(([, count]) => count >= plan.targetPerDay).map(([day]) => day));
}

/**
 * The habit's periods from its start day to `today` (the user's local day now), oldest first. Completions on
 * days outside the periods (an unscheduled weekday, a day after today) count for nothing. A times_per_week
 * habit's first week needs min(N, its days from the start day): a habit started on a Saturday can meet its week.
 */
export function habitPeriods(plan: HabitPlan, counts: ReadonlyMap<string, number>, today: string): HabitPeriod[] {
  const met = metDaySet(plan, counts);
  const periods: HabitPeriod[] = [];
  if (today < plan.startDate) return periods;
  if (plan.frequency === 'times_per_week') {
    for (let monday = weekStart(plan.startDate); monday <= today; monday = addDays(monday, 7)) {
      const sunday = addDays(monday, 6);
      const first = monday < plan.startDate ? plan.startDate : monday;
      let metDays = 0;
      for (let day = first; day <= sunday && day <= today; day = addDays(day, 1)) if (met.has(day)) metDays++;
      const daysInPlan = 7 - (isoWeekday(first) - 1);
      const required = Math.min(plan.timesPerWeek ?? 1, daysInPlan);
      periods.push({ start: monday, end: sunday, required, metDays, met: metDays >= required, open: today <= sunday });
    }
    return periods;
  }
  for (let day = plan.startDate; day <= today; day = addDays(day, 1)) {
    if (plan.frequency === 'weekdays' && !plan.weekdays.includes(isoWeekday(day))) continue;
    const hit = met.has(day);
    periods.push({ start: day, end: day, required: 1, metDays: hit ? 1 : 0, met: hit, open: day === today });
  }
  return periods;
}

/**
 * Current and longest runs of consecutive met periods (src/lib/streaks.ts). The open period (today, or this
 * week) extends the run once met and does not break it before; a weekdays habit's unscheduled days are not
 * periods, so they neither break nor extend it.
 */
export function habitStreaks(periods: readonly HabitPeriod[]): Streaks {
  if (periods.length === 0) return { current: 0, longest: 0 };
  return periodStreaks(
    periods.map((period) => period.met),
    periods[periods.length - 1]!.open,
  );
}

export interface CompletionRate {
  /** Periods met / periods counted; null when no period counts yet. */
  rate: number | null;
  met: number;
  scheduled: number;
}

/**
 * Completion rate over the periods that end on or after `from` (a week is counted whole when it reaches into the
 * window): met periods / counted periods, where the open period counts only once met (it has not failed yet).
 */
export function completionRate(periods: readonly HabitPeriod[], from: string): CompletionRate {
  const counted = periods.filter((period) => period.end >= from && (!period.open || period.met));
  const met = counted.filter((period) => period.met).length;
  return { rate: counted.length === 0 ? null : met / counted.length, met, scheduled: counted.length };
}

/**
 * Whether the habit is due today: daily every day; weekdays on its weekdays; times_per_week while this week's
 * met days before today are still short of what the week needs.
 */
export function dueToday(plan: HabitPlan, counts: ReadonlyMap<string, number>, today: string): boolean {
  if (today < plan.startDate) return false;
  if (plan.frequency === 'daily') return true;
  if (plan.frequency === 'weekdays') return plan.weekdays.includes(isoWeekday(today));
  const week = habitPeriods(plan, counts, today).at(-1)!;
  const todayMet = (counts.get(today) ?? 0) >= plan.targetPerDay ? 1 : 0;
  return week.metDays - todayMet < week.required;
}
