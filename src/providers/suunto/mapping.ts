import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { numberOf } from '../../lib/numbers.js';

/**
 * Suunto Cloud API documents, mapped to our types.
 * - Workout API, "Get workout summary as JSON" (apizone.suunto.com/docs/services/workout-api): a workout has
 *   `workoutKey`, `activityId`, `startTime` and `stopTime` (epoch milliseconds), `totalTime` (seconds, a decimal),
 *   `totalDistance` (metres), `energyConsumption` (kcal), `totalAscent` (metres), `stepCount` and `hrdata`, whose
 *   `workoutAvgHR` and `workoutMaxHR` are the workout's heart rates while `userMaxHR` is the user's maximum from
 *   their settings — a client reading `userMaxHR` as the workout's maximum stores the wrong number. No table of
 *   activity ids is at hand, so the id is kept in the details and no sport is guessed.
 * - Daily Activity API, "Daily activity statistics" (apizone.suunto.com/docs/services/activity-and-sleep-data-api):
 *   per day `stepcount` and `energyconsumption` (joules), each `{ TimeISO8601, Value }` with `Value: null` for a day
 *   without data — no day, not a day of zero steps.
 */
export interface SuuntoWorkout {
  workoutKey?: string;
  activityId?: number | null;
  startTime?: number | null;
  stopTime?: number | null;
  totalTime?: number | null;
  totalDistance?: number | null;
  energyConsumption?: number | null;
  totalAscent?: number | null;
  stepCount?: number | null;
  hrdata?: { workoutAvgHR?: number | null; workoutMaxHR?: number | null; userMaxHR?: number | null } | null;
  timeOffsetInMinutes?: number | null;
}

/** A workout as an event; one without a key, a start or a length is a rejection with its reason. */
export function workoutEvent(workout: SuuntoWorkout): EventInput | string {
  const start = numberOf(workout.startTime);
  const stop = numberOf(workout.stopTime);
  const seconds = numberOf(workout.totalTime) ?? (start !== null && stop !== null ? (stop - start) / 1000 : null);
  if (!workout.workoutKey || start === null || seconds === null || !(seconds > 0))
    return `workout ${workout.workoutKey ?? '(no key)'}: no readable key, start or duration`;
  return {
    type: 'workout',
    subtype: null,
    startAt: new Date(start),
    endAt: new Date(start + seconds * 1000),
    distance: numberOf(workout.totalDistance),
    energy: numberOf(workout.energyConsumption),
    avgHeartRate: numberOf(workout.hrdata?.workoutAvgHR) || null,
    maxHeartRate: numberOf(workout.hrdata?.workoutMaxHR) || null,
    elevationGain: numberOf(workout.totalAscent),
    details: {
      activityId: workout.activityId ?? null,
      steps: numberOf(workout.stepCount),
      timeOffsetMinutes: numberOf(workout.timeOffsetInMinutes),
    },
    device: 'Suunto',
    externalId: workout.workoutKey,
  };
}

export interface SuuntoStatistic {
  Name?: string;
  Sources?: { Name?: string; Samples?: { TimeISO8601?: string; Value?: number | null }[] }[];
}

/**
 * Daily steps from the statistics. Days are asked from 00:00 UTC (the API counts in UTC), so each sample's date is
 * a UTC day; it is stamped at noon UTC, which keeps it on that date in every zone from UTC−12 to UTC+11.
 * energyconsumption (joules, BMR included) is left out: it is a day's total energy, and we have no metric for a
 * total that does not split active from basal energy.
 */
export function dailyStepSamples(statistics: SuuntoStatistic[]): SampleInput[] {
  const steps = statistics.find((statistic) => statistic.Name === 'stepcount');
  return (steps?.Sources ?? []).flatMap((source) =>
    (source.Samples ?? []).flatMap((sample): SampleInput[] => {
      const value = numberOf(sample.Value);
      const day = sample.TimeISO8601?.slice(0, 10) ?? '';
      if (value === null || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return [];
      return [
        {
          metricType: 'steps',
          value,
          unit: 'count',
          recordedAt: new Date(`${day}T12:00:00.000Z`),
          device: 'Suunto',
          // One series per source (device) the statistics name, so two watches on one day stay two samples.
          externalId: `daily:${day}:steps:${source.Name ?? ''}`,
        },
      ];
    }),
  );
}
