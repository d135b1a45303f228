import type { ServiceContext } from '../context.js';
import { dateColumn } from './logged-at.js';

/** Where a daily target came from: the request, an active daily goal of the user (src/goals), or a documented default. */
export type TargetSource = 'parameter' | 'goal' | 'default';

export interface DailyTarget {
  value: number;
  source: TargetSource;
  /** The goal it came from (source goal), else null. */
  goalId: string | null;
}

/**
 * A user's daily target for a metric on a local day: the request's value, else the target of the user's active
 * daily goal on that metric covering the day (the most recently created, if several), else the default.
 */
export async function dailyTargets(
  ctx: ServiceContext,
  userId: string,
  day: string,
  wanted: { metricType: string; given: number | null | undefined; fallback: number }[],
): Promise<Map<string, DailyTarget>> {
  const goals = await ctx.db.goal.findMany({
    where: {
      userId,
      metricType: { in: wanted.map((entry) => entry.metricType) },
      period: 'daily',
      status: 'active',
      startDate: { lte: dateColumn(day) },
      OR: [{ endDate: null }, { endDate: { gte: dateColumn(day) } }],
    },
    orderBy: { id: 'desc' },
    select: { id: true, metricType: true, target: true },
  });
  const targets = new Map<string, DailyTarget>();
  for (const { metricType, given, fallback } of wanted) {
    const goal = goals.find((candidate) => candidate.metricType === metricType);
    targets.set(
      metricType,
      given != null
        ? { value: given, source: 'parameter', goalId: null }
        : goal
          ? { value: goal.target, source: 'goal', goalId: goal.id }
          : { value: fallback, source: 'default', goalId: null },
    );
  }
  return targets;
}
