import { Invalid } from '../lib/errors.js';

/**
 * The metric-type registry: the single source of truth for what a health metric is, in which unit it is
 * stored, how it aggregates and which values are physically possible. Providers map their fields onto these
 * ids, ingestion converts into `unit` (src/health/units.ts) and rejects values outside `range`.
 */

export const METRIC_CATEGORIES = [
  'activity',
  'heart',
  'respiratory',
  'body',
  'vitals',
  'fitness',
  'sleep',
  'recovery',
  'nutrition',
  'mindfulness',
] as const;
export type MetricCategory = (typeof METRIC_CATEGORIES)[number];

/** 'sample': an instant measurement (heart rate, weight). 'total': an amount accumulated over an interval (steps). */
export type MetricKind = 'sample' | 'total';

export type Aggregation = 'avg' | 'min' | 'max' | 'sum' | 'count' | 'last';

export interface MetricType {
  /** snake_case, stable: it appears in URLs, webhooks and provider mappings. */
  id: string;
  name: string;
  category: MetricCategory;
  /** The canonical unit every value is stored in; units.ts converts other units into it. */
  unit: string;
  kind: MetricKind;
  /** The default for timeseries buckets and daily summaries: what a user expects to see for a day. */
  aggregation: Aggregation;
  /**
   * Physically possible values of one data point in the canonical unit; anything outside is rejected as a
   * device or mapping error. Deliberately generous (record holders and intensive-care patients are real users),
   * and for totals wide enough for a whole day's amount.
   */
  range: { min: number; max: number };
  description: string;
  /**
   * For personal records; absent where neither direction is an achievement (heart rate, blood pressure). A total's
   * record is its best daily total, so totals only ever have `true`: the lowest daily total would be a day of
   * missing data, not an achievement.
   */
  higherIsBetter?: boolean;
  /**
   * The value is a difference between two temperatures (a deviation from a baseline), not a temperature:
   * converting °F to °C scales it by 5/9 but must not subtract the 32 °F zero point.
   */
  delta?: boolean;
}

// Ranges for totals start at 0 and end above the highest daily amount on record for the activity.
export const METRIC_TYPES: readonly MetricType[] = [
  // activity
  { id: 'steps', name: 'Steps', category: 'activity', unit: 'count', kind: 'total', aggregation: 'sum', range: { min: 0, max: 300_000 }, higherIsBetter: true,
    description: 'Steps taken.' },
  { id: 'distance', name: 'Distance', category: 'activity', unit: 'm', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_000_000 }, higherIsBetter: true,
    description: 'Distance walked and run. Cycling, swimming and wheelchair distances are separate metrics.' },
  { id: 'floors_climbed', name: 'Floors climbed', category: 'activity', unit: 'count', kind: 'total', aggregation: 'sum', range: { min: 0, max: 5_000 }, higherIsBetter: true,
    description: 'Flights of stairs climbed (about 3 m of ascent each).' },
  { id: 'elevation_gain', name: 'Elevation gain', category: 'activity', unit: 'm', kind: 'total', aggregation: 'sum', range: { min: 0, max: 20_000 }, higherIsBetter: true,
    description: 'Cumulative ascent.' },
  { id: 'active_energy', name: 'Active energy', category: 'activity', unit: 'kcal', kind: 'total', aggregation: 'sum', range: { min: 0, max: 20_000 }, higherIsBetter: true,
    description: 'Energy burned by activity, above the basal rate.' },
  { id: 'basal_energy', name: 'Basal energy', category: 'activity', unit: 'kcal', kind: 'total', aggregation: 'sum', range: { min: 0, max: 10_000 },
    description: 'Energy burned at rest (basal metabolic rate) over the interval.' },
  { id: 'active_minutes', name: 'Active minutes', category: 'activity', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time spent moving above light intensity, as the provider counts it.' },
  { id: 'exercise_minutes', name: 'Exercise minutes', category: 'activity', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time at or above the intensity of a brisk walk (Apple exercise ring).' },
  { id: 'moderate_intensity_minutes', name: 'Moderate-intensity minutes', category: 'activity', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time at moderate intensity (about 3–6 METs).' },
  { id: 'vigorous_intensity_minutes', name: 'Vigorous-intensity minutes', category: 'activity', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time at vigorous intensity (above about 6 METs).' },
  { id: 'sedentary_minutes', name: 'Sedentary minutes', category: 'activity', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 },
    description: 'Time awake and sitting or lying still.' },
  { id: 'stand_hours', name: 'Stand hours', category: 'activity', unit: 'count', kind: 'total', aggregation: 'sum', range: { min: 0, max: 24 }, higherIsBetter: true,
    description: 'Hours in which the user stood and moved for at least a minute (Apple stand ring); a count, not a duration.' },
  { id: 'cycling_distance', name: 'Cycling distance', category: 'activity', unit: 'm', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_000_000 }, higherIsBetter: true,
    description: 'Distance cycled.' },
  { id: 'swimming_distance', name: 'Swimming distance', category: 'activity', unit: 'm', kind: 'total', aggregation: 'sum', range: { min: 0, max: 200_000 }, higherIsBetter: true,
    description: 'Distance swum.' },
  { id: 'swimming_strokes', name: 'Swimming strokes', category: 'activity', unit: 'count', kind: 'total', aggregation: 'sum', range: { min: 0, max: 200_000 },
    description: 'Arm strokes while swimming.' },
  { id: 'wheelchair_pushes', name: 'Wheelchair pushes', category: 'activity', unit: 'count', kind: 'total', aggregation: 'sum', range: { min: 0, max: 100_000 }, higherIsBetter: true,
    description: 'Pushes of a manual wheelchair, the wheelchair user’s counterpart of steps.' },
  { id: 'wheelchair_distance', name: 'Wheelchair distance', category: 'activity', unit: 'm', kind: 'total', aggregation: 'sum', range: { min: 0, max: 500_000 }, higherIsBetter: true,
    description: 'Distance travelled by wheelchair.' },

  // heart
  { id: 'heart_rate', name: 'Heart rate', category: 'heart', unit: 'bpm', kind: 'sample', aggregation: 'avg', range: { min: 20, max: 300 },
    description: 'Heart beats per minute at an instant.' },
  { id: 'resting_heart_rate', name: 'Resting heart rate', category: 'heart', unit: 'bpm', kind: 'sample', aggregation: 'avg', range: { min: 20, max: 200 }, higherIsBetter: false,
    description: 'Heart rate at rest, usually one value a day.' },
  { id: 'walking_heart_rate_average', name: 'Walking heart rate average', category: 'heart', unit: 'bpm', kind: 'sample', aggregation: 'avg', range: { min: 30, max: 250 }, higherIsBetter: false,
    description: 'Average heart rate while walking, usually one value a day.' },
  { id: 'heart_rate_recovery_one_minute', name: 'Heart rate recovery (1 min)', category: 'heart', unit: 'bpm', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 150 }, higherIsBetter: true,
    description: 'Drop in heart rate during the first minute after peak exercise.' },
  { id: 'hrv_rmssd', name: 'Heart rate variability (RMSSD)', category: 'heart', unit: 'ms', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 500 }, higherIsBetter: true,
    description: 'Root mean square of successive beat-to-beat differences (Oura, Whoop, Garmin).' },
  { id: 'hrv_sdnn', name: 'Heart rate variability (SDNN)', category: 'heart', unit: 'ms', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 500 }, higherIsBetter: true,
    description: 'Standard deviation of beat-to-beat intervals (Apple Health).' },
  { id: 'atrial_fibrillation_burden', name: 'AFib burden', category: 'heart', unit: '%', kind: 'sample', aggregation: 'last', range: { min: 0, max: 100 }, higherIsBetter: false,
    description: 'Share of time in atrial fibrillation; each value already estimates a whole week, so the latest is the answer.' },

  // respiratory
  { id: 'respiratory_rate', name: 'Respiratory rate', category: 'respiratory', unit: 'breaths/min', kind: 'sample', aggregation: 'avg', range: { min: 2, max: 100 },
    description: 'Breaths per minute.' },
  { id: 'spo2', name: 'Blood oxygen saturation', category: 'respiratory', unit: '%', kind: 'sample', aggregation: 'avg', range: { min: 40, max: 100 }, higherIsBetter: true,
    description: 'Peripheral oxygen saturation (SpO₂) measured by pulse oximetry.' },
  { id: 'forced_vital_capacity', name: 'Forced vital capacity', category: 'respiratory', unit: 'L', kind: 'sample', aggregation: 'last', range: { min: 0.1, max: 10 }, higherIsBetter: true,
    description: 'Volume of air exhaled forcefully after a full breath in (spirometry).' },
  { id: 'forced_expiratory_volume_1s', name: 'FEV₁', category: 'respiratory', unit: 'L', kind: 'sample', aggregation: 'last', range: { min: 0.1, max: 8 }, higherIsBetter: true,
    description: 'Volume of air exhaled in the first second of a forced breath out (spirometry).' },

  // body: weighed or measured occasionally, so a day shows the latest measurement
  { id: 'weight', name: 'Weight', category: 'body', unit: 'kg', kind: 'sample', aggregation: 'last', range: { min: 0.2, max: 700 },
    description: 'Body mass.' },
  { id: 'height', name: 'Height', category: 'body', unit: 'cm', kind: 'sample', aggregation: 'last', range: { min: 20, max: 280 },
    description: 'Standing height (length for infants).' },
  { id: 'bmi', name: 'Body mass index', category: 'body', unit: 'kg/m2', kind: 'sample', aggregation: 'last', range: { min: 5, max: 200 },
    description: 'Weight divided by height squared.' },
  { id: 'body_fat', name: 'Body fat', category: 'body', unit: '%', kind: 'sample', aggregation: 'last', range: { min: 1, max: 80 },
    description: 'Share of body mass that is fat.' },
  { id: 'lean_body_mass', name: 'Lean body mass', category: 'body', unit: 'kg', kind: 'sample', aggregation: 'last', range: { min: 0.2, max: 300 },
    description: 'Body mass minus fat mass.' },
  { id: 'muscle_mass', name: 'Muscle mass', category: 'body', unit: 'kg', kind: 'sample', aggregation: 'last', range: { min: 0.1, max: 250 },
    description: 'Skeletal muscle mass estimated by a bioimpedance scale.' },
  { id: 'bone_mass', name: 'Bone mass', category: 'body', unit: 'kg', kind: 'sample', aggregation: 'last', range: { min: 0.05, max: 15 },
    description: 'Bone mineral mass estimated by a bioimpedance scale.' },
  { id: 'body_water', name: 'Body water', category: 'body', unit: '%', kind: 'sample', aggregation: 'last', range: { min: 20, max: 90 },
    description: 'Share of body mass that is water.' },
  { id: 'visceral_fat', name: 'Visceral fat rating', category: 'body', unit: 'score', kind: 'sample', aggregation: 'last', range: { min: 0, max: 60 }, higherIsBetter: false,
    description: 'Visceral fat rating on the 1–59 scale of bioimpedance scales (Tanita, Withings, Garmin); up to 12 is healthy.' },
  { id: 'waist_circumference', name: 'Waist circumference', category: 'body', unit: 'cm', kind: 'sample', aggregation: 'last', range: { min: 20, max: 350 },
    description: 'Circumference of the waist.' },
  { id: 'body_temperature', name: 'Body temperature', category: 'body', unit: 'degC', kind: 'sample', aggregation: 'avg', range: { min: 20, max: 46 },
    description: 'Core body temperature.' },
  { id: 'basal_body_temperature', name: 'Basal body temperature', category: 'body', unit: 'degC', kind: 'sample', aggregation: 'avg', range: { min: 30, max: 42 },
    description: 'Body temperature at complete rest, taken on waking; used for cycle tracking.' },
  { id: 'skin_temperature', name: 'Skin temperature', category: 'body', unit: 'degC', kind: 'sample', aggregation: 'avg', range: { min: 10, max: 45 },
    description: 'Skin temperature measured at the wrist or finger.' },
  { id: 'skin_temperature_deviation', name: 'Skin temperature deviation', category: 'body', unit: 'degC', kind: 'sample', aggregation: 'avg', range: { min: -10, max: 10 }, delta: true,
    description: 'Nightly skin temperature minus the user’s baseline (Oura, Whoop, Fitbit); negative when cooler.' },

  // vitals
  { id: 'blood_pressure_systolic', name: 'Systolic blood pressure', category: 'vitals', unit: 'mmHg', kind: 'sample', aggregation: 'avg', range: { min: 40, max: 300 },
    description: 'Arterial pressure while the heart contracts.' },
  { id: 'blood_pressure_diastolic', name: 'Diastolic blood pressure', category: 'vitals', unit: 'mmHg', kind: 'sample', aggregation: 'avg', range: { min: 20, max: 200 },
    description: 'Arterial pressure between heart beats.' },
  // Meters read 20–600 mg/dL; hyperosmolar crises exceed 2,000 (the highest survived reading is 2,656).
  { id: 'blood_glucose', name: 'Blood glucose', category: 'vitals', unit: 'mg/dL', kind: 'sample', aggregation: 'avg', range: { min: 10, max: 3_000 },
    description: 'Glucose concentration in blood or interstitial fluid (CGM).' },
  { id: 'blood_alcohol_content', name: 'Blood alcohol content', category: 'vitals', unit: '%', kind: 'sample', aggregation: 'max', range: { min: 0, max: 1.5 },
    description: 'Alcohol as a share of blood volume (0.08 % is a common driving limit); a day shows its peak.' },
  { id: 'peripheral_perfusion_index', name: 'Perfusion index', category: 'vitals', unit: '%', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 30 },
    description: 'Pulsatile over non-pulsatile blood flow at the sensor site, as a pulse oximeter reports it.' },

  // fitness
  { id: 'vo2max', name: 'VO₂ max', category: 'fitness', unit: 'mL/kg/min', kind: 'sample', aggregation: 'last', range: { min: 5, max: 100 }, higherIsBetter: true,
    description: 'Maximal oxygen uptake per kilogram of body mass, usually a device estimate.' },
  { id: 'running_speed', name: 'Running speed', category: 'fitness', unit: 'm/s', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 13 }, higherIsBetter: true,
    description: 'Speed while running.' },
  { id: 'running_power', name: 'Running power', category: 'fitness', unit: 'W', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 2_000 }, higherIsBetter: true,
    description: 'Mechanical power while running, as estimated by the device.' },
  { id: 'running_cadence', name: 'Running cadence', category: 'fitness', unit: 'steps/min', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 300 },
    description: 'Steps per minute while running (both feet).' },
  { id: 'running_ground_contact_time', name: 'Ground contact time', category: 'fitness', unit: 'ms', kind: 'sample', aggregation: 'avg', range: { min: 50, max: 1_000 }, higherIsBetter: false,
    description: 'Time each foot stays on the ground per running step.' },
  { id: 'running_vertical_oscillation', name: 'Vertical oscillation', category: 'fitness', unit: 'cm', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 30 }, higherIsBetter: false,
    description: 'Up-and-down bounce of the torso per running step.' },
  { id: 'cycling_speed', name: 'Cycling speed', category: 'fitness', unit: 'm/s', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 40 }, higherIsBetter: true,
    description: 'Speed while cycling.' },
  { id: 'cycling_power', name: 'Cycling power', category: 'fitness', unit: 'W', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 2_500 }, higherIsBetter: true,
    description: 'Power at the pedals.' },
  { id: 'cycling_cadence', name: 'Cycling cadence', category: 'fitness', unit: 'rpm', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 250 },
    description: 'Pedal revolutions per minute.' },
  { id: 'walking_speed', name: 'Walking speed', category: 'fitness', unit: 'm/s', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 5 }, higherIsBetter: true,
    description: 'Speed while walking.' },
  { id: 'walking_step_length', name: 'Walking step length', category: 'fitness', unit: 'cm', kind: 'sample', aggregation: 'avg', range: { min: 10, max: 200 },
    description: 'Distance between successive foot strikes while walking.' },
  { id: 'six_minute_walk_distance', name: 'Six-minute walk distance', category: 'fitness', unit: 'm', kind: 'sample', aggregation: 'last', range: { min: 0, max: 1_000 }, higherIsBetter: true,
    description: 'Distance walked in six minutes, measured or estimated; a clinical test of aerobic capacity.' },

  // sleep: durations are totals so that a nap and the night add up to the day's sleep
  { id: 'sleep_duration', name: 'Sleep duration', category: 'sleep', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 },
    description: 'Time asleep, in any stage.' },
  { id: 'time_in_bed', name: 'Time in bed', category: 'sleep', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 },
    description: 'Time from going to bed to getting up, asleep or not.' },
  { id: 'deep_sleep_duration', name: 'Deep sleep', category: 'sleep', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time in deep (slow-wave, N3) sleep.' },
  { id: 'rem_sleep_duration', name: 'REM sleep', category: 'sleep', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time in rapid-eye-movement sleep.' },
  { id: 'light_sleep_duration', name: 'Light sleep', category: 'sleep', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 },
    description: 'Time in light (N1 and N2) sleep.' },
  { id: 'awake_duration', name: 'Awake in bed', category: 'sleep', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 },
    description: 'Time awake between falling asleep and getting up.' },
  { id: 'awakenings', name: 'Awakenings', category: 'sleep', unit: 'count', kind: 'total', aggregation: 'sum', range: { min: 0, max: 200 },
    description: 'Times the sleeper woke up.' },
  { id: 'sleep_latency', name: 'Sleep latency', category: 'sleep', unit: 'min', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 720 }, higherIsBetter: false,
    description: 'Time from going to bed to falling asleep.' },
  { id: 'sleep_efficiency', name: 'Sleep efficiency', category: 'sleep', unit: '%', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 100 }, higherIsBetter: true,
    description: 'Time asleep as a share of time in bed.' },
  { id: 'sleep_score', name: 'Sleep score', category: 'sleep', unit: 'score', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 100 }, higherIsBetter: true,
    description: 'The provider’s overall sleep quality score (0–100).' },

  // recovery: the providers' own scores, not comparable across providers
  { id: 'readiness_score', name: 'Readiness score', category: 'recovery', unit: 'score', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 100 }, higherIsBetter: true,
    description: 'Readiness for strain today (Oura readiness, Garmin training readiness).' },
  { id: 'recovery_score', name: 'Recovery score', category: 'recovery', unit: 'score', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 100 }, higherIsBetter: true,
    description: 'Recovery from recent strain (Whoop recovery).' },
  // Whoop's day strain grows through the day on a logarithmic 0–21 scale: the day's value is its maximum, and sums mean nothing.
  { id: 'strain', name: 'Strain', category: 'recovery', unit: 'score', kind: 'sample', aggregation: 'max', range: { min: 0, max: 21 },
    description: 'Cardiovascular load on Whoop’s 0–21 scale.' },
  { id: 'stress_level', name: 'Stress level', category: 'recovery', unit: 'score', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 100 }, higherIsBetter: false,
    description: 'Physiological stress estimated from heart rate variability (Garmin, 0–100).' },
  { id: 'body_battery', name: 'Body battery', category: 'recovery', unit: 'score', kind: 'sample', aggregation: 'avg', range: { min: 0, max: 100 }, higherIsBetter: true,
    description: 'Energy reserve estimate (Garmin Body Battery, 0–100).' },
  { id: 'recovery_time', name: 'Recovery time', category: 'recovery', unit: 'h', kind: 'sample', aggregation: 'last', range: { min: 0, max: 240 },
    description: 'Time the device recommends before the next hard effort.' },

  // nutrition: what was eaten or drunk, so everything adds up
  { id: 'water', name: 'Water', category: 'nutrition', unit: 'mL', kind: 'total', aggregation: 'sum', range: { min: 0, max: 20_000 },
    description: 'Water drunk.' },
  { id: 'dietary_energy', name: 'Energy consumed', category: 'nutrition', unit: 'kcal', kind: 'total', aggregation: 'sum', range: { min: 0, max: 30_000 },
    description: 'Food energy eaten.' },
  { id: 'protein', name: 'Protein', category: 'nutrition', unit: 'g', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_000 },
    description: 'Protein eaten.' },
  { id: 'carbohydrates', name: 'Carbohydrates', category: 'nutrition', unit: 'g', kind: 'total', aggregation: 'sum', range: { min: 0, max: 3_000 },
    description: 'Carbohydrates eaten, including sugar and fibre.' },
  { id: 'dietary_fat', name: 'Fat', category: 'nutrition', unit: 'g', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_000 },
    description: 'Fat eaten (named apart from body_fat).' },
  { id: 'fiber', name: 'Fibre', category: 'nutrition', unit: 'g', kind: 'total', aggregation: 'sum', range: { min: 0, max: 500 },
    description: 'Dietary fibre eaten.' },
  { id: 'sugar', name: 'Sugar', category: 'nutrition', unit: 'g', kind: 'total', aggregation: 'sum', range: { min: 0, max: 2_000 },
    description: 'Sugars eaten.' },
  { id: 'sodium', name: 'Sodium', category: 'nutrition', unit: 'mg', kind: 'total', aggregation: 'sum', range: { min: 0, max: 100_000 },
    description: 'Sodium eaten (salt is about 40 % sodium).' },
  { id: 'caffeine', name: 'Caffeine', category: 'nutrition', unit: 'mg', kind: 'total', aggregation: 'sum', range: { min: 0, max: 10_000 },
    description: 'Caffeine consumed.' },

  // mindfulness
  { id: 'mindful_minutes', name: 'Mindful minutes', category: 'mindfulness', unit: 'min', kind: 'total', aggregation: 'sum', range: { min: 0, max: 1_440 }, higherIsBetter: true,
    description: 'Time spent in meditation or breathing sessions.' },
];

const metricTypesById = new Map(METRIC_TYPES.map((metric) => [metric.id, metric]));

export function getMetricType(id: string): MetricType | undefined {
  return metricTypesById.get(id);
}

export function requireMetricType(id: string): MetricType {
  const metric = metricTypesById.get(id);
  if (!metric) throw new Invalid(`metricType ${JSON.stringify(id)} is unknown; GET /v1/metric-types lists the metric types`);
  return metric;
}
