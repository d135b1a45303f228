import { addDays } from '../lib/time.js';

/**
 * A goal's periods are calendar spans of the user's local days (YYYY-MM-DD): a day, an ISO week (Monday to Sunday),
 * a calendar month, or the one span from the goal's start to its end date. Days are the rollups' local days, so a
 * week that holds a DST change is still seven days (167 or 169 hours); the first and last periods are clipped to the
 * goal's start and end.
 */
export const GOAL_PERIODS = ['daily', 'weekly', 'monthly', 'by_date'] as const;
export type GoalPeriod = (typeof GOAL_PERIODS)[number];

export interface PeriodSpan {
  /** First and last local day, inclusive. */
  start: string;
  end: string;
}

export interface GoalSpan {
  period: GoalPeriod;
  startDate: string;
  /** Null: open-ended (not for by_date). */
  endDate: string | null;
}

/** Day of the week of a YYYY-MM-DD day, Monday 0 … Sunday 6. */
export function isoWeekday(day: string): number {
  return (new Date(day + 'T00:00:00Z').getUTCDay() + 6) % 7;
}

function lastDayOfMonth(day: string): string {
  const date = new Date(day + 'T00:00:00Z');
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
}

/** The calendar span (unclipped) of the period holding a day. */
function calendarSpan(period: Exclude<GoalPeriod, 'by_date'>, day: string): PeriodSpan {
  if (period === 'daily') return { start: day, end: day };
  if (period === 'weekly') {
    const start = addDays(day, -isoWeekday(day));
    return { start, end: addDays(start, 6) };
  }
  return { start: day.slice(0, 8) + '01', end: lastDayOfMonth(day) };
}

/** The goal's period holding a day, clipped to the goal's span; null when the day is outside the goal. */
export function periodOf(goal: GoalSpan, day: string): PeriodSpan | null {
  if (day < goal.startDate || (goal.endDate !== null && day > goal.endDate)) return null;
  if (goal.period === 'by_date') return { start: goal.startDate, end: goal.endDate! };
  const span = calendarSpan(goal.period, day);
  return {
    start: span.start < goal.startDate ? goal.startDate : span.start,
    end: goal.endDate !== null && span.end > goal.endDate ? goal.endDate : span.end,
  };
}

/** The goal's periods that hold any day from `from` to `to`, oldest first. */
export function periodsBetween(goal: GoalSpan, from: string, to: string): PeriodSpan[] {
  const spans: PeriodSpan[] = [];
  let day = from < goal.startDate ? goal.startDate : from;
  while (day <= to) {
    const span = periodOf(goal, day);
    if (!span) break;
    spans.push(span);
    day = addDays(span.end, 1);
  }
  return spans;
}

/** The period before one (null at the goal's start). */
export function previousPeriod(goal: GoalSpan, span: PeriodSpan): PeriodSpan | null {
  return periodOf(goal, addDays(span.start, -1));
}

/** Local days from one day to another, inclusive. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to + 'T00:00:00Z') - Date.parse(from + 'T00:00:00Z')) / 86_400_000) + 1;
}
