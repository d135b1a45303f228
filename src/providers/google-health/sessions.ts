import type { EventInput } from '../../events/event-input.js';
import { numberOf } from '../../lib/numbers.js';
import type { GoogleDataPoint } from './mapping.js';

/**
 * The Google Health API's two session data types, `sleep` and `exercise` (developers.google.com/health data types
 * table, record type "Session"), read with users.dataTypes.dataPoints.list and mapped to sleep and workout events
 * as the Oura and Garmin providers map theirs. What their reference says and this follows:
 * - Paging: "For exercise and sleep the default page size is 25. The maximum page size for exercise and sleep is
 *   25" (pageSize); larger values are truncated, so a page of 25 is not the end: only nextPageToken says so.
 * - Filter (AIP-160, `filter`): sleep is filtered on when it ended, `sleep.interval.end_time` (RFC 3339), and is
 *   excluded from the session start-time pattern; exercise on `exercise.interval.civil_start_time`, the user's
 *   local date-time (YYYY-MM-DD[THH:mm:ss], no zone). A filter on another member is 400 INVALID_ARGUMENT.
 * - A Sleep (interval, type CLASSIC | STAGES, metadata { nap, mainSleep, … }, stages [{ startTime, endTime, type
 *   AWAKE | LIGHT | DEEP | REM | ASLEEP | RESTLESS }], summary { minutesAsleep, minutesInSleepPeriod,
 *   minutesToFallAsleep, … } with int64 minutes as strings). An Exercise (interval, exerciseType, displayName,
 *   activeDuration as a Duration string "1800s", metricsSummary { caloriesKcal, distanceMillimeters,
 *   elevationGainMillimeters, averageHeartRateBeatsPerMinute (int64), steps (int64), … }).
 */
export const SESSION_STREAMS = ['sleep', 'exercise'] as const;
export type SessionStream = (typeof SESSION_STREAMS)[number];
export const isSessionStream = (stream: string): stream is SessionStream => (SESSION_STREAMS as readonly string[]).includes(stream);
/** The documented maximum page size of the session types. */
export const SESSION_PAGE_SIZE = 25;

/** The furthest a local clock is from UTC (UTC−12 to UTC+14): a civil window this much wider holds the physical one. */
const CIVIL_MARGIN_MS = 14 * 3_600_000;
const civil = (at: Date) => at.toISOString().slice(0, 19);

/**
 * The filter of a session list for the physical window [from, to). Sleep: the sessions that ended in it, so a night
 * that began before the window but ended inside it is read (a filter on the start would lose it, and is refused).
 * Exercise: its civil start time, in a window widened by the largest UTC offsets since the user's zone is not
 * known; sessions read twice are the same events (their data point name is the external id).
 */
export function sessionFilter(stream: SessionStream, from: Date, to: Date): string {
  if (stream === 'sleep') return `sleep.interval.end_time >= "${from.toISOString()}" AND sleep.interval.end_time < "${to.toISOString()}"`;
  const [a, b] = [new Date(from.getTime() - CIVIL_MARGIN_MS), new Date(to.getTime() + CIVIL_MARGIN_MS)];
  return `exercise.interval.civil_start_time >= "${civil(a)}" AND exercise.interval.civil_start_time < "${civil(b)}"`;
}

const instant = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : null);

/** A proto Duration in JSON ("1800s", "1800.5s"), in seconds. */
function durationSeconds(value: unknown): number | null {
  const match = typeof value === 'string' ? /^(-?\d+(?:\.\d+)?)s$/.exec(value) : null;
  return match ? Number(match[1]) : null;
}

function deviceOf(point: GoogleDataPoint): string {
  const device = point.dataSource?.device;
  return device?.displayName || device?.manufacturer || point.dataSource?.platform || 'Google Health';
}

/** Google's stage types as ours; ASLEEP and RESTLESS (classic sleep, no stages) have no counterpart in a stage list. */
const STAGES: Record<string, string> = { AWAKE: 'awake', LIGHT: 'light', DEEP: 'deep', REM: 'rem' };

interface Interval {
  startTime?: unknown;
  endTime?: unknown;
}

function intervalOf(body: Record<string, unknown> | undefined): { startAt: Date; endAt: Date } | null {
  const interval = (body?.interval ?? {}) as Interval;
  const [startAt, endAt] = [instant(interval.startTime), instant(interval.endTime)];
  return startAt && endAt && endAt > startAt ? { startAt, endAt } : null;
}

/**
 * A sleep data point as a sleep event. Subtype: "nap" when metadata.nap, "main" when metadata.mainSleep, else none.
 * A STAGES sleep keeps its stage list (clipped to the session, which must hold it); a CLASSIC one (ASLEEP, RESTLESS
 * and AWAKE segments) gives no stage list but its efficiency, minutesAsleep / minutesInSleepPeriod × 100 from
 * Google's own summary, so the time asleep is not taken for the time in bed.
 */
export function sleepEvent(point: GoogleDataPoint): EventInput | string {
  const sleep = point.sleep as Record<string, unknown> | undefined;
  const span = intervalOf(sleep);
  if (!sleep || !span) return `sleep ${point.name ?? '?'}: no readable interval`;
  const metadata = (sleep.metadata ?? {}) as Record<string, unknown>;
  const summary = (sleep.summary ?? {}) as Record<string, unknown>;
  const stages = (Array.isArray(sleep.stages) ? (sleep.stages as Record<string, unknown>[]) : []).flatMap((stage) => {
    const ours = STAGES[String(stage?.type)];
    const from = instant(stage?.startTime);
    const to = instant(stage?.endTime);
    if (!ours || !from || !to) return [];
    const [a, b] = [Math.max(from.getTime(), span.startAt.getTime()), Math.min(to.getTime(), span.endAt.getTime())];
    return b > a ? [{ stage: ours, startAt: new Date(a).toISOString(), endAt: new Date(b).toISOString() }] : [];
  });
  const staged = sleep.type !== 'CLASSIC' && stages.some((stage) => stage.stage !== 'awake');
  const asleep = numberOf(summary.minutesAsleep);
  const inPeriod = numberOf(summary.minutesInSleepPeriod);
  const toFallAsleep = numberOf(summary.minutesToFallAsleep);
  return {
    type: 'sleep',
    subtype: metadata.nap === true ? 'nap' : metadata.mainSleep === true ? 'main' : null,
    ...span,
    details: {
      ...(staged ? { stages } : {}),
      ...(!staged && asleep !== null && inPeriod ? { efficiency: Math.min(100, (100 * asleep) / inPeriod) } : {}),
      ...(toFallAsleep !== null ? { latencySeconds: toFallAsleep * 60 } : {}),
      totalSleepSeconds: asleep !== null ? asleep * 60 : null,
      sleepType: typeof sleep.type === 'string' ? sleep.type : null,
    },
    device: deviceOf(point),
    ...(point.name ? { externalId: point.name } : {}),
  };
}

/**
 * An exercise data point as a workout event: exerciseType as the subtype ("STRENGTH_TRAINING" → strength_training),
 * metricsSummary's totals in our units. Its steps, distance and calories also arrive through their own data types
 * (the metricsSummary fields mirror them), so they become no samples here: they would be counted twice.
 */
export function exerciseEvent(point: GoogleDataPoint): EventInput | string {
  const exercise = point.exercise as Record<string, unknown> | undefined;
  const span = intervalOf(exercise);
  if (!exercise || !span) return `exercise ${point.name ?? '?'}: no readable interval`;
  const metrics = (exercise.metricsSummary ?? {}) as Record<string, unknown>;
  const millimetres = numberOf(metrics.distanceMillimeters);
  const climb = numberOf(metrics.elevationGainMillimeters);
  const type = typeof exercise.exerciseType === 'string' ? exercise.exerciseType : 'OTHER';
  return {
    type: 'workout',
    subtype: type === 'EXERCISE_TYPE_UNSPECIFIED' ? 'other' : type.toLowerCase(),
    ...span,
    distance: millimetres !== null && millimetres > 0 ? millimetres / 1000 : null,
    energy: numberOf(metrics.caloriesKcal),
    avgHeartRate: numberOf(metrics.averageHeartRateBeatsPerMinute),
    elevationGain: climb !== null ? climb / 1000 : null,
    details: {
      name: typeof exercise.displayName === 'string' ? exercise.displayName : null,
      exerciseType: type,
      activeSeconds: durationSeconds(exercise.activeDuration),
      steps: numberOf(metrics.steps),
    },
    device: deviceOf(point),
    ...(point.name ? { externalId: point.name } : {}),
  };
}

/** A page of session points as events; a point we cannot read is a rejection with its reason. */
export function sessionEvents(stream: SessionStream, points: GoogleDataPoint[]): { events: EventInput[]; rejected: string[] } {
  const events: EventInput[] = [];
  const rejected: string[] = [];
  for (const point of points) {
    const mapped = stream === 'sleep' ? sleepEvent(point) : exerciseEvent(point);
    if (typeof mapped === 'string') rejected.push(mapped);
    else events.push(mapped);
  }
  return { events, rejected };
}
