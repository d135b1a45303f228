import type { SampleInput } from '../../health/sample-input.js';

/**
 * Garmin Health API summaries (Health API v1.2.2, §7 "Summary Endpoints") mapped to our metric types. Times are
 * UTC epoch seconds; maps such as timeOffsetHeartRateSamples key their values by seconds after the summary's
 * start. Rows reach these functions checked to carry their time field (summaries.ts); every other field is read
 * only when it is a finite number.
 */
export type GarminSummary = Record<string, unknown>;

export const GARMIN_DEVICE = 'Garmin';
const DAY_MS = 86_400_000;

export const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
export const instant = (seconds: number) => new Date(seconds * 1000);

type Field = [field: string, metricType: string, unit: string];
type Base = Pick<SampleInput, 'recordedAt' | 'endAt' | 'device' | 'externalId'>;

function fieldSamples(row: GarminSummary, fields: readonly Field[], base: Base): SampleInput[] {
  return fields.flatMap(([field, metricType, unit]) => {
    const value = row[field];
    return isNumber(value) ? [{ ...base, metricType, value, unit }] : [];
  });
}

/** One sample per entry of an offset map; `keep` refuses Garmin's status codes (e.g. stress −1 for "off wrist"). */
function offsetSamples(
  start: number,
  map: unknown,
  metricType: string,
  unit: string,
  keep: (value: number) => boolean = () => true,
): SampleInput[] {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return [];
  return Object.entries(map).flatMap(([offset, value]) =>
    /^\d+$/.test(offset) && isNumber(value) && keep(value)
      ? [{ metricType, value, unit, recordedAt: instant(start + Number(offset)), device: GARMIN_DEVICE }]
      : [],
  );
}

const start = (row: GarminSummary) => row.startTimeInSeconds as number;
const measuredAt = (row: GarminSummary) => row.measurementTimeInSeconds as number;

/** Daily summary totals; moderate and vigorous intensity durations come in seconds. */
const DAILY_TOTALS: readonly Field[] = [
  ['steps', 'steps', 'count'],
  ['distanceInMeters', 'distance', 'm'],
  ['activeKilocalories', 'active_energy', 'kcal'],
  ['bmrKilocalories', 'basal_energy', 'kcal'],
  ['floorsClimbed', 'floors_climbed', 'count'],
  ['moderateIntensityDurationInSeconds', 'moderate_intensity_minutes', 's'],
  ['vigorousIntensityDurationInSeconds', 'vigorous_intensity_minutes', 's'],
  ['pushes', 'wheelchair_pushes', 'count'],
  ['pushDistanceInMeters', 'wheelchair_distance', 'm'],
];

/**
 * Daily summaries (§7.1): the day's totals over the user's day, which grow as the user syncs through the day (the
 * re-sent summary corrects the stored value), resting heart rate, and the 15-second heart-rate samples. Epoch
 * summaries are not read: their 15-minute totals would count the same steps twice.
 */
export function dailySamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) => {
    const day: Base = {
      recordedAt: instant(start(row)),
      endAt: new Date(start(row) * 1000 + DAY_MS - 1),
      device: GARMIN_DEVICE,
      externalId: `daily:${String(row.calendarDate ?? start(row))}`,
    };
    return [
      ...fieldSamples(row, DAILY_TOTALS, day),
      ...fieldSamples(row, [['restingHeartRateInBeatsPerMinute', 'resting_heart_rate', 'bpm']], {
        recordedAt: instant(start(row)),
        device: GARMIN_DEVICE,
      }),
      ...offsetSamples(start(row), row.timeOffsetHeartRateSamples, 'heart_rate', 'bpm'),
    ];
  });
}

/** Stress details (§7.5): 3-minute stress scores (negative values are status codes, not scores) and Body Battery. */
export function stressSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) => [
    ...offsetSamples(start(row), row.timeOffsetStressLevelValues, 'stress_level', 'score', (value) => value >= 0),
    ...offsetSamples(start(row), row.timeOffsetBodyBatteryValues, 'body_battery', 'score'),
  ]);
}

/** Pulse Ox (§7.7): SpO2 readings in percent, all-day or on demand. */
export function pulseOxSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) => offsetSamples(start(row), row.timeOffsetSpo2Values, 'spo2', '%'));
}

/** Respiration (§7.8): breaths per minute. */
export function respirationSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) => offsetSamples(start(row), row.timeOffsetEpochToBreaths, 'respiratory_rate', 'breaths/min'));
}

/** HRV (§7.10): RMSSD in milliseconds every five minutes of the overnight window. */
export function hrvSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) => offsetSamples(start(row), row.hrvValues, 'hrv_rmssd', 'ms'));
}

const BODY_COMPOSITION: readonly Field[] = [
  ['weightInGrams', 'weight', 'g'],
  ['bodyFatInPercent', 'body_fat', '%'],
  ['bodyMassIndex', 'bmi', 'kg/m2'],
  ['muscleMassInGrams', 'muscle_mass', 'g'],
  ['boneMassInGrams', 'bone_mass', 'g'],
  ['bodyWaterInPercent', 'body_water', '%'],
];

/** Body composition (§7.4): masses in grams; a manual entry carries only the weight. */
export function bodyCompositionSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) =>
    fieldSamples(row, BODY_COMPOSITION, {
      recordedAt: instant(measuredAt(row)),
      device: GARMIN_DEVICE,
      externalId: String(row.summaryId ?? '') || null,
    }),
  );
}

/** Blood pressure (§7.11): mmHg and the pulse at the reading. */
export function bloodPressureSamples(rows: GarminSummary[]): SampleInput[] {
  const fields: readonly Field[] = [
    ['systolic', 'blood_pressure_systolic', 'mmHg'],
    ['diastolic', 'blood_pressure_diastolic', 'mmHg'],
    ['pulse', 'heart_rate', 'bpm'],
  ];
  return rows.flatMap((row) =>
    fieldSamples(row, fields, {
      recordedAt: instant(measuredAt(row)),
      device: GARMIN_DEVICE,
      externalId: String(row.summaryId ?? '') || null,
    }),
  );
}

/** Skin temperature (§7.12): the sleep window's average deviation from the user's baseline, in °C. */
export function skinTemperatureSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) =>
    fieldSamples(row, [['avgDeviationCelsius', 'skin_temperature_deviation', 'degC']], {
      recordedAt: instant(start(row)),
      device: GARMIN_DEVICE,
    }),
  );
}

/**
 * User metrics (§7.6) belong to a calendar date, not an instant: the VO2 max is stamped at the date's start in UTC
 * (Garmin gives no zone, and the user's offset is not part of this summary).
 */
export function userMetricSamples(rows: GarminSummary[]): SampleInput[] {
  return rows.flatMap((row) =>
    fieldSamples(row, [['vo2Max', 'vo2max', 'mL/kg/min']], {
      recordedAt: new Date(`${String(row.calendarDate)}T00:00:00Z`),
      device: GARMIN_DEVICE,
    }),
  );
}
