import { addDays, startOfLocalDay } from '../lib/time.js';
import type { GoalMetric, PeriodCombine } from './goal-metrics.js';
import { periodOf, previousPeriod, type GoalSpan, type PeriodSpan } from './periods.js';

export const GOAL_DIRECTIONS = ['at_least', 'at_most', 'reach'] as const;
export type GoalDirection = (typeof GOAL_DIRECTIONS)[number];

/** Streaks count back at most this many days (a year and a month of daily, 57 weekly, 13 monthly periods). */
export const STREAK_LOOKBACK_DAYS = 400;
/** A reach goal starts from the latest value in the days before its start (weight before the diet). */
export const REACH_BASELINE_DAYS = 30;

export interface JudgedGoal extends GoalSpan {
  target: number;
  direction: GoalDirection;
  metric: GoalMetric;
}

export interface GoalProgress {
  asOf: string;
  periodStart: string;
  periodEnd: string;
  /** The period's value so far (sum, mean, min, max or latest of its days, as the metric adds up); null without data. */
  value: number | null;
  /** Days of the period with a value, up to asOf. */
  daysWithData: number;
  /** value / target (at_least, at_most) or the way from the start value to the target covered (reach), in %. */
  percent: number;
  met: boolean;
  /** The period is over as of asOf. */
  completed: boolean;
  /** Share of the period's hours gone (a DST week has 167 or 169). */
  elapsed: number;
  /** The value the period ends at if it goes on as so far. */
  projected: number | null;
  onTrack: boolean;
  /** Consecutive periods met up to this one (this one counts once met; an unfinished one does not break it). */
  streak: number;
  /** reach goals: the value the goal started from. */
  startValue: number | null;
}

function combine(how: PeriodCombine, values: number[]): number | null {
  if (values.length === 0) return null;
  if (how === 'sum') return values.reduce((a, b) => a + b, 0);
  if (how === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  if (how === 'min') return Math.min(...values);
  if (how === 'max') return Math.max(...values);
  return values[values.length - 1]!;
}

/** The days of a span with a value, in day order, up to `until`. */
function valuesIn(values: ReadonlyMap<string, number>, span: PeriodSpan, until: string): number[] {
  const out: number[] = [];
  for (let day = span.start; day <= span.end && day <= until; day = addDays(day, 1)) {
    const value = values.get(day);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** Does a value satisfy the goal? reach: crossed the target coming from the start value. */
function satisfies(goal: JudgedGoal, value: number, startValue: number | null): boolean {
  if (goal.direction === 'at_least') return value >= goal.target;
  if (goal.direction === 'at_most') return value <= goal.target;
  return startValue !== null && startValue > goal.target ? value <= goal.target : value >= goal.target;
}

/** The latest value in the days before the goal's start, else the goal's first value. */
export function startValueOf(goal: JudgedGoal, values: ReadonlyMap<string, number>): number | null {
  if (goal.direction !== 'reach') return null;
  const days = [...values.keys()].sort();
  const before = days.filter((day) => day < goal.startDate).pop();
  const first = days.find((day) => day >= goal.startDate);
  const chosen = before ?? first;
  return chosen === undefined ? null : values.get(chosen)!;
}

/**
 * A period's value and whether it is met. at_most is met only once the period is over (a day's calories are under
 * the limit only when the day has ended); a period without data meets at_most and nothing else.
 */
export function judgePeriod(
  goal: JudgedGoal,
  span: PeriodSpan,
  values: ReadonlyMap<string, number>,
  until: string,
  completed: boolean,
  startValue: number | null,
): { value: number | null; days: number; met: boolean } {
  const days = valuesIn(values, span, until);
  const how = goal.direction === 'reach' ? 'last' : goal.metric.combine;
  const value = combine(how, days);
  if (goal.direction === 'at_most') return { value, days: days.length, met: completed && (value ?? 0) <= goal.target };
  return { value, days: days.length, met: value !== null && satisfies(goal, value, startValue) };
}

function percentOf(goal: JudgedGoal, value: number | null, startValue: number | null, met: boolean): number {
  let share: number;
  if (value === null) share = 0;
  else if (goal.direction !== 'reach') share = goal.target === 0 ? (met ? 1 : 0) : value / goal.target;
  else if (startValue === null || startValue === goal.target) share = met ? 1 : 0;
  else share = (startValue - value) / (startValue - goal.target);
  return Math.round(Math.max(0, share) * 1000) / 10;
}

/**
 * Progress of a goal as of a local day of the user (`at` is the instant the day is judged at: now for today, the
 * day's end for a past day), from one value per local day (`values`, which must reach back STREAK_LOOKBACK_DAYS
 * before asOf, and REACH_BASELINE_DAYS before the start for reach goals).
 */
export function goalProgress(
  goal: JudgedGoal,
  timeZone: string,
  values: ReadonlyMap<string, number>,
  asOf: string,
  at: number,
): GoalProgress {
  const day = asOf < goal.startDate ? goal.startDate : goal.endDate !== null && asOf > goal.endDate ? goal.endDate : asOf;
  const span = periodOf(goal, day)!;
  const startsAt = startOfLocalDay(timeZone, span.start);
  const endsAt = startOfLocalDay(timeZone, addDays(span.end, 1));
  const elapsed = Math.min(1, Math.max(0, (at - startsAt) / (endsAt - startsAt)));
  const completed = at >= endsAt;
  const startValue = startValueOf(goal, values);
  const judged = judgePeriod(goal, span, values, asOf, completed, startValue);
  let projected: number | null = judged.value;
  if (judged.value !== null && elapsed > 0 && !completed) {
    if (goal.direction === 'reach' && startValue !== null) projected = startValue + (judged.value - startValue) / elapsed;
    else if (goal.direction !== 'reach' && goal.metric.combine === 'sum') projected = judged.value / elapsed;
  }
  const onTrack = completed ? judged.met : projected !== null ? satisfies(goal, projected, startValue) : goal.direction === 'at_most';
  let streak = 0;
  const oldest = addDays(asOf, -STREAK_LOOKBACK_DAYS);
  for (
    let period: PeriodSpan | null = judged.met ? span : previousPeriod(goal, span);
    period && period.start >= oldest;
    period = previousPeriod(goal, period)
  ) {
    const past = period === span ? judged : judgePeriod(goal, period, values, period.end, true, startValue);
    if (!past.met) break;
    streak++;
  }
  return {
    asOf,
    periodStart: span.start,
    periodEnd: span.end,
    value: judged.value,
    daysWithData: judged.days,
    percent: percentOf(goal, judged.value, startValue, judged.met),
    met: judged.met,
    completed,
    elapsed,
    projected,
    onTrack,
    streak,
    startValue,
  };
}
