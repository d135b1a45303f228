import type { ServiceContext } from '../context.js';
import type { ReadMemo } from '../lib/read-memo.js';
import type { PlanWorkout } from './compliance.js';

/** A workout as training plans and training load read it: its span, sport, figures and local day of the start. */
export interface TrainingWorkout extends PlanWorkout {
  avgHeartRate: number | null;
  maxHeartRate: number | null;
  /** Perceived exertion, Borg CR-10 (`details.rpe`), when the source gives it. */
  rpe: number | null;
}

// Bounds a little wide on the indexed start, then exact on the local day: a zone's day is not 24 h across DST.
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

/** The user's workouts that started on local days from `from` to `to`, in start order. */
export async function workoutsBetween(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  from: string,
  to: string,
): Promise<TrainingWorkout[]> {
  const held = ctx.reads?.covering<TrainingWorkout[]>(`workouts:${user.id}`, from, to);
  if (held) return (await held).filter((workout) => workout.date >= from && workout.date <= to);
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
    // jsonb arrives parsed from node-postgres and as text from PGlite's driver.
    rpe: numberOrNull(typeof row.rpe === 'string' ? JSON.parse(row.rpe) : row.rpe),
  }));
}

/** Reads the workouts from–to into the context's read memo, so workoutsBetween of any part of them is served from memory. */
export function holdWorkouts(
  ctx: ServiceContext & { reads: ReadMemo },
  user: { id: string; timezone: string },
  from: string,
  to: string,
): Promise<TrainingWorkout[]> {
  return ctx.reads.hold(`workouts:${user.id}`, from, to, workoutsBetween(ctx, user, from, to));
}
