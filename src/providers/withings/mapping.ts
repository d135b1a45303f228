import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { ProviderError } from '../provider-error.js';

/**
 * Withings Public API answers (https://developer.withings.com/api-reference: Measure - Getmeas, Measure v2 -
 * Getactivity, Sleep v2 - Getsummary) mapped to our types. Every row is checked before it is read: a malformed
 * answer is an 'invalid_response', never a TypeError halfway through a page.
 */
export interface WithingsMeasure {
  /** The real value is value × 10^unit (e.g. 72500 with unit -3 is 72.5 kg). */
  value: number;
  type: number;
  unit: number;
}

export interface WithingsMeasureGroup {
  grpid: number;
  /** 1: captured by a device but possibly another user's (ambiguous). */
  attrib: number;
  /** Epoch seconds. */
  date: number;
  category: number;
  model?: string | null;
  measures: WithingsMeasure[];
}

export interface WithingsActivity {
  /** YYYY-MM-DD in `timezone`. */
  date: string;
  timezone?: string;
  model?: string | null;
  steps?: number;
  /** Metres. */
  distance?: number;
  /** Floors climbed, despite the name. */
  elevation?: number;
  /** Seconds. */
  moderate?: number;
  intense?: number;
  /** Active kcal. */
  calories?: number;
  /** Active plus passive kcal. */
  totalcalories?: number;
}

export interface WithingsSleepSummary {
  id: number;
  /** Epoch seconds. */
  startdate: number;
  enddate: number;
  /** 16: activity tracker, 32: sleep monitor. */
  model?: number;
  data: {
    deepsleepduration?: number;
    lightsleepduration?: number;
    remsleepduration?: number;
    wakeupduration?: number;
    total_sleep_time?: number;
    /** Time asleep over time in bed, as a ratio (0–1). */
    sleep_efficiency?: number;
    sleep_latency?: number;
    wakeupcount?: number;
    hr_average?: number;
    hr_max?: number;
    rr_average?: number;
    sleep_score?: number;
  };
}

const isNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function malformed(what: string): never {
  throw new ProviderError(`Withings answered ${what}`, 'invalid_response');
}

/** The rows of a page, each checked to carry what the mapping reads. */
export function checkedRows<T>(body: Record<string, unknown>, key: string, isRow: (row: unknown) => boolean): T[] {
  const rows = body[key];
  if (!Array.isArray(rows)) malformed(`without a ${key} array`);
  const bad = rows.findIndex((row) => !isRow(row));
  if (bad >= 0) malformed(`a malformed ${key} row at index ${bad}`);
  return rows as T[];
}

export const isMeasureGroup = (row: unknown): boolean =>
  isObject(row) &&
  isNumber(row.grpid) &&
  isNumber(row.date) &&
  Array.isArray(row.measures) &&
  row.measures.every((m: unknown) => isObject(m) && isNumber(m.value) && isNumber(m.type) && isNumber(m.unit));

export const isActivity = (row: unknown): boolean => isObject(row) && typeof row.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(row.date);

export const isSleepSummary = (row: unknown): boolean =>
  isObject(row) &&
  isNumber(row.id) &&
  isNumber(row.startdate) &&
  isNumber(row.enddate) &&
  row.enddate > row.startdate &&
  isObject(row.data);

/** Measure types (Measure - Getmeas, `meastype`) we store, with their documented units. */
const MEASURE_TYPES: Record<number, { metricType: string; unit: string }> = {
  1: { metricType: 'weight', unit: 'kg' },
  4: { metricType: 'height', unit: 'm' },
  5: { metricType: 'lean_body_mass', unit: 'kg' },
  6: { metricType: 'body_fat', unit: '%' },
  9: { metricType: 'blood_pressure_diastolic', unit: 'mmHg' },
  10: { metricType: 'blood_pressure_systolic', unit: 'mmHg' },
  11: { metricType: 'heart_rate', unit: 'bpm' },
  12: { metricType: 'body_temperature', unit: 'degC' },
  54: { metricType: 'spo2', unit: '%' },
  71: { metricType: 'body_temperature', unit: 'degC' },
  73: { metricType: 'skin_temperature', unit: 'degC' },
  76: { metricType: 'muscle_mass', unit: 'kg' },
  88: { metricType: 'bone_mass', unit: 'kg' },
  123: { metricType: 'vo2max', unit: 'mL/kg/min' },
  170: { metricType: 'visceral_fat', unit: 'score' },
};
/** Hydration (type 77) is a mass; we store body water as a share of the weight measured with it. */
const HYDRATION = 77;
const WEIGHT = 1;

/** The requested `meastypes`: everything we map (fat mass 8 and pulse wave velocity 91 have no metric). */
export const MEASURE_TYPE_IDS = [...Object.keys(MEASURE_TYPES).map(Number), HYDRATION].sort((a, b) => a - b);

const realValue = (measure: WithingsMeasure) => measure.value * 10 ** measure.unit;

export function measureSamples(groups: WithingsMeasureGroup[]): SampleInput[] {
  // Ambiguous groups (attrib 1) may be another household member on the same scale.
  return groups
    .filter((group) => group.attrib !== 1)
    .flatMap((group) => {
      const base = { recordedAt: new Date(group.date * 1000), device: group.model ? `Withings ${group.model}` : 'Withings' };
      const samples: SampleInput[] = group.measures.flatMap((measure) => {
        const known = MEASURE_TYPES[measure.type];
        return known ? [{ ...base, ...known, value: realValue(measure), externalId: `${group.grpid}:${measure.type}` }] : [];
      });
      const hydration = group.measures.find((m) => m.type === HYDRATION);
      const weight = group.measures.find((m) => m.type === WEIGHT);
      if (hydration && weight && realValue(weight) > 0) {
        samples.push({
          ...base,
          metricType: 'body_water',
          value: realValue(hydration) / realValue(weight),
          unit: 'fraction',
          externalId: `${group.grpid}:${HYDRATION}`,
        });
      }
      return samples;
    });
}

/** Midnight of a local date in an IANA zone, as an instant (UTC when the zone is missing or unknown). */
export function startOfLocalDay(ymd: string, timeZone: string | undefined): Date {
  const guess = Date.parse(`${ymd}T00:00:00Z`);
  if (!timeZone) return new Date(guess);
  try {
    const offsetAt = (instant: number) => {
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', {
          timeZone,
          hourCycle: 'h23',
          year: 'numeric',
          month: '2-digit',
          day: '2-digit',
          hour: '2-digit',
          minute: '2-digit',
          second: '2-digit',
        })
          .formatToParts(new Date(instant))
          .map((part) => [part.type, part.value]),
      );
      return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!) - instant;
    };
    const first = guess - offsetAt(guess);
    return new Date(guess - offsetAt(first));
  } catch {
    return new Date(guess);
  }
}

/** A day's totals, stamped over the user's local day. */
export function activitySamples(rows: WithingsActivity[]): SampleInput[] {
  return rows.flatMap((row) => {
    const start = startOfLocalDay(row.date, row.timezone);
    const base = {
      recordedAt: start,
      endAt: new Date(start.getTime() + 86_400_000 - 1),
      device: row.model ? `Withings ${row.model}` : 'Withings',
      externalId: `activity:${row.date}`,
    };
    const basal = isNumber(row.totalcalories) && isNumber(row.calories) ? row.totalcalories - row.calories : undefined;
    const fields: [string, number | undefined, string][] = [
      ['steps', row.steps, 'count'],
      ['distance', row.distance, 'm'],
      ['floors_climbed', row.elevation, 'count'],
      ['active_energy', row.calories, 'kcal'],
      ['basal_energy', basal, 'kcal'],
      ['moderate_intensity_minutes', row.moderate, 's'],
      ['vigorous_intensity_minutes', row.intense, 's'],
    ];
    return fields.filter(([, value]) => isNumber(value)).map(([metricType, value, unit]) => ({ ...base, metricType, value: value!, unit }));
  });
}

const orNull = (value: unknown): number | null => (isNumber(value) ? value : null);
const seconds = (value: unknown): number => (isNumber(value) ? value : 0);

export function sleepEvents(rows: WithingsSleepSummary[]): { events: EventInput[]; samples: SampleInput[] } {
  const deviceOf = (row: WithingsSleepSummary) => (row.model === 32 ? 'Withings sleep monitor' : 'Withings tracker');
  const events = rows.map((row): EventInput => {
    const d = row.data;
    // Documented as a ratio; a value above 1 can only already be a percentage.
    const efficiency = isNumber(d.sleep_efficiency) ? (d.sleep_efficiency <= 1 ? d.sleep_efficiency * 100 : d.sleep_efficiency) : null;
    return {
      type: 'sleep',
      startAt: new Date(row.startdate * 1000),
      endAt: new Date(row.enddate * 1000),
      avgHeartRate: orNull(d.hr_average),
      maxHeartRate: orNull(d.hr_max),
      details: {
        stageSeconds: {
          deep: seconds(d.deepsleepduration),
          light: seconds(d.lightsleepduration),
          rem: seconds(d.remsleepduration),
          awake: seconds(d.wakeupduration),
        },
        totalSleepSeconds: orNull(d.total_sleep_time),
        efficiency,
        latencySeconds: orNull(d.sleep_latency),
        awakenings: orNull(d.wakeupcount),
        sleepScore: orNull(d.sleep_score),
      },
      device: deviceOf(row),
      externalId: `sleep:${row.id}`,
    };
  });
  const samples = rows.flatMap((row) => {
    const base = { recordedAt: new Date(row.enddate * 1000), device: deviceOf(row) };
    return [
      ...(isNumber(row.data.rr_average)
        ? [{ ...base, metricType: 'respiratory_rate', value: row.data.rr_average, unit: 'breaths/min', externalId: `sleep:${row.id}:rr` }]
        : []),
      ...(isNumber(row.data.sleep_score)
        ? [{ ...base, metricType: 'sleep_score', value: row.data.sleep_score, unit: 'score', externalId: `sleep:${row.id}:score` }]
        : []),
    ];
  });
  return { events, samples };
}
