import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { isIanaTimeZone, zoneOffsetAt } from '../../lib/time.js';
import { ProviderError } from '../provider-error.js';

/**
 * Fitbit Web API responses (https://dev.fitbit.com/build/reference/web-api/) checked and mapped to our types.
 * No Accept-Language header is sent, so values come in the METRIC unit system (Localization): distances in
 * kilometres (activity logs name theirs in `distanceUnit`), elevation in metres, weight in kilograms; durations
 * are milliseconds, energy kcal. Times are the user's wall-clock times without an offset (Application Design →
 * Time Zones); the profile's zone places them on the timeline.
 */

/** Where the user's wall clock stands: the profile's IANA zone, or its fixed offset when the zone is unknown. */
export interface UserZone {
  timeZone: string | null;
  offsetMs: number;
}

/** Get Heart Rate Intraday by Date → `activities-heart-intraday.dataset[]`: "HH:mm:ss" of the date, bpm. */
export interface FitbitHeartPoint {
  time: string;
  value: number;
}

const DAY_FIELDS = [
  'floors',
  'elevation',
  'activityCalories',
  'caloriesBMR',
  'fairlyActiveMinutes',
  'veryActiveMinutes',
  'sedentaryMinutes',
  'restingHeartRate',
] as const;

/** Get Daily Activity Summary → `summary`: the day's totals, each optional but steps (devices without altimeters have no floors). */
export type FitbitDaySummary = { steps: number; distances: { activity: string; distance: number }[] } & Partial<
  Record<(typeof DAY_FIELDS)[number], number>
>;

/** Get Sleep Log by Date Range (v1.2) → `sleep[]`. `levels.summary` has deep/light/rem/wake for stages logs. */
export interface FitbitSleepLog {
  logId: number;
  startTime: string;
  endTime: string;
  isMainSleep: boolean;
  type: string;
  efficiency?: number;
  minutesAsleep?: number;
  minutesToFallAsleep?: number;
  timeInBed?: number;
  levels: { summary: Record<string, { count?: number; minutes?: number }> };
}

/** Get Activity Log List → `activities[]`. `startTime` carries its offset; `duration` is milliseconds. */
export interface FitbitActivityLog {
  logId: number;
  activityName: string;
  startTime: string;
  duration: number;
  calories?: number;
  distance?: number;
  distanceUnit?: string;
  averageHeartRate?: number;
  elevationGain?: number;
  steps?: number;
  logType?: string;
  source?: { name?: string };
}

/** Get Weight Log (by date range) → `weight[]`: a date and time on the user's clock. */
export interface FitbitWeightLog {
  logId: number;
  date: string;
  time: string;
  weight: number;
  bmi?: number;
  fat?: number;
  source?: string;
}

// Checks that turn a malformed answer into one clear error instead of a TypeError deep in the mapping.
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

const invalid = (what: string): never => {
  throw new ProviderError(`Fitbit answered a malformed ${what}`, 'invalid_response');
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const record = (value: unknown, what: string) => (isRecord(value) ? value : invalid(what));
const list = (value: unknown, what: string) => (Array.isArray(value) ? (value as unknown[]) : invalid(what));
const finite = (value: unknown, what: string) => (typeof value === 'number' && Number.isFinite(value) ? value : invalid(what));
const optionalFinite = (value: unknown, what: string) => (value == null ? undefined : finite(value, what));
const text = (value: unknown, what: string, pattern?: RegExp) =>
  typeof value === 'string' && (!pattern || pattern.test(value)) ? value : invalid(what);
/** A date or date-time that also names a real instant (the patterns alone let "2024-13-01" through). */
function when(value: unknown, what: string, pattern: RegExp): string {
  const checked = text(value, what, pattern);
  const instant = Date.parse(pattern === DATE ? `${checked}T00:00:00Z` : HAS_OFFSET.test(checked) ? checked : `${checked}Z`);
  return Number.isFinite(instant) ? checked : invalid(what);
}

export function readProfileZone(body: unknown): UserZone {
  const user = record(record(body, 'profile').user, 'profile (user)');
  const zone = typeof user.timezone === 'string' && isIanaTimeZone(user.timezone) ? user.timezone : null;
  return { timeZone: zone, offsetMs: optionalFinite(user.offsetFromUTCMillis, 'profile (offsetFromUTCMillis)') ?? 0 };
}

export function readHeartIntraday(body: unknown): FitbitHeartPoint[] {
  const intraday = record(record(body, 'heart rate page')['activities-heart-intraday'], 'heart rate page (activities-heart-intraday)');
  return list(intraday.dataset, 'heart rate page (dataset)').map((point) => {
    const row = record(point, 'heart rate point');
    return { time: text(row.time, 'heart rate time', CLOCK), value: finite(row.value, 'heart rate value') };
  });
}

export function readDaySummary(body: unknown): FitbitDaySummary {
  const summary = record(record(body, 'daily activity page').summary, 'daily activity page (summary)');
  const distances = list(summary.distances ?? [], 'daily activity distances').map((entry) => {
    const row = record(entry, 'daily activity distance');
    return { activity: text(row.activity, 'distance activity'), distance: finite(row.distance, 'distance') };
  });
  const optional = Object.fromEntries(DAY_FIELDS.map((name) => [name, optionalFinite(summary[name], `daily activity ${name}`)]));
  return { steps: finite(summary.steps, 'daily activity steps'), distances, ...optional };
}

export function readSleepLogs(body: unknown): FitbitSleepLog[] {
  return list(record(body, 'sleep page').sleep, 'sleep page (sleep)').map((entry) => {
    const row = record(entry, 'sleep log');
    const levels = record(row.levels ?? {}, 'sleep levels');
    const summary = Object.fromEntries(
      Object.entries(record(levels.summary ?? {}, 'sleep levels summary')).map(([stage, entry]) => {
        const stats = record(entry, `sleep ${stage} summary`);
        return [
          stage,
          { count: optionalFinite(stats.count, `sleep ${stage} count`), minutes: optionalFinite(stats.minutes, `sleep ${stage} minutes`) },
        ];
      }),
    );
    return {
      logId: finite(row.logId, 'sleep logId'),
      startTime: when(row.startTime, 'sleep startTime', DATE_TIME),
      endTime: when(row.endTime, 'sleep endTime', DATE_TIME),
      isMainSleep: row.isMainSleep === true,
      type: typeof row.type === 'string' ? row.type : 'classic',
      efficiency: optionalFinite(row.efficiency, 'sleep efficiency'),
      minutesAsleep: optionalFinite(row.minutesAsleep, 'sleep minutesAsleep'),
      minutesToFallAsleep: optionalFinite(row.minutesToFallAsleep, 'sleep minutesToFallAsleep'),
      timeInBed: optionalFinite(row.timeInBed, 'sleep timeInBed'),
      levels: { summary },
    };
  });
}

export function readActivityLogs(body: unknown): { activities: FitbitActivityLog[]; next: string | null } {
  const value = record(body, 'activity log page');
  const activities = list(value.activities, 'activity log page (activities)').map((entry) => {
    const row = record(entry, 'activity log');
    const optional = (name: string) => optionalFinite(row[name], `activity log ${name}`);
    return {
      logId: finite(row.logId, 'activity logId'),
      activityName: typeof row.activityName === 'string' ? row.activityName : 'workout',
      startTime: when(row.startTime, 'activity startTime', DATE_TIME),
      duration: finite(row.duration, 'activity duration'),
      calories: optional('calories'),
      distance: optional('distance'),
      distanceUnit: typeof row.distanceUnit === 'string' ? row.distanceUnit : undefined,
      averageHeartRate: optional('averageHeartRate'),
      elevationGain: optional('elevationGain'),
      steps: optional('steps'),
      logType: typeof row.logType === 'string' ? row.logType : undefined,
      source: isRecord(row.source) && typeof row.source.name === 'string' ? { name: row.source.name } : undefined,
    };
  });
  const pagination = isRecord(value.pagination) ? value.pagination : {};
  return { activities, next: typeof pagination.next === 'string' && pagination.next ? pagination.next : null };
}

export function readWeightLogs(body: unknown): FitbitWeightLog[] {
  return list(record(body, 'weight page').weight, 'weight page (weight)').map((entry) => {
    const row = record(entry, 'weight log');
    return {
      logId: finite(row.logId, 'weight logId'),
      date: when(row.date, 'weight date', DATE),
      time: text(row.time ?? '23:59:59', 'weight time', CLOCK),
      weight: finite(row.weight, 'weight'),
      bmi: optionalFinite(row.bmi, 'bmi'),
      fat: optionalFinite(row.fat, 'body fat'),
      source: typeof row.source === 'string' ? row.source : undefined,
    };
  });
}

/** A Fitbit wall-clock time ("2024-05-01T23:30:00.000") on the timeline; a time with an offset is taken as is. */
export function userTime(local: string, zone: UserZone): Date {
  if (HAS_OFFSET.test(local)) return new Date(local);
  const wall = Date.parse(`${local}Z`);
  if (!zone.timeZone) return new Date(wall - zone.offsetMs);
  // The second pass settles instants near a daylight-saving change, where the first guess used the other offset.
  const first = wall - zoneOffsetAt(zone.timeZone, wall);
  return new Date(wall - zoneOffsetAt(zone.timeZone, first));
}

/** The user's calendar date ("YYYY-MM-DD") at an instant. */
export function userDate(at: Date, zone: UserZone): string {
  const offset = zone.timeZone ? zoneOffsetAt(zone.timeZone, at.getTime()) : zone.offsetMs;
  return new Date(at.getTime() + offset).toISOString().slice(0, 10);
}

export function heartRateSamples(date: string, dataset: FitbitHeartPoint[]): SampleInput[] {
  return dataset.map((point) => ({
    metricType: 'heart_rate',
    value: point.value,
    unit: 'bpm',
    recordedAt: new Date(`${date}T${point.time}Z`),
    device: 'Fitbit',
  }));
}

/** A day's totals, from the user's midnight to the next (at most 24 h, as ingestion allows). */
export function daySummarySamples(date: string, summary: FitbitDaySummary, zone: UserZone): SampleInput[] {
  const start = userTime(`${date}T00:00:00`, zone);
  const nextMidnight = userTime(`${new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)}T00:00:00`, zone);
  const end = new Date(Math.min(nextMidnight.getTime(), start.getTime() + 86_400_000) - 1);
  const base = { recordedAt: start, endAt: end, device: 'Fitbit', externalId: `daily:${date}` };
  const total = summary.distances.find((entry) => entry.activity === 'total');
  const active =
    summary.fairlyActiveMinutes != null && summary.veryActiveMinutes != null
      ? summary.fairlyActiveMinutes + summary.veryActiveMinutes
      : undefined;
  const optional: [string, number | undefined, string][] = [
    ['distance', total?.distance, 'km'],
    ['floors_climbed', summary.floors, 'count'],
    ['elevation_gain', summary.elevation, 'm'],
    ['active_energy', summary.activityCalories, 'kcal'],
    ['basal_energy', summary.caloriesBMR, 'kcal'],
    ['active_minutes', active, 'min'],
    ['sedentary_minutes', summary.sedentaryMinutes, 'min'],
  ];
  return [
    { ...base, metricType: 'steps', value: summary.steps, unit: 'count' },
    ...optional.flatMap(([metricType, value, unit]) => (value != null ? [{ ...base, metricType, value, unit }] : [])),
    // Resting heart rate is one value for the day, not an amount over it.
    ...(summary.restingHeartRate
      ? [{ ...base, endAt: null, metricType: 'resting_heart_rate', value: summary.restingHeartRate, unit: 'bpm' }]
      : []),
  ];
}

const STAGES: Record<string, string> = { deep: 'deep', light: 'light', rem: 'rem', wake: 'awake' };

export function sleepEvents(logs: FitbitSleepLog[], zone: UserZone): EventInput[] {
  return logs.map((log) => {
    const stageSeconds = Object.fromEntries(
      Object.entries(STAGES).flatMap(([fitbit, ours]) => {
        const minutes = log.levels.summary[fitbit]?.minutes;
        return minutes != null ? [[ours, minutes * 60]] : [];
      }),
    );
    return {
      type: 'sleep',
      subtype: log.isMainSleep ? 'main' : 'nap',
      startAt: userTime(log.startTime, zone),
      endAt: userTime(log.endTime, zone),
      details: {
        // Classic logs (short or without heart rate) have asleep/restless/awake instead of stages.
        ...(log.type === 'stages' ? { stageSeconds } : {}),
        totalSleepSeconds: log.minutesAsleep != null ? log.minutesAsleep * 60 : null,
        timeInBedSeconds: log.timeInBed != null ? log.timeInBed * 60 : null,
        efficiency: log.efficiency ?? null,
        latencySeconds: log.minutesToFallAsleep != null ? log.minutesToFallAsleep * 60 : null,
        awakenings: log.levels.summary.wake?.count ?? null,
        logType: log.type,
      },
      device: 'Fitbit',
      externalId: String(log.logId),
    };
  });
}

const METRES_PER: Record<string, number> = { kilometer: 1000, mile: 1609.344, meter: 1 };

export function workoutEvents(logs: FitbitActivityLog[], zone: UserZone): EventInput[] {
  return logs.map((log) => {
    const startAt = userTime(log.startTime, zone);
    const metres = METRES_PER[(log.distanceUnit ?? 'kilometer').toLowerCase()];
    return {
      type: 'workout',
      subtype: log.activityName,
      startAt,
      endAt: new Date(startAt.getTime() + log.duration),
      distance: log.distance != null && metres ? log.distance * metres : null,
      energy: log.calories ?? null,
      avgHeartRate: log.averageHeartRate ?? null,
      elevationGain: log.elevationGain ?? null,
      details: { steps: log.steps ?? null, logType: log.logType ?? null },
      device: log.source?.name ?? 'Fitbit',
      externalId: String(log.logId),
    };
  });
}

export function weightSamples(logs: FitbitWeightLog[], zone: UserZone): SampleInput[] {
  return logs.flatMap((log) => {
    const base = {
      recordedAt: userTime(`${log.date}T${log.time}`, zone),
      device: log.source ? `Fitbit ${log.source}` : 'Fitbit',
      externalId: String(log.logId),
    };
    return [
      { ...base, metricType: 'weight', value: log.weight, unit: 'kg' },
      ...(log.bmi != null ? [{ ...base, metricType: 'bmi', value: log.bmi, unit: 'kg/m2' }] : []),
      ...(log.fat != null ? [{ ...base, metricType: 'body_fat', value: log.fat, unit: '%' }] : []),
    ];
  });
}
