import { median } from 'simple-statistics';
import type { ServiceContext } from '../context.js';
import { mergedDays } from '../health/daily-summaries.js';
import { Invalid } from '../lib/errors.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { workoutsBetween, type TrainingWorkout } from './workouts.js';
import { DEFAULT_MAX_HR, DEFAULT_REST_HR, trainingLoad, WARM_UP_DAYS, type HeartRateAnchor, type TrainingLoad } from './training-load.js';

export const DEFAULT_LOAD_DAYS = 42;
export const MAX_LOAD_DAYS = 365;
const REST_HR_DAYS = 90;
const MAX_HR_DAYS = 365;

/** Resting HR: the median daily resting heart rate of the 90 days up to asOf; else the default. */
async function restingAnchor(ctx: ServiceContext, user: { id: string }, asOf: string): Promise<HeartRateAnchor> {
  const days = await mergedDays(ctx, user.id, addDays(asOf, 1 - REST_HR_DAYS), asOf, ['resting_heart_rate']);
  if (days.length === 0) return { bpm: DEFAULT_REST_HR, basis: 'default', n: 0 };
  return { bpm: Math.round(median(days.map((day) => day.value)) * 10) / 10, basis: 'measured', n: days.length };
}

function maxAnchor(workouts: readonly TrainingWorkout[], asOf: string): HeartRateAnchor {
  const first = addDays(asOf, 1 - MAX_HR_DAYS);
  const maxima = workouts.filter((w) => w.date >= first && w.maxHeartRate !== null).map((w) => w.maxHeartRate!);
  if (maxima.length === 0) return { bpm: DEFAULT_MAX_HR, basis: 'default', n: 0 };
  return { bpm: Math.max(...maxima), basis: 'measured', n: maxima.length };
}

export async function getTrainingLoad(
  ctx: ServiceContext,
  userId: string,
  query: { asOf?: string | null; days?: number | null },
): Promise<TrainingLoad> {
  const user = await getUser(ctx, userId);
  const asOf = query.asOf == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('asOf', query.asOf);
  const days = query.days ?? DEFAULT_LOAD_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_LOAD_DAYS) throw new Invalid(`days must be an integer from 1 to ${MAX_LOAD_DAYS}`);
  return loadOf(ctx, user, asOf, days);
}

/** The load of a user's `days` local days up to asOf (checked by the caller). */
export async function loadOf(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  asOf: string,
  days: number,
): Promise<TrainingLoad> {
  const warmUpStart = addDays(asOf, 1 - days - WARM_UP_DAYS);
  const maxStart = addDays(asOf, 1 - MAX_HR_DAYS);
  const [workouts, rest] = await Promise.all([
    workoutsBetween(ctx, user, warmUpStart < maxStart ? warmUpStart : maxStart, asOf),
    restingAnchor(ctx, user, asOf),
  ]);
  return trainingLoad(workouts, { rest, max: maxAnchor(workouts, asOf) }, asOf, days);
}
