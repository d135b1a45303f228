import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';

/**
 * Oura API v2 documents (https://cloud.ouraring.com/v2/docs) mapped to our types. Durations in Oura's sleep
 * documents are seconds; calories kcal; distances metres.
 */
export interface OuraHeartRate {
  bpm: number;
  source: string;
  timestamp: string;
}

export interface OuraDailyActivity {
  id: string;
  day: string;
  steps: number;
  active_calories: number;
  total_calories?: number;
  equivalent_walking_distance?: number;
  timestamp: string;
}

export interface OuraSleep {
  id: string;
  type: string;
  bedtime_start: string;
  bedtime_end: string;
  total_sleep_duration: number | null;
  deep_sleep_duration: number | null;
  rem_sleep_duration: number | null;
  light_sleep_duration: number | null;
  awake_time: number | null;
  efficiency: number | null;
  latency: number | null;
  average_heart_rate: number | null;
  lowest_heart_rate: number | null;
  average_hrv: number | null;
}

export interface OuraWorkout {
  id: string;
  activity: string;
  start_datetime: string;
  end_datetime: string;
  calories: number | null;
  distance: number | null;
  intensity?: string;
}

export function heartRateSamples(rows: OuraHeartRate[]): SampleInput[] {
  return rows.map((row) => ({
    metricType: 'heart_rate',
    value: row.bpm,
    unit: 'bpm',
    recordedAt: new Date(row.timestamp),
    device: `Oura ${row.source}`,
  }));
}

/**
 * A day's totals: Oura's `timestamp` is the start of that local day. `equivalent_walking_distance` is not stored:
 * Oura defines it as the "equivalent walking distance of energy expenditure in meters" (DailyActivityModel), an
 * energy figure in metres, not a distance travelled, and as `distance` it would outweigh a phone's real one.
 */
export function dailyActivitySamples(rows: OuraDailyActivity[]): SampleInput[] {
  return rows.flatMap((row) => {
    const start = new Date(row.timestamp);
    const end = new Date(start.getTime() + 86_400_000 - 1);
    const base = { recordedAt: start, endAt: end, device: 'Oura Ring', externalId: row.id };
    return [
      { ...base, metricType: 'steps', value: row.steps },
      { ...base, metricType: 'active_energy', value: row.active_calories, unit: 'kcal' },
    ];
  });
}

/**
 * Oura's sleep period types (PublicSleepType): `long_sleep` is a night (> 3 h); `sleep` and `late_nap` are naps the
 * user confirmed; `rest` is sleep Oura detected but the user rejected in the confirm prompt (kept, apart, as
 * subtype `rest`: the ring saw lying still, not sleep); `deleted` is a period the user deleted (dropped).
 */
const SUBTYPES: Record<string, string> = { long_sleep: 'main', sleep: 'nap', late_nap: 'nap', rest: 'rest' };

export function sleepEvents(all: OuraSleep[]): { events: EventInput[]; samples: SampleInput[] } {
  const rows = all.filter((row) => row.type !== 'deleted');
  const events = rows.map((row) => ({
    type: 'sleep',
    subtype: SUBTYPES[row.type] ?? 'nap',
    startAt: new Date(row.bedtime_start),
    endAt: new Date(row.bedtime_end),
    avgHeartRate: row.average_heart_rate,
    details: {
      stageSeconds: {
        deep: row.deep_sleep_duration ?? 0,
        rem: row.rem_sleep_duration ?? 0,
        light: row.light_sleep_duration ?? 0,
        awake: row.awake_time ?? 0,
      },
      totalSleepSeconds: row.total_sleep_duration,
      efficiency: row.efficiency,
      latencySeconds: row.latency,
      lowestHeartRate: row.lowest_heart_rate,
      averageHrv: row.average_hrv,
    },
    device: 'Oura Ring',
    externalId: row.id,
  }));
  // A rejected (rest) period's HRV is not a night's HRV.
  const samples = rows.flatMap((row) =>
    row.average_hrv != null && row.type !== 'rest'
      ? [
          {
            metricType: 'hrv_rmssd',
            value: row.average_hrv,
            unit: 'ms',
            recordedAt: new Date(row.bedtime_end),
            device: 'Oura Ring',
            externalId: `${row.id}:hrv`,
          },
        ]
      : [],
  );
  return { events, samples };
}

export function workoutEvents(rows: OuraWorkout[]): EventInput[] {
  return rows.map((row) => ({
    type: 'workout',
    subtype: row.activity,
    startAt: new Date(row.start_datetime),
    endAt: new Date(row.end_datetime),
    energy: row.calories,
    distance: row.distance,
    device: 'Oura Ring',
    externalId: row.id,
  }));
}
