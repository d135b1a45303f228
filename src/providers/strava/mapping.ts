import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { ProviderError } from '../provider-error.js';

/**
 * Strava API v3 SummaryActivity (https://developers.strava.com/docs/reference/#api-models-SummaryActivity) mapped
 * to our types. Strava answers in SI whatever the athlete's display preference: distances and elevation in metres,
 * times in seconds, heart rate in bpm, `kilojoules` the mechanical work of rides, `calories` kcal (detailed only).
 */
export interface StravaActivity {
  id: number;
  name?: string;
  /** Since 2022; older clients and activities only carry the deprecated `type`. */
  sport_type?: string;
  type?: string;
  start_date: string;
  elapsed_time: number;
  moving_time?: number | null;
  distance?: number | null;
  total_elevation_gain?: number | null;
  has_heartrate?: boolean;
  average_heartrate?: number | null;
  max_heartrate?: number | null;
  kilojoules?: number | null;
  calories?: number | null;
  average_speed?: number | null;
  average_watts?: number | null;
  device_name?: string | null;
  trainer?: boolean;
  manual?: boolean;
}

const DISTANCE_METRIC: Record<string, string> = {
  Run: 'distance',
  TrailRun: 'distance',
  VirtualRun: 'distance',
  Walk: 'distance',
  Hike: 'distance',
  Ride: 'cycling_distance',
  MountainBikeRide: 'cycling_distance',
  GravelRide: 'cycling_distance',
  EBikeRide: 'cycling_distance',
  EMountainBikeRide: 'cycling_distance',
  VirtualRide: 'cycling_distance',
  Velomobile: 'cycling_distance',
  Handcycle: 'cycling_distance',
  Swim: 'swimming_distance',
  Wheelchair: 'wheelchair_distance',
};

const DAY_MS = 86_400_000;

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const positive = (value: unknown): number | null => ((finite(value) ?? 0) > 0 ? (value as number) : null);

/** One activity of Strava's answer, with the fields we cannot do without; `label` names it in the error. */
export function parseActivity(row: Partial<StravaActivity> | null, label: string): StravaActivity {
  const valid =
    !!row &&
    typeof row === 'object' &&
    finite(row.id) !== null &&
    typeof row.start_date === 'string' &&
    !Number.isNaN(Date.parse(row.start_date)) &&
    (finite(row.elapsed_time) ?? -1) >= 0;
  if (!valid) throw new ProviderError(`Strava ${label} lacks a numeric id, a start_date or an elapsed_time`, 'invalid_response');
  return row as StravaActivity;
}

/** A page of GET /athlete/activities: an array of activities, each with the fields we cannot do without. */
export function parseActivityPage(body: unknown): StravaActivity[] {
  if (!Array.isArray(body))
    throw new ProviderError('Strava answered the activity list with something other than an array', 'invalid_response');
  return body.map((row: Partial<StravaActivity> | null, index) => parseActivity(row, `activity #${index} of the page`));
}

/**
 * GET /activities/{id} answers a DetailedActivity: the summary's fields and more, among them `calories`, which the
 * list never carries. Mapped as the list maps the same activity, so a later list sync (which re-reads the last
 * days) stores exactly what the push stored instead of flipping the energy between two estimates.
 */
export function parseDetailedActivity(body: unknown, id: string): StravaActivity {
  const activity = parseActivity(body as Partial<StravaActivity> | null, `activity ${id}`);
  if (String(activity.id) !== id)
    throw new ProviderError(`Strava answered activity ${id} with activity ${activity.id}`, 'invalid_response');
  const { calories: _detailOnly, ...summary } = activity;
  return summary;
}

/** The external ids of every sample an activity can have given (activitySamples), to replace or remove them. */
export function activitySampleIds(activityId: string): string[] {
  return ['distance', 'energy', 'elevation'].map((kind) => `${activityId}:${kind}`);
}

/** "MountainBikeRide" → "mountain_bike_ride", the snake_case of our subtypes. */
export function subtypeOf(sportType: string): string {
  return sportType
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * Energy in kcal: `calories` when Strava sent it, else the ride's work in kJ taken as kcal. Muscles turn about a
 * quarter of the energy they burn into work, and 1 kcal is 4.184 kJ, so each kJ of work costs ≈ 1 kcal — the same
 * rule Strava uses for its own ride calorie estimate.
 */
export function energyKcal(activity: StravaActivity): number | null {
  return positive(activity.calories) ?? positive(activity.kilojoules);
}

export function workoutEvent(activity: StravaActivity): EventInput {
  const startAt = new Date(activity.start_date);
  const sportType = activity.sport_type ?? activity.type ?? 'Workout';
  return {
    type: 'workout',
    subtype: subtypeOf(sportType),
    startAt,
    endAt: new Date(startAt.getTime() + activity.elapsed_time * 1000),
    distance: positive(activity.distance),
    energy: energyKcal(activity),
    avgHeartRate: activity.has_heartrate === false ? null : positive(activity.average_heartrate),
    maxHeartRate: activity.has_heartrate === false ? null : positive(activity.max_heartrate),
    elevationGain: finite(activity.total_elevation_gain),
    details: {
      name: activity.name ?? null,
      sportType,
      movingSeconds: finite(activity.moving_time),
      workKilojoules: finite(activity.kilojoules),
      averageSpeed: finite(activity.average_speed),
      averageWatts: finite(activity.average_watts),
      trainer: activity.trainer ?? null,
      manual: activity.manual ?? null,
    },
    device: activity.device_name || 'Strava',
    externalId: String(activity.id),
  };
}

/**
 * An activity's totals as samples over its interval, so they reach daily summaries and records. Device is the
 * constant "Strava": it is part of the samples' natural key, and a device name Strava adds later must not duplicate.
 * Activities longer than a day are left to the event (sample totals are checked against per-day ranges).
 */
export function activitySamples(activity: StravaActivity): SampleInput[] {
  const recordedAt = new Date(activity.start_date);
  const endAt = new Date(recordedAt.getTime() + activity.elapsed_time * 1000);
  if (activity.elapsed_time <= 0 || endAt.getTime() - recordedAt.getTime() > DAY_MS) return [];
  const base = { recordedAt, endAt, device: 'Strava' };
  const distanceMetric = DISTANCE_METRIC[activity.sport_type ?? activity.type ?? ''];
  const distance = positive(activity.distance);
  const energy = energyKcal(activity);
  const climb = positive(activity.total_elevation_gain);
  return [
    ...(distanceMetric && distance !== null
      ? [{ ...base, metricType: distanceMetric, value: distance, unit: 'm', externalId: `${activity.id}:distance` }]
      : []),
    ...(energy !== null
      ? [{ ...base, metricType: 'active_energy', value: energy, unit: 'kcal', externalId: `${activity.id}:energy` }]
      : []),
    ...(climb !== null ? [{ ...base, metricType: 'elevation_gain', value: climb, unit: 'm', externalId: `${activity.id}:elevation` }] : []),
  ];
}

export function activityData(activities: StravaActivity[]): { samples: SampleInput[]; events: EventInput[] } {
  return { samples: activities.flatMap(activitySamples), events: activities.map(workoutEvent) };
}
