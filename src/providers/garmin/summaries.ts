import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { activityData, sleepData } from './events.js';
import {
  bloodPressureSamples,
  bodyCompositionSamples,
  dailySamples,
  hrvSamples,
  isNumber,
  pulseOxSamples,
  respirationSamples,
  skinTemperatureSamples,
  stressSamples,
  userMetricSamples,
  type GarminSummary,
} from './wellness.js';

/**
 * The Garmin summary types VitaSync reads, by the list key Garmin's ping and push notifications use (Health API
 * §4.2 and §5.1; the Activity API's "activities" and "manuallyUpdatedActivities"). The key is also the sync stream
 * that asks Garmin to backfill the type (Health API §8 "Summary Backfill", whose resources are sometimes spelled
 * differently). Epochs, health snapshots, activity details and files, Move IQ and women's health are not read.
 */
export interface SummaryType {
  key: string;
  /** Resource of GET /wellness-api/rest/backfill/<resource>; none where Garmin does not backfill the type. */
  backfill: string | null;
  /**
   * Longest range one backfill request may ask for: 30 days for every type. Health API v1.2.2 §8 allows 90 days
   * for health summaries and 30 for activities, but Garmin's support told Open Wearables 30 for all types (recorded
   * in its GarminBackfillService), so 30 is the range both accept; a longer one risks a 400 for the whole type.
   */
  backfillDays: number;
  /** The field that places a summary in time: a summary without it is malformed. */
  time: 'startTimeInSeconds' | 'measurementTimeInSeconds' | 'calendarDate';
  map(rows: GarminSummary[]): { samples: SampleInput[]; events: EventInput[] };
}

const BACKFILL_DAYS = 30;

const samplesOnly = (map: (rows: GarminSummary[]) => SampleInput[]) => (rows: GarminSummary[]) => ({ samples: map(rows), events: [] });

export const SUMMARY_TYPES: readonly SummaryType[] = [
  { key: 'dailies', backfill: 'dailies', backfillDays: BACKFILL_DAYS, time: 'startTimeInSeconds', map: samplesOnly(dailySamples) },
  { key: 'sleeps', backfill: 'sleeps', backfillDays: BACKFILL_DAYS, time: 'startTimeInSeconds', map: sleepData },
  {
    key: 'bodyComps',
    backfill: 'bodyComps',
    backfillDays: BACKFILL_DAYS,
    time: 'measurementTimeInSeconds',
    map: samplesOnly(bodyCompositionSamples),
  },
  {
    key: 'stressDetails',
    backfill: 'stressDetails',
    backfillDays: BACKFILL_DAYS,
    time: 'startTimeInSeconds',
    map: samplesOnly(stressSamples),
  },
  { key: 'userMetrics', backfill: 'userMetrics', backfillDays: BACKFILL_DAYS, time: 'calendarDate', map: samplesOnly(userMetricSamples) },
  { key: 'pulseox', backfill: 'pulseOx', backfillDays: BACKFILL_DAYS, time: 'startTimeInSeconds', map: samplesOnly(pulseOxSamples) },
  {
    key: 'allDayRespiration',
    backfill: 'respiration',
    backfillDays: BACKFILL_DAYS,
    time: 'startTimeInSeconds',
    map: samplesOnly(respirationSamples),
  },
  { key: 'hrv', backfill: 'hrv', backfillDays: BACKFILL_DAYS, time: 'startTimeInSeconds', map: samplesOnly(hrvSamples) },
  {
    key: 'bloodPressures',
    backfill: 'bloodPressures',
    backfillDays: BACKFILL_DAYS,
    time: 'measurementTimeInSeconds',
    map: samplesOnly(bloodPressureSamples),
  },
  {
    key: 'skinTemp',
    backfill: 'skinTemp',
    backfillDays: BACKFILL_DAYS,
    time: 'startTimeInSeconds',
    map: samplesOnly(skinTemperatureSamples),
  },
  { key: 'activities', backfill: 'activities', backfillDays: BACKFILL_DAYS, time: 'startTimeInSeconds', map: activityData },
  { key: 'manuallyUpdatedActivities', backfill: null, backfillDays: 0, time: 'startTimeInSeconds', map: activityData },
];

const BY_KEY = new Map(SUMMARY_TYPES.map((type) => [type.key, type]));

export function summaryType(key: string): SummaryType | undefined {
  return BY_KEY.get(key);
}

function hasTime(row: unknown, time: SummaryType['time']): row is GarminSummary {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return false;
  const value = (row as GarminSummary)[time];
  return time === 'calendarDate' ? typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) : isNumber(value);
}

/** The rows of an answer or a push, or what is wrong with them (the index of the first malformed summary). */
export function checkSummaries(rows: unknown, type: SummaryType): { rows: GarminSummary[] } | { problem: string } {
  if (!Array.isArray(rows)) return { problem: `${type.key} must be a list of summaries` };
  const bad = rows.findIndex((row) => !hasTime(row, type.time));
  return bad >= 0 ? { problem: `a malformed ${type.key} summary at index ${bad} (no ${type.time})` } : { rows: rows as GarminSummary[] };
}
