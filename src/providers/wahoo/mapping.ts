import type { EventInput } from '../../events/event-input.js';
import { numberOf } from '../../lib/numbers.js';

/**
 * Wahoo Cloud API v1 workouts (https://cloud-api.wahooligan.com, "Workouts" and "Workout Summary"; the OpenAPI and
 * AsyncAPI copies of api-evangelist/wahoo): a workout has `starts` (date-time), `minutes`, `workout_type_id` and a
 * `workout_summary` whose measures are decimal strings ("ascent_accum": "123.0"): metres, kcal, seconds, bpm.
 * No table of workout types is at hand, so the type id is kept in the details and no sport is guessed.
 */
export interface WahooWorkoutSummary {
  id?: number;
  workout_id?: number;
  ascent_accum?: string | null;
  calories_accum?: string | null;
  distance_accum?: string | null;
  duration_active_accum?: string | null;
  duration_total_accum?: string | null;
  heart_rate_avg?: string | null;
  power_bike_avg?: string | null;
}

export interface WahooWorkout {
  id: number;
  starts: string;
  minutes?: number | null;
  name?: string | null;
  workout_type_id?: number | null;
  workout_summary?: WahooWorkoutSummary | null;
  updated_at?: string | null;
}

/** A workout as an event; one without a readable start or length is a rejection with its reason. */
export function workoutEvent(workout: WahooWorkout): EventInput | string {
  const startAt = Date.parse(workout.starts);
  const summary = workout.workout_summary ?? {};
  const seconds = numberOf(summary.duration_total_accum) ?? (typeof workout.minutes === 'number' ? workout.minutes * 60 : null);
  if (Number.isNaN(startAt) || seconds === null || !(seconds > 0)) return `workout ${workout.id}: no readable start or duration`;
  return {
    type: 'workout',
    subtype: null,
    startAt: new Date(startAt),
    endAt: new Date(startAt + seconds * 1000),
    distance: numberOf(summary.distance_accum),
    energy: numberOf(summary.calories_accum),
    avgHeartRate: numberOf(summary.heart_rate_avg),
    details: {
      name: workout.name ?? null,
      workoutTypeId: workout.workout_type_id ?? null,
      activeSeconds: numberOf(summary.duration_active_accum),
      ascentMetres: numberOf(summary.ascent_accum),
      averagePowerWatts: numberOf(summary.power_bike_avg),
    },
    device: 'Wahoo',
    externalId: String(workout.id),
  };
}
