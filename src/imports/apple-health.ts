import type { SaxesTagPlain } from 'saxes';
import type { EventInput } from '../events/event-input.js';
import type { SampleInput } from '../health/sample-input.js';
import type { ImportRecord } from './import-record.js';
import { streamXml } from './xml-stream.js';

/**
 * Apple Health export (export.xml, the `apple_health_export/export.xml` entry of export.zip), read as a stream.
 *
 * - `Record` elements of the quantity types below become samples of our metric types; Apple's `unit` attribute is
 *   converted by the ingestion service (src/health/units.ts), after the few spellings it does not know are renamed
 *   here (`mmol<180.1558800000541>/L` → mmol/L, `mL/min·kg` → mL/kg/min, `%`, which Apple writes as a fraction
 *   0–1, → fraction). Totals (steps, energy, distance…) keep their interval (startDate–endDate); instant
 *   measurements are stamped at startDate.
 * - `HKCategoryTypeIdentifierSleepAnalysis` records of one source that follow each other with less than
 *   SLEEP_GAP_MS between them make one sleep event; AsleepCore → light, AsleepDeep → deep, AsleepREM → rem,
 *   Awake → awake, Asleep/AsleepUnspecified → light (Apple's pre-2022 single stage); InBed only widens the session.
 * - `HKCategoryTypeIdentifierMindfulSession` → mindful_minutes (its duration).
 * - `Workout` elements become workout events (distance, energy and heart rate from the attributes or the
 *   WorkoutStatistics children).
 * - Any other type is counted as skipped, by type.
 * The record's sourceName is the sample's device, so what the same app or watch pushed through HealthKit before
 * (source "healthkit", device = its name) is recognised as the same sample.
 */

const Q = 'HKQuantityTypeIdentifier';

/** Apple quantity type (without the HKQuantityTypeIdentifier prefix) → our metric type. */
export const APPLE_QUANTITY_TYPES: Record<string, string> = {
  HeartRate: 'heart_rate',
  RestingHeartRate: 'resting_heart_rate',
  WalkingHeartRateAverage: 'walking_heart_rate_average',
  HeartRateVariabilitySDNN: 'hrv_sdnn',
  HeartRateRecoveryOneMinute: 'heart_rate_recovery_one_minute',
  AtrialFibrillationBurden: 'atrial_fibrillation_burden',
  StepCount: 'steps',
  DistanceWalkingRunning: 'distance',
  DistanceCycling: 'cycling_distance',
  DistanceSwimming: 'swimming_distance',
  DistanceWheelchair: 'wheelchair_distance',
  PushCount: 'wheelchair_pushes',
  SwimmingStrokeCount: 'swimming_strokes',
  FlightsClimbed: 'floors_climbed',
  ActiveEnergyBurned: 'active_energy',
  BasalEnergyBurned: 'basal_energy',
  AppleExerciseTime: 'exercise_minutes',
  BodyMass: 'weight',
  Height: 'height',
  BodyMassIndex: 'bmi',
  BodyFatPercentage: 'body_fat',
  LeanBodyMass: 'lean_body_mass',
  WaistCircumference: 'waist_circumference',
  OxygenSaturation: 'spo2',
  RespiratoryRate: 'respiratory_rate',
  ForcedVitalCapacity: 'forced_vital_capacity',
  ForcedExpiratoryVolume1: 'forced_expiratory_volume_1s',
  BloodPressureSystolic: 'blood_pressure_systolic',
  BloodPressureDiastolic: 'blood_pressure_diastolic',
  BloodGlucose: 'blood_glucose',
  BloodAlcoholContent: 'blood_alcohol_content',
  PeripheralPerfusionIndex: 'peripheral_perfusion_index',
  BodyTemperature: 'body_temperature',
  BasalBodyTemperature: 'basal_body_temperature',
  AppleSleepingWristTemperature: 'skin_temperature',
  VO2Max: 'vo2max',
  RunningSpeed: 'running_speed',
  RunningPower: 'running_power',
  RunningGroundContactTime: 'running_ground_contact_time',
  RunningVerticalOscillation: 'running_vertical_oscillation',
  CyclingSpeed: 'cycling_speed',
  CyclingPower: 'cycling_power',
  CyclingCadence: 'cycling_cadence',
  WalkingSpeed: 'walking_speed',
  WalkingStepLength: 'walking_step_length',
  SixMinuteWalkTestDistance: 'six_minute_walk_distance',
  DietaryWater: 'water',
  DietaryEnergyConsumed: 'dietary_energy',
  DietaryProtein: 'protein',
  DietaryCarbohydrates: 'carbohydrates',
  DietaryFatTotal: 'dietary_fat',
  DietaryFiber: 'fiber',
  DietarySugar: 'sugar',
  DietarySodium: 'sodium',
  DietaryCaffeine: 'caffeine',
};

const SLEEP_TYPE = 'HKCategoryTypeIdentifierSleepAnalysis';
const MINDFUL_TYPE = 'HKCategoryTypeIdentifierMindfulSession';
/** Sleep records of one source this close to each other belong to one night. */
export const SLEEP_GAP_MS = 2 * 3600 * 1000;

export const APPLE_SLEEP_STAGES: Record<string, 'light' | 'deep' | 'rem' | 'awake' | null> = {
  HKCategoryValueSleepAnalysisInBed: null,
  HKCategoryValueSleepAnalysisAsleep: 'light',
  HKCategoryValueSleepAnalysisAsleepUnspecified: 'light',
  HKCategoryValueSleepAnalysisAsleepCore: 'light',
  HKCategoryValueSleepAnalysisAsleepDeep: 'deep',
  HKCategoryValueSleepAnalysisAsleepREM: 'rem',
  HKCategoryValueSleepAnalysisAwake: 'awake',
};

/** Apple's unit spellings our converter does not know, and `%` which Apple writes as a fraction. */
export function appleUnit(unit: string | undefined): string | undefined {
  if (unit === undefined) return undefined;
  if (unit === '%') return 'fraction';
  if (/^mmol<[\d.]+>\/L$/.test(unit)) return 'mmol/L';
  if (unit === 'mL/min·kg' || unit === 'ml/(kg·min)') return 'mL/kg/min';
  if (unit === 'km/hr') return 'km/h';
  if (unit === 'count') return undefined;
  return unit;
}

/** "2024-01-05 08:12:33 +0100" → an instant; null when it is not one. */
export function appleDate(text: string | undefined): Date | null {
  const match = text ? /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/.exec(text) : null;
  if (!match) return null;
  const at = new Date(`${match[1]}T${match[2]}${match[3]}:${match[4]}`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** HKWorkoutActivityTypeTraditionalStrengthTraining → traditional_strength_training. */
function sport(activityType: string | undefined): string {
  const name = (activityType ?? 'HKWorkoutActivityTypeOther').replace(/^HKWorkoutActivityType/, '');
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

interface SleepSession {
  source: string;
  startAt: number;
  endAt: number;
  stages: { stage: string; startAt: number; endAt: number }[];
}

function sleepEvent(session: SleepSession): EventInput {
  const hours = (session.endAt - session.startAt) / 3_600_000;
  return {
    type: 'sleep',
    subtype: hours < 3 ? 'nap' : 'main',
    startAt: new Date(session.startAt),
    endAt: new Date(session.endAt),
    details: {
      stages: session.stages.map((s) => ({
        stage: s.stage,
        startAt: new Date(s.startAt).toISOString(),
        endAt: new Date(s.endAt).toISOString(),
      })),
    },
    device: session.source,
  };
}

interface OpenWorkout {
  attributes: Record<string, string>;
  statistics: Record<string, Record<string, string>>;
}

const number = (text: string | undefined): number | null => {
  if (text === undefined || text.trim() === '') return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
};

/** Converts an Apple distance / energy into metres / kilocalories; null for units it does not know. */
function metres(value: number | null, unit: string | undefined): number | null {
  if (value === null) return null;
  const factor = { m: 1, km: 1000, mi: 1609.344, yd: 0.9144, ft: 0.3048, cm: 0.01 }[unit ?? 'km'];
  return factor === undefined ? null : value * factor;
}
function kilocalories(value: number | null, unit: string | undefined): number | null {
  if (value === null) return null;
  const factor = { kcal: 1, Cal: 1, cal: 1, kJ: 1 / 4.184 }[unit ?? 'kcal'];
  return factor === undefined ? null : value * factor;
}

function workoutEvent(workout: OpenWorkout): ImportRecord {
  const a = workout.attributes;
  const startAt = appleDate(a.startDate);
  const endAt = appleDate(a.endDate);
  if (!startAt || !endAt) return { rejected: { type: 'Workout', reason: 'startDate or endDate is not a date' } };
  const distanceStat = Object.entries(workout.statistics).find(([type]) => /Distance/.test(type))?.[1];
  const energyStat = workout.statistics[`${Q}ActiveEnergyBurned`];
  const heartRate = workout.statistics[`${Q}HeartRate`];
  const distance = metres(number(a.totalDistance), a.totalDistanceUnit) ?? metres(number(distanceStat?.sum), distanceStat?.unit);
  const energy =
    kilocalories(number(a.totalEnergyBurned), a.totalEnergyBurnedUnit) ?? kilocalories(number(energyStat?.sum), energyStat?.unit);
  return {
    events: [
      {
        type: 'workout',
        subtype: sport(a.workoutActivityType),
        startAt,
        endAt,
        distance,
        energy,
        avgHeartRate: number(heartRate?.average),
        maxHeartRate: number(heartRate?.maximum),
        details: {},
        device: a.sourceName ?? '',
      },
    ],
  };
}

function recordOf(attributes: Record<string, string>, sleep: Map<string, SleepSession>): ImportRecord {
  const type = attributes.type ?? '';
  const startAt = appleDate(attributes.startDate);
  const endAt = appleDate(attributes.endDate);
  const device = attributes.sourceName ?? '';
  if (type === SLEEP_TYPE) {
    if (!startAt || !endAt || endAt <= startAt)
      return { rejected: { type, reason: 'startDate or endDate is not a date, or endDate is not after it' } };
    const stage = APPLE_SLEEP_STAGES[attributes.value ?? ''];
    if (stage === undefined) return { rejected: { type, reason: `sleep value "${attributes.value}" is not one Apple defines` } };
    const open = sleep.get(device);
    const events: EventInput[] = [];
    let session = open;
    if (!session || startAt.getTime() > session.endAt + SLEEP_GAP_MS || startAt.getTime() < session.startAt) {
      if (open) events.push(sleepEvent(open));
      session = { source: device, startAt: startAt.getTime(), endAt: endAt.getTime(), stages: [] };
      sleep.set(device, session);
    }
    session.startAt = Math.min(session.startAt, startAt.getTime());
    session.endAt = Math.max(session.endAt, endAt.getTime());
    if (stage) session.stages.push({ stage, startAt: startAt.getTime(), endAt: endAt.getTime() });
    return { events };
  }
  if (type === MINDFUL_TYPE) {
    if (!startAt || !endAt) return { rejected: { type, reason: 'startDate or endDate is not a date' } };
    return {
      samples: [
        {
          metricType: 'mindful_minutes',
          value: (endAt.getTime() - startAt.getTime()) / 60_000,
          unit: 'min',
          recordedAt: startAt,
          endAt,
          device,
        },
      ],
    };
  }
  const metricType = type.startsWith(Q) ? APPLE_QUANTITY_TYPES[type.slice(Q.length)] : undefined;
  if (!metricType) return { skipped: type || '(no type)' };
  const value = number(attributes.value);
  if (value === null) return { rejected: { type, reason: 'value is not a number' } };
  if (!startAt) return { rejected: { type, reason: 'startDate is not a date' } };
  const sample: SampleInput = {
    metricType,
    value,
    unit: appleUnit(attributes.unit) ?? null,
    recordedAt: startAt,
    endAt: endAt && endAt > startAt ? endAt : null,
    device,
  };
  return { samples: [sample] };
}

/** The records of an Apple Health export.xml, one ImportRecord per Record / Workout element, in file order. */
export function readAppleHealth(body: AsyncIterable<Uint8Array>): AsyncGenerator<ImportRecord> {
  return streamAppleHealth(body);
}

async function* streamAppleHealth(body: AsyncIterable<Uint8Array>): AsyncGenerator<ImportRecord> {
  const sleep = new Map<string, SleepSession>();
  let root: string | null = null;
  let workout = null as OpenWorkout | null;
  // HealthKit's own source: what an app pushed from HealthKit (source "healthkit", device = the record's sourceName).
  yield { origin: { source: 'healthkit', device: '' }, flush: true };
  yield* streamXml<ImportRecord>(
    body,
    (out) => ({
      open(tag: SaxesTagPlain) {
        const attributes = tag.attributes as Record<string, string>;
        if (root === null) {
          root = tag.name;
          if (root !== 'HealthData') throw new Error(`the root element is <${root}>, not Apple Health's <HealthData>`);
          return;
        }
        if (tag.name === 'Record' && workout === null) out.push(recordOf(attributes, sleep));
        else if (tag.name === 'Workout') workout = { attributes, statistics: {} };
        else if (tag.name === 'WorkoutStatistics' && workout && attributes.type) workout.statistics[attributes.type] = attributes;
      },
      close(tag: SaxesTagPlain) {
        if (tag.name === 'Workout' && workout) {
          out.push(workoutEvent(workout));
          workout = null;
        }
      },
    }),
    'the Apple Health export',
  );
  const sessions = [...sleep.values()];
  if (sessions.length) yield { events: sessions.map(sleepEvent), flush: true };
}
