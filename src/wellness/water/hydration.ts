import type { ServiceContext } from '../../context.js';
import { mergedDays } from '../../health/daily-summaries.js';
import { Invalid } from '../../lib/errors.js';
import { addDays, checkDay, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { dailyTargets, type TargetSource } from '../daily-goal.js';
import { dateColumn, dayOf } from '../logged-at.js';
import { DEFAULT_WATER_GOAL_ML } from './beverages.js';

export const MAX_WATER_GOAL_ML = 20_000;

/** One local day's hydration: the merged `water` metric of the day (every source, each quarter hour counted once). */
export interface HydrationDay {
  date: string;
  totalMl: number;
  goalMl: number;
  /** totalMl / goalMl × 100, one decimal. */
  percent: number;
  remainingMl: number;
  met: boolean;
  /** Sources whose quarter hours make up the total, highest priority first (vitasync: the water logs). */
  sources: string[];
  /** Water samples behind the total (after the merge). */
  samples: number;
  /** Water logs of the user with this localDate (stored at writing). */
  logs: number;
}

export interface HydrationGoal {
  goalMl: number;
  goalSource: TargetSource;
  goalId: string | null;
}

export interface HydrationToday extends HydrationDay, HydrationGoal {
  timezone: string;
}

export interface HydrationWeek extends HydrationGoal {
  from: string;
  to: string;
  timezone: string;
  days: HydrationDay[];
  totalMl: number;
  /** totalMl / daysWithData; null without data. */
  averageMl: number | null;
  daysWithData: number;
  daysMet: number;
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function checkGoal(goal: number | null | undefined): number | null {
  if (goal == null) return null;
  if (!Number.isFinite(goal) || goal < 1 || goal > MAX_WATER_GOAL_ML)
    throw new Invalid(`goal must be a number of ml from 1 to ${MAX_WATER_GOAL_ML}`);
  return goal;
}

/** The days' hydration: merged water per local day of the user's current zone, the log counts by stored localDate. */
async function hydrationDays(ctx: ServiceContext, userId: string, from: string, to: string, goalMl: number): Promise<HydrationDay[]> {
  const [merged, logs] = await Promise.all([
    mergedDays(ctx, userId, from, to, ['water']),
    ctx.db.waterLog.groupBy({
      by: ['localDate'],
      where: { userId, localDate: { gte: dateColumn(from), lte: dateColumn(to) } },
      _count: { _all: true },
    }),
  ]);
  const logCount = new Map(logs.map((row) => [dayOf(row.localDate), row._count._all]));
  const days: HydrationDay[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const day = merged.find((entry) => entry.date === date);
    const totalMl = day?.value ?? 0;
    days.push({
      date,
      totalMl,
      goalMl,
      percent: round1((totalMl / goalMl) * 100),
      remainingMl: Math.max(0, goalMl - totalMl),
      met: totalMl >= goalMl,
      sources: day?.sources ?? [],
      samples: day?.count ?? 0,
      logs: logCount.get(date) ?? 0,
    });
  }
  return days;
}

async function goalOn(ctx: ServiceContext, userId: string, day: string, given: number | null): Promise<HydrationGoal> {
  const target = (await dailyTargets(ctx, userId, day, [{ metricType: 'water', given, fallback: DEFAULT_WATER_GOAL_ML }])).get('water')!;
  return { goalMl: target.value, goalSource: target.source, goalId: target.goalId };
}

/** A local day's hydration (default today in the user's current zone) against the daily goal. */
export async function hydrationToday(
  ctx: ServiceContext,
  userId: string,
  query: { date?: string | null; goal?: number | null },
): Promise<HydrationToday> {
  const user = await getUser(ctx, userId);
  const given = checkGoal(query.goal);
  const date = query.date == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('date', query.date);
  const goal = await goalOn(ctx, user.id, date, given);
  const [day] = await hydrationDays(ctx, user.id, date, date, goal.goalMl);
  return { ...day!, ...goal, timezone: user.timezone };
}

/** Seven local days ending `to` (default today): each day against the goal of the last day. */
export async function hydrationWeek(
  ctx: ServiceContext,
  userId: string,
  query: { to?: string | null; goal?: number | null },
): Promise<HydrationWeek> {
  const user = await getUser(ctx, userId);
  const given = checkGoal(query.goal);
  const to = query.to == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('to', query.to);
  const from = addDays(to, -6);
  const goal = await goalOn(ctx, user.id, to, given);
  const days = await hydrationDays(ctx, user.id, from, to, goal.goalMl);
  const withData = days.filter((day) => day.samples > 0);
  const totalMl = days.reduce((sum, day) => sum + day.totalMl, 0);
  return {
    from,
    to,
    timezone: user.timezone,
    ...goal,
    days,
    totalMl,
    averageMl: withData.length ? totalMl / withData.length : null,
    daysWithData: withData.length,
    daysMet: days.filter((day) => day.met).length,
  };
}
