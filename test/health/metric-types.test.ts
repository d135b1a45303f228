import { describe, expect, it } from 'vitest';
import { Invalid } from '../../src/lib/errors.js';
import { getMetricType, METRIC_CATEGORIES, METRIC_TYPES, requireMetricType } from '../../src/health/metric-types.js';
import { acceptedUnits } from '../../src/health/units.js';

// A value an ordinary adult's device reports, in the canonical unit: a range that excludes it, or a unit that
// makes it absurd (height in m, sleep in h), is a registry bug. A new metric type needs a line here.
const TYPICAL_VALUES: Record<string, number> = {
  steps: 8_000,
  distance: 6_000,
  floors_climbed: 10,
  elevation_gain: 120,
  active_energy: 450,
  basal_energy: 1_650,
  active_minutes: 60,
  exercise_minutes: 30,
  moderate_intensity_minutes: 25,
  vigorous_intensity_minutes: 10,
  sedentary_minutes: 600,
  stand_hours: 11,
  cycling_distance: 20_000,
  swimming_distance: 1_500,
  swimming_strokes: 700,
  wheelchair_pushes: 2_000,
  wheelchair_distance: 3_000,
  heart_rate: 72,
  resting_heart_rate: 58,
  walking_heart_rate_average: 95,
  heart_rate_recovery_one_minute: 25,
  hrv_rmssd: 45,
  hrv_sdnn: 50,
  atrial_fibrillation_burden: 2,
  respiratory_rate: 14,
  spo2: 97,
  forced_vital_capacity: 4.5,
  forced_expiratory_volume_1s: 3.6,
  weight: 75,
  height: 175,
  bmi: 24.5,
  body_fat: 22,
  lean_body_mass: 58,
  muscle_mass: 33,
  bone_mass: 3,
  body_water: 55,
  visceral_fat: 8,
  waist_circumference: 85,
  body_temperature: 36.8,
  basal_body_temperature: 36.4,
  skin_temperature: 33.5,
  skin_temperature_deviation: -0.3,
  blood_pressure_systolic: 120,
  blood_pressure_diastolic: 80,
  blood_glucose: 95,
  blood_alcohol_content: 0.05,
  peripheral_perfusion_index: 3,
  vo2max: 42,
  running_speed: 3.2,
  running_power: 250,
  running_cadence: 170,
  running_ground_contact_time: 250,
  running_vertical_oscillation: 8.5,
  cycling_speed: 7.5,
  cycling_power: 180,
  cycling_cadence: 85,
  walking_speed: 1.35,
  walking_step_length: 70,
  six_minute_walk_distance: 550,
  sleep_duration: 430,
  time_in_bed: 480,
  deep_sleep_duration: 80,
  rem_sleep_duration: 100,
  light_sleep_duration: 250,
  awake_duration: 40,
  awakenings: 3,
  sleep_latency: 15,
  sleep_efficiency: 90,
  sleep_score: 78,
  readiness_score: 80,
  recovery_score: 65,
  strain: 12.5,
  stress_level: 30,
  body_battery: 60,
  recovery_time: 36,
  water: 2_000,
  dietary_energy: 2_200,
  protein: 90,
  carbohydrates: 250,
  dietary_fat: 80,
  fiber: 25,
  sugar: 60,
  sodium: 3_000,
  caffeine: 200,
  mindful_minutes: 10,
};

describe('metric types', () => {
  it('registers at least 55 metric types with unique snake_case ids', () => {
    const ids = METRIC_TYPES.map((metric) => metric.id);
    expect(ids.length).toBeGreaterThanOrEqual(55);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  it('files every metric type under a known category and leaves no category empty', () => {
    const categories = new Set(METRIC_TYPES.map((metric) => metric.category));
    expect([...categories].sort()).toEqual([...METRIC_CATEGORIES].sort());
  });

  it('stores every metric type in a unit that units.ts can convert into', () => {
    for (const metric of METRIC_TYPES) expect(acceptedUnits(metric)[0], metric.id).toBe(metric.unit);
  });

  it('gives every metric type a name, a description and a finite range with min below max', () => {
    for (const metric of METRIC_TYPES) {
      expect(metric.name.trim(), metric.id).not.toBe('');
      expect(metric.description.trim(), metric.id).not.toBe('');
      expect(Number.isFinite(metric.range.min) && Number.isFinite(metric.range.max), metric.id).toBe(true);
      expect(metric.range.min, metric.id).toBeLessThan(metric.range.max);
    }
  });

  it('accepts a typical value of every metric type within its range', () => {
    expect(Object.keys(TYPICAL_VALUES).sort()).toEqual(METRIC_TYPES.map((metric) => metric.id).sort());
    for (const metric of METRIC_TYPES) {
      const typical = TYPICAL_VALUES[metric.id]!;
      expect(typical, metric.id).toBeGreaterThanOrEqual(metric.range.min);
      expect(typical, metric.id).toBeLessThanOrEqual(metric.range.max);
    }
  });

  it('sums totals, lets them start at zero, and only ranks them upwards for records', () => {
    const totals = METRIC_TYPES.filter((metric) => metric.kind === 'total');
    expect(totals.length).toBeGreaterThan(0);
    for (const metric of totals) {
      expect(metric.aggregation, metric.id).toBe('sum');
      expect(metric.range.min, metric.id).toBe(0);
      expect(metric.higherIsBetter, metric.id).not.toBe(false);
    }
    for (const metric of METRIC_TYPES.filter((m) => m.kind === 'sample')) expect(metric.aggregation, metric.id).not.toBe('sum');
  });

  it('marks only temperature deviations as differences, which may be negative', () => {
    const deltas = METRIC_TYPES.filter((metric) => metric.delta);
    expect(deltas.map((metric) => metric.id)).toEqual(['skin_temperature_deviation']);
    for (const metric of deltas) {
      expect(metric.unit).toBe('degC');
      expect(metric.range.min).toBeLessThan(0);
    }
  });

  it('looks up metric types by id and answers undefined for anything else', () => {
    expect(getMetricType('heart_rate')).toMatchObject({ unit: 'bpm', kind: 'sample', aggregation: 'avg' });
    expect(getMetricType('steps')).toMatchObject({ unit: 'count', kind: 'total', aggregation: 'sum', higherIsBetter: true });
    for (const id of ['foo', 'Heart_Rate', ' steps', '', '__proto__', 'constructor', 'toString']) {
      expect(getMetricType(id), id).toBeUndefined();
    }
  });

  it('requires a known metric type and refuses others with a 422 that says where the valid ids are', () => {
    expect(requireMetricType('resting_heart_rate').higherIsBetter).toBe(false);
    expect(() => requireMetricType('foo')).toThrow(Invalid);
    expect(() => requireMetricType('foo')).toThrow('metricType "foo" is unknown; GET /v1/metric-types lists the metric types');
    expect(() => requireMetricType('__proto__')).toThrow(Invalid);
  });
});
