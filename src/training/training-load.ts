import { addDays } from '../lib/time.js';
import { distinctWorkouts } from './compliance.js';
import type { TrainingWorkout } from './workouts.js';

/**
 * Training load, per workout and per local day, and the fitness–fatigue balance built from it.
 *
 * - Per workout, Banister's training impulse (TRIMP; Banister 1991, "Modeling elite athletic performance", in
 *   Physiological Testing of the High-Performance Athlete, pp. 403–424; Morton, Fitz-Clarke & Banister 1990,
 *   J Appl Physiol 69(3):1171–1177): minutes × HRr × 0.64 × e^(1.92 × HRr), with HRr the heart-rate reserve
 *   fraction (avg HR − resting HR) / (max HR − resting HR), within 0–1. The constants are Banister's for men: the
 *   API does not know the user's sex (the women's, 0.86 and 1.67, give about 10% less at moderate effort).
 * - Without an average heart rate, HRr is estimated: the source's perceived exertion on Borg's CR-10 scale
 *   (`details.rpe`, 0–10) / 10, else 0.5 (moderate). The workout says which (`method`).
 * - Resting HR: the median of the user's resting heart rate over the 90 days before the window's end, else 60 bpm.
 *   Max HR: the highest workout maximum in the 365 days before it, else 190 bpm (Tanaka, Monahan & Seals 2001,
 *   208 − 0.7 × age, at about 25).
 * - A day's load is the sum of its workouts' TRIMP (by the local day of the start; the same workout recorded by
 *   two sources counts once). CTL (chronic, "fitness") and ATL (acute, "fatigue") are exponentially weighted
 *   averages of daily load with time constants 42 and 7 days: X_t = X_{t−1} + (load_t − X_{t−1}) × (1 − e^(−1/τ)),
 *   Banister's exponential decay per day, seeded at 0 WARM_UP_DAYS before the window (the seed then weighs under
 *   e^−3, 5%, in CTL). TSB ("form") = CTL − ATL; ramp rate = CTL − CTL seven days before; ACWR = ATL / CTL (the
 *   exponentially weighted acute:chronic ratio, Williams et al. 2017, Br J Sports Med 51(3):209–210), null while
 *   CTL is 0.
 */
export const CTL_DAYS = 42;
export const ATL_DAYS = 7;
export const WARM_UP_DAYS = 3 * CTL_DAYS;
export const DEFAULT_REST_HR = 60;
export const DEFAULT_MAX_HR = 190;
export const DEFAULT_HRR = 0.5;
export const TRIMP_K = 0.64;
export const TRIMP_B = 1.92;

export type LoadMethod = 'heart_rate' | 'rpe' | 'estimated';

export interface WorkoutLoad {
  id: string;
  date: string;
  subtype: string | null;
  source: string;
  durationMinutes: number;
  avgHeartRate: number | null;
  /** Heart-rate reserve fraction used, 0–1. */
  hrr: number;
  method: LoadMethod;
  trimp: number;
}

export interface HeartRateAnchor {
  bpm: number;
  basis: 'measured' | 'default';
  /** Days (resting: daily values) or workouts (max) it was taken from. */
  n: number;
}

export interface LoadDay {
  date: string;
  load: number;
  workouts: number;
  ctl: number;
  atl: number;
  tsb: number;
  rampRate: number | null;
  acwr: number | null;
}

export interface TrainingLoad {
  asOf: string;
  from: string;
  to: string;
  restingHeartRate: HeartRateAnchor;
  maxHeartRate: HeartRateAnchor;
  days: LoadDay[];
  workouts: WorkoutLoad[];
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export function trimp(minutes: number, hrr: number): number {
  return minutes * hrr * TRIMP_K * Math.exp(TRIMP_B * hrr);
}

export function workoutLoad(workout: TrainingWorkout, rest: number, max: number): WorkoutLoad {
  const minutes = workout.durationSeconds / 60;
  let hrr: number;
  let method: LoadMethod;
  if (workout.avgHeartRate !== null && max > rest) {
    hrr = Math.min(1, Math.max(0, (workout.avgHeartRate - rest) / (max - rest)));
    method = 'heart_rate';
  } else if (workout.rpe !== null) {
    hrr = Math.min(1, Math.max(0, workout.rpe / 10));
    method = 'rpe';
  } else {
    hrr = DEFAULT_HRR;
    method = 'estimated';
  }
  return {
    id: workout.id,
    date: workout.date,
    subtype: workout.subtype,
    source: workout.source,
    durationMinutes: round(minutes, 1),
    avgHeartRate: workout.avgHeartRate,
    hrr: round(hrr, 4),
    method,
    trimp: trimp(minutes, hrr),
  };
}

/**
 * The exponentially weighted average of a daily series with time constant τ days, seeded at 0:
 * X_t = X_{t−1} + (x_t − X_{t−1}) × (1 − e^(−1/τ)) (see above). Checked against scipy.signal.lfilter in
 * test/fixtures/analytics/reference.json.
 */
export function ewma(values: readonly number[], tau: number): number[] {
  const alpha = 1 - Math.exp(-1 / tau);
  let average = 0;
  return values.map((value) => (average += (value - average) * alpha));
}

/** The daily series from the warm-up's first day to asOf, reported over the last `days` of it. */
export function trainingLoad(
  workouts: readonly TrainingWorkout[],
  anchors: { rest: HeartRateAnchor; max: HeartRateAnchor },
  asOf: string,
  days: number,
): TrainingLoad {
  const from = addDays(asOf, 1 - days);
  const start = addDays(from, -WARM_UP_DAYS);
  const loads = (distinctWorkouts(workouts) as TrainingWorkout[])
    .filter((w) => w.date >= start && w.date <= asOf)
    .map((w) => workoutLoad(w, anchors.rest.bpm, anchors.max.bpm));
  const byDay = new Map<string, WorkoutLoad[]>();
  for (const load of loads) byDay.set(load.date, [...(byDay.get(load.date) ?? []), load]);
  const dates: string[] = [];
  for (let date = start; date <= asOf; date = addDays(date, 1)) dates.push(date);
  const loadOfDay = dates.map((date) => (byDay.get(date) ?? []).reduce((sum, w) => sum + w.trimp, 0));
  const ctlByDay = ewma(loadOfDay, CTL_DAYS);
  const atlByDay = ewma(loadOfDay, ATL_DAYS);
  const reported: LoadDay[] = [];
  for (const [i, date] of dates.entries()) {
    if (date < from) continue;
    const today = byDay.get(date) ?? [];
    const load = loadOfDay[i]!;
    const ctl = ctlByDay[i]!;
    const atl = atlByDay[i]!;
    const weekAgo = i >= 7 ? ctlByDay[i - 7]! : null;
    reported.push({
      date,
      load: round(load),
      workouts: today.length,
      ctl: round(ctl),
      atl: round(atl),
      tsb: round(ctl - atl),
      rampRate: weekAgo === null ? null : round(ctl - weekAgo),
      acwr: ctl > 0 ? round(atl / ctl, 3) : null,
    });
  }
  return {
    asOf,
    from,
    to: asOf,
    restingHeartRate: anchors.rest,
    maxHeartRate: anchors.max,
    days: reported,
    workouts: loads.filter((w) => w.date >= from).map((w) => ({ ...w, trimp: round(w.trimp) })),
  };
}
