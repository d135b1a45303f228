import type { ServiceContext } from '../../context.js';
import { mergedDays, type DailySummary } from '../../health/daily-summaries.js';
import { Invalid } from '../../lib/errors.js';
import { addDays, checkDay, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { dailyTargets, type TargetSource } from '../daily-goal.js';
import { dateColumn, dayOf } from '../logged-at.js';
import { NUTRIENT_METRICS, NUTRIENTS, type NutrientField, type NutrientValues, type TargetDirection } from './nutrients.js';

/** One nutrient's total against its daily target. */
export interface NutrientTotal {
  field: NutrientField;
  metricType: string;
  unit: string;
  /** The merged metric of the day (every source, each quarter hour from the highest-priority one): 0 without data. */
  total: number;
  target: number;
  targetSource: TargetSource;
  goalId: string | null;
  direction: TargetDirection;
  /** total / target × 100, one decimal. */
  percent: number;
  /** reference and at_least: total ≥ target; at_most: total ≤ target. */
  met: boolean;
  sources: string[];
  samples: number;
}

export interface NutritionDay {
  date: string;
  timezone: string;
  /** Meals with this localDate. */
  meals: number;
  nutrients: NutrientTotal[];
}

export interface NutrientAverage {
  field: NutrientField;
  metricType: string;
  unit: string;
  total: number;
  /** Days of the week with data for this nutrient. */
  daysWithData: number;
  /** total / daysWithData; null without data. */
  averagePerDay: number | null;
  target: number;
  targetSource: TargetSource;
  goalId: string | null;
  direction: TargetDirection;
  /** averagePerDay / target × 100, one decimal; null without data. */
  percentOfTarget: number | null;
}

export interface NutritionWeekDay extends Required<{ [K in keyof NutrientValues]: number | null }> {
  date: string;
  meals: number;
}

export interface NutritionWeek {
  from: string;
  to: string;
  timezone: string;
  meals: number;
  averages: NutrientAverage[];
  days: NutritionWeekDay[];
}

export type TargetOverrides = Partial<Record<NutrientField, number | null>>;

const round1 = (value: number) => Math.round(value * 10) / 10;

function checkTargets(given: TargetOverrides): void {
  for (const { field, unit } of NUTRIENTS) {
    const value = given[field];
    if (value != null && (!Number.isFinite(value) || value < 1 || value > 1e6))
      throw new Invalid(`${field}Target must be a number of ${unit} from 1 to 1000000`);
  }
}

async function targetsOn(ctx: ServiceContext, userId: string, day: string, given: TargetOverrides) {
  checkTargets(given);
  return dailyTargets(
    ctx,
    userId,
    day,
    NUTRIENTS.map(({ field, metricType, target }) => ({ metricType, given: given[field], fallback: target })),
  );
}

async function readDays(
  ctx: ServiceContext,
  userId: string,
  from: string,
  to: string,
): Promise<{ merged: DailySummary[]; meals: Map<string, number> }> {
  const [merged, meals] = await Promise.all([
    mergedDays(ctx, userId, from, to, NUTRIENT_METRICS),
    ctx.db.meal.groupBy({
      by: ['localDate'],
      where: { userId, localDate: { gte: dateColumn(from), lte: dateColumn(to) } },
      _count: { _all: true },
    }),
  ]);
  return { merged, meals: new Map(meals.map((row) => [dayOf(row.localDate), row._count._all])) };
}

/** A local day's nutrient totals (default today in the user's current zone) against the daily targets. */
export async function nutritionDay(
  ctx: ServiceContext,
  userId: string,
  query: { date?: string | null } & TargetOverrides,
): Promise<NutritionDay> {
  const user = await getUser(ctx, userId);
  const { date: asked, ...given } = query;
  const date = asked == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('date', asked);
  const targets = await targetsOn(ctx, user.id, date, given);
  const { merged, meals } = await readDays(ctx, user.id, date, date);
  const nutrients = NUTRIENTS.map(({ field, metricType, unit, direction }): NutrientTotal => {
    const day = merged.find((entry) => entry.metricType === metricType);
    const target = targets.get(metricType)!;
    const total = day?.value ?? 0;
    return {
      field,
      metricType,
      unit,
      total,
      target: target.value,
      targetSource: target.source,
      goalId: target.goalId,
      direction,
      percent: round1((total / target.value) * 100),
      met: direction === 'at_most' ? total <= target.value : total >= target.value,
      sources: day?.sources ?? [],
      samples: day?.count ?? 0,
    };
  });
  return { date, timezone: user.timezone, meals: meals.get(date) ?? 0, nutrients };
}

/** Seven local days ending `to` (default today): per nutrient the average over the days with data, and each day's totals. */
export async function nutritionWeek(
  ctx: ServiceContext,
  userId: string,
  query: { to?: string | null } & TargetOverrides,
): Promise<NutritionWeek> {
  const user = await getUser(ctx, userId);
  const { to: asked, ...given } = query;
  const to = asked == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('to', asked);
  const from = addDays(to, -6);
  const targets = await targetsOn(ctx, user.id, to, given);
  const { merged, meals } = await readDays(ctx, user.id, from, to);
  const days: NutritionWeekDay[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    const values = Object.fromEntries(
      NUTRIENTS.map(({ field, metricType }) => [
        field,
        merged.find((entry) => entry.date === date && entry.metricType === metricType)?.value ?? null,
      ]),
    ) as Required<{ [K in keyof NutrientValues]: number | null }>;
    days.push({ date, meals: meals.get(date) ?? 0, ...values });
  }
  const averages = NUTRIENTS.map(({ field, metricType, unit, direction }): NutrientAverage => {
    const withData = days.map((day) => day[field]).filter((value): value is number => value !== null);
    const total = withData.reduce((sum, value) => sum + value, 0);
    const averagePerDay = withData.length ? total / withData.length : null;
    const target = targets.get(metricType)!;
    return {
      field,
      metricType,
      unit,
      total,
      daysWithData: withData.length,
      averagePerDay,
      target: target.value,
      targetSource: target.source,
      goalId: target.goalId,
      direction,
      percentOfTarget: averagePerDay === null ? null : round1((averagePerDay / target.value) * 100),
    };
  });
  return { from, to, timezone: user.timezone, meals: days.reduce((sum, day) => sum + day.meals, 0), averages, days };
}
