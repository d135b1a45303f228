import { median } from 'simple-statistics';
import type { ServiceContext } from '../context.js';
import { mergedDays } from '../health/daily-summaries.js';
import { Invalid } from '../lib/errors.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import {
  DEFAULT_MAX_HR,
  DEFAULT_REST_HR,
  trainingLoad,
  WARM_UP_DAYS,
  type HeartRateAnchor,
  type LoadWorkout,
  type TrainingLoad,
} from './training-load.js';

export const DEFAULT_LOAD_DAYS = 42;
export const MAX_LOAD_DAYS = 365;
const REST_HR_DAYS = 90;
const MAX_HR_DAYS = 365;

// Bounds a little wide on the indexed start, then exact on the local day of the start.
const WORKOUTS_SQL = `
SELECT id, subtype, "startAt", "endAt", "durationSeconds", distance, source, "avgHeartRate", "maxHeartRate", details->'rpe' AS rpe,
  to_char(("startAt" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS date
FROM "HealthEvent"
WHERE "userId" = $1 AND type = 'workout'
  AND "startAt" >= ($3::date - 1)::timestamp AT TIME ZONE $2 AND "startAt" < ($4::date + 2)::timestamp AT TIME ZONE $2
  AND ("startAt" AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
ORDER BY "startAt", id`;

const numberOrNull = (value: unknown): number | null => {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : null;
};

type LoadRow = LoadWorkout & { maxHeartRate: number | null };

async function workoutsBetween(ctx: ServiceContext, user: { id: string; timezone: string }, from: string, to: string): Promise<LoadRow[]> {
  const rows = await ctx.sql.query<Record<string, unknown>>(WORKOUTS_SQL, [user.id, user.timezone, from, to]);
  return rows.map((row) => ({
    id: String(row.id),
    subtype: (row.subtype as string | null) ?? null,
    startAt: new Date(row.startAt as string),
    endAt: new Date(row.endAt as string),
    durationSeconds: Number(row.durationSeconds),
    distance: numberOrNull(row.distance),
    source: String(row.source),
    date: String(row.date),
    avgHeartRate: numberOrNull(row.avgHeartRate),
    maxHeartRate: numberOrNull(row.maxHeartRate),
    rpe: numberOrNull(typeof row.rpe === 'string' ? JSON.parse(row.rpe) : row.rpe),
  }));
}

/** Resting HR: the median daily resting heart rate of the 90 days up to asOf; else the default. */
async function restingAnchor(ctx: ServiceContext, user: { id: string }, asOf: string): Promise<HeartRateAnchor> {
  const days = await mergedDays(ctx, user.id, addDays(asOf, 1 - REST_HR_DAYS), asOf, ['resting_heart_rate']);
  if (days.length === 0) return { bpm: DEFAULT_REST_HR, basis: 'default', n: 0 };
  return { bpm: Math.round(median(days.map((day) => day.value)) * 10) / 10, basis: 'measured', n: days.length };
}

function maxAnchor(workouts: readonly LoadRow[], asOf: string): HeartRateAnchor {
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
  const warmUpStart = addDays(asOf, 1 - days - WARM_UP_DAYS);
  const maxStart = addDays(asOf, 1 - MAX_HR_DAYS);
  const workouts = await workoutsBetween(ctx, user, warmUpStart < maxStart ? warmUpStart : maxStart, asOf);
  const rest = await restingAnchor(ctx, user, asOf);
  return trainingLoad(workouts, { rest, max: maxAnchor(workouts, asOf) }, asOf, days);
}
