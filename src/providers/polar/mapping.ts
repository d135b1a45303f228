import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { ProviderError } from '../provider-error.js';

/**
 * Polar AccessLink v3 documents (https://www.polar.com/accesslink-api/, sections Exercises, Daily activity, Sleep,
 * Nightly Recharge and Schemas) checked and mapped to our types. Units as documented: sleep stage durations and
 * interruptions in seconds, exercise and activity durations as ISO 8601 durations, distances in metres, calories
 * in kcal, heart rates in bpm, HRV (RMSSD) in ms, breathing rate in breaths per minute.
 */
/** Numeric fields we read, per document (the docs' Schemas section); each may be absent or null. */
const EXERCISE_NUMBERS = ['start_time_utc_offset', 'calories', 'distance', 'training_load'] as const;
const ACTIVITY_NUMBERS = ['calories', 'active_calories', 'steps', 'distance_from_steps'] as const;
const SLEEP_NUMBERS = [
  'light_sleep',
  'deep_sleep',
  'rem_sleep',
  'unrecognized_sleep_stage',
  'total_interruption_duration',
  'sleep_score',
  'sleep_cycles',
  'continuity',
] as const;
const RECHARGE_NUMBERS = [
  'heart_rate_avg',
  'beat_to_beat_avg',
  'heart_rate_variability_avg',
  'breathing_rate_avg',
  'nightly_recharge_status',
] as const;
type Numbers<K extends readonly string[]> = Record<K[number], number | null>;

export type PolarExercise = Numbers<typeof EXERCISE_NUMBERS> & {
  id: string;
  device: string | null;
  /** Local time without zone; `start_time_utc_offset` (minutes) turns it into an instant. */
  start_time: string;
  duration: string;
  heart_rate: { average: number | null; maximum: number | null };
  sport: string | null;
  detailed_sport_info: string | null;
};

export type PolarActivity = Numbers<typeof ACTIVITY_NUMBERS> & {
  /** Local time without zone: only its date is used. */
  start_time: string;
  active_duration: string | null;
};

export type PolarSleep = Numbers<typeof SLEEP_NUMBERS> & {
  date: string;
  sleep_start_time: string;
  sleep_end_time: string;
  heart_rate_samples: Record<string, number> | null;
};

export type PolarRecharge = Numbers<typeof RECHARGE_NUMBERS> & { date: string };

/** The polar_user link every sleep, recharge and exercise document carries ("…/v3/users/{user-id}"). */
export function polarUserIdOf(row: unknown): string | null {
  const link = (row as { polar_user?: unknown } | null)?.polar_user;
  return typeof link === 'string' ? (/\/users\/(\d+)\/?$/.exec(link)?.[1] ?? null) : null;
}

// Checking: a document that does not have the documented shape fails the page, never a mapping deep inside.

function invalid(what: string): never {
  throw new ProviderError(`Polar answered ${what}`, 'invalid_response');
}

type Row = Record<string, unknown>;

function rowsOf(value: unknown, what: string): Row[] {
  if (!Array.isArray(value) || value.some((row) => !row || typeof row !== 'object')) invalid(`${what} that is not a list of objects`);
  return value as Row[];
}

function text(row: Row, key: string, what: string): string {
  const value = row[key];
  if (typeof value !== 'string' || !value) invalid(`${what} without ${key}`);
  return value;
}

function optionalText(row: Row, key: string, what: string): string | null {
  const value = row[key];
  if (value == null) return null;
  if (typeof value !== 'string') invalid(`${what} with a ${key} that is not a string`);
  return value;
}

function optionalNumber(row: Row, key: string, what: string): number | null {
  const value = row[key];
  if (value == null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${what} with a ${key} that is not a number`);
  return value;
}

function numbers<K extends readonly string[]>(row: Row, keys: K, what: string): Numbers<K> {
  return Object.fromEntries(keys.map((key) => [key, optionalNumber(row, key, what)])) as Numbers<K>;
}

function instant(value: string, key: string, what: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) invalid(`${what} with a ${key} that is not a date-time`);
  return date;
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** A date-time that is either local (no zone, as Polar writes exercise and activity starts) or ISO 8601 with one. */
function localDateTime(row: Row, key: string, what: string): string {
  const value = text(row, key, what);
  const parsed = LOCAL_DATE_TIME.test(value) ? Date.parse(`${value}Z`) : /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed)) invalid(`${what} with a ${key} that is not a date-time`);
  return value;
}

function isoDate(row: Row, key: string, what: string): string {
  const value = text(row, key, what);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) invalid(`${what} with a ${key} that is not a YYYY-MM-DD date`);
  return value;
}

/** ISO 8601 durations as Polar writes them (PT2H44M, PT210.026S, P1DT2H) in seconds; null when not one. */
export function durationSeconds(value: string): number | null {
  const match = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return null;
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86_400 + Number(hours ?? 0) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
}

function duration(row: Row, key: string, what: string, required: boolean): string | null {
  const value = required ? text(row, key, what) : optionalText(row, key, what);
  if (value != null && durationSeconds(value) == null) invalid(`${what} with a ${key} that is not an ISO 8601 duration`);
  return value;
}

export function parseExercises(body: unknown): PolarExercise[] {
  return rowsOf(body, 'exercises').map((row) => {
    const what = 'an exercise';
    const heartRate = row.heart_rate ?? {};
    if (typeof heartRate !== 'object') invalid(`${what} with a heart_rate that is not an object`);
    return {
      ...numbers(row, EXERCISE_NUMBERS, what),
      id: text(row, 'id', what),
      device: optionalText(row, 'device', what),
      start_time: localDateTime(row, 'start_time', what),
      duration: duration(row, 'duration', what, true)!,
      heart_rate: {
        average: optionalNumber(heartRate as Row, 'average', what),
        maximum: optionalNumber(heartRate as Row, 'maximum', what),
      },
      sport: optionalText(row, 'sport', what),
      detailed_sport_info: optionalText(row, 'detailed_sport_info', what),
    };
  });
}

export function parseActivities(body: unknown): PolarActivity[] {
  return rowsOf(body, 'daily activities').map((row) => {
    const what = 'a daily activity';
    return {
      ...numbers(row, ACTIVITY_NUMBERS, what),
      start_time: localDateTime(row, 'start_time', what),
      active_duration: duration(row, 'active_duration', what, false),
    };
  });
}

function samplesObject(row: Row, key: string, what: string): Record<string, number> | null {
  const value = row[key];
  if (value == null) return null;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((v) => typeof v !== 'number'))
    invalid(`${what} with ${key} that are not numbers by time`);
  return value as Record<string, number>;
}

export function parseNights(body: unknown): PolarSleep[] {
  const nights = (body as { nights?: unknown } | null)?.nights;
  if (nights === undefined) invalid('sleep without a nights list');
  return rowsOf(nights, 'sleep nights').map((row) => {
    const what = 'a night of sleep';
    const [start, end] = [text(row, 'sleep_start_time', what), text(row, 'sleep_end_time', what)];
    instant(start, 'sleep_start_time', what);
    instant(end, 'sleep_end_time', what);
    return {
      ...numbers(row, SLEEP_NUMBERS, what),
      date: isoDate(row, 'date', what),
      sleep_start_time: start,
      sleep_end_time: end,
      heart_rate_samples: samplesObject(row, 'heart_rate_samples', what),
    };
  });
}

export function parseRecharges(body: unknown): PolarRecharge[] {
  const recharges = (body as { recharges?: unknown } | null)?.recharges;
  if (recharges === undefined) invalid('nightly recharge without a recharges list');
  return rowsOf(recharges, 'nightly recharges').map((row) => ({
    ...numbers(row, RECHARGE_NUMBERS, 'a nightly recharge'),
    date: isoDate(row, 'date', 'a nightly recharge'),
  }));
}

// Mapping.

/** An exercise's start: local time minus its UTC offset (no offset given: the time is taken as UTC). */
function exerciseStart(row: PolarExercise): Date {
  if (!LOCAL_DATE_TIME.test(row.start_time)) return new Date(row.start_time);
  return new Date(Date.parse(`${row.start_time}Z`) - (row.start_time_utc_offset ?? 0) * 60_000);
}

/**
 * Polar gives daily documents a date but no zone: stamping them at noon UTC keeps them on that date in every
 * zone from UTC−12 to UTC+11, where midnight UTC would move them to the day before for the whole Americas.
 */
const middayOf = (date: string) => new Date(`${date.slice(0, 10)}T12:00:00.000Z`);

export function workoutEvents(rows: PolarExercise[]): EventInput[] {
  return rows.map((row) => {
    const startAt = exerciseStart(row);
    return {
      type: 'workout',
      subtype: row.detailed_sport_info ?? row.sport,
      startAt,
      endAt: new Date(startAt.getTime() + durationSeconds(row.duration)! * 1000),
      distance: row.distance,
      energy: row.calories,
      avgHeartRate: row.heart_rate.average || null,
      maxHeartRate: row.heart_rate.maximum || null,
      details: { sport: row.sport, detailedSport: row.detailed_sport_info, trainingLoad: row.training_load },
      device: row.device ?? 'Polar',
      externalId: row.id,
    };
  });
}

export function dailyActivitySamples(rows: PolarActivity[]): SampleInput[] {
  return rows.flatMap((row) => {
    const day = row.start_time.slice(0, 10);
    const base = { recordedAt: middayOf(day), device: 'Polar' };
    const activeSeconds = row.active_duration ? durationSeconds(row.active_duration) : null;
    const samples: SampleInput[] = [];
    if (row.steps != null)
      samples.push({ ...base, metricType: 'steps', value: row.steps, unit: 'count', externalId: `activity:${day}:steps` });
    if (row.active_calories != null)
      samples.push({
        ...base,
        metricType: 'active_energy',
        value: row.active_calories,
        unit: 'kcal',
        externalId: `activity:${day}:active_calories`,
      });
    if (row.distance_from_steps != null)
      samples.push({ ...base, metricType: 'distance', value: row.distance_from_steps, unit: 'm', externalId: `activity:${day}:distance` });
    if (activeSeconds != null)
      samples.push({
        ...base,
        metricType: 'active_minutes',
        value: activeSeconds,
        unit: 's',
        externalId: `activity:${day}:active_duration`,
      });
    return samples;
  });
}

function average(values: number[]): number | null {
  return values.length ? Math.round((values.reduce((sum, v) => sum + v, 0) / values.length) * 10) / 10 : null;
}

/** Sleep sessions, plus per-night totals stamped at waking so they count for Polar's result date. */
export function sleepEventsAndSamples(rows: PolarSleep[]): { events: EventInput[]; samples: SampleInput[] } {
  const events: EventInput[] = [];
  const samples: SampleInput[] = [];
  for (const row of rows) {
    const startAt = new Date(row.sleep_start_time);
    const endAt = new Date(row.sleep_end_time);
    const stageSeconds = {
      light: row.light_sleep ?? 0,
      deep: row.deep_sleep ?? 0,
      rem: row.rem_sleep ?? 0,
      awake: row.total_interruption_duration ?? 0,
    };
    const asleep = stageSeconds.light + stageSeconds.deep + stageSeconds.rem + (row.unrecognized_sleep_stage ?? 0);
    events.push({
      type: 'sleep',
      subtype: 'main',
      startAt,
      endAt,
      avgHeartRate: average(Object.values(row.heart_rate_samples ?? {})),
      details: {
        stageSeconds,
        totalSleepSeconds: asleep,
        unrecognizedSeconds: row.unrecognized_sleep_stage,
        sleepScore: row.sleep_score,
        sleepCycles: row.sleep_cycles,
        continuity: row.continuity,
      },
      device: 'Polar',
      externalId: `sleep:${row.date}`,
    });
    const base = { recordedAt: endAt, device: 'Polar' };
    samples.push(
      { ...base, metricType: 'sleep_duration', value: asleep, unit: 's', externalId: `sleep:${row.date}:asleep` },
      { ...base, metricType: 'light_sleep_duration', value: stageSeconds.light, unit: 's', externalId: `sleep:${row.date}:light` },
      { ...base, metricType: 'deep_sleep_duration', value: stageSeconds.deep, unit: 's', externalId: `sleep:${row.date}:deep` },
      { ...base, metricType: 'rem_sleep_duration', value: stageSeconds.rem, unit: 's', externalId: `sleep:${row.date}:rem` },
      { ...base, metricType: 'awake_duration', value: stageSeconds.awake, unit: 's', externalId: `sleep:${row.date}:awake` },
    );
    if (row.sleep_score != null)
      samples.push({ ...base, metricType: 'sleep_score', value: row.sleep_score, unit: 'score', externalId: `sleep:${row.date}:score` });
  }
  return { events, samples };
}

/**
 * Nightly Recharge: averages over the first four hours of sleep. HRV is RMSSD (documented), the heart rate is the
 * night's resting level; beat_to_beat_avg (the mean RR interval) has no metric of ours and is left out.
 */
export function rechargeSamples(rows: PolarRecharge[]): SampleInput[] {
  return rows.flatMap((row) => {
    const base = { recordedAt: middayOf(row.date), device: 'Polar' };
    const samples: SampleInput[] = [];
    if (row.heart_rate_variability_avg != null)
      samples.push({
        ...base,
        metricType: 'hrv_rmssd',
        value: row.heart_rate_variability_avg,
        unit: 'ms',
        externalId: `recharge:${row.date}:hrv`,
      });
    if (row.breathing_rate_avg != null)
      samples.push({
        ...base,
        metricType: 'respiratory_rate',
        value: row.breathing_rate_avg,
        unit: 'breaths/min',
        externalId: `recharge:${row.date}:breathing`,
      });
    if (row.heart_rate_avg != null)
      samples.push({
        ...base,
        metricType: 'resting_heart_rate',
        value: row.heart_rate_avg,
        unit: 'bpm',
        externalId: `recharge:${row.date}:heart_rate`,
      });
    return samples;
  });
}
