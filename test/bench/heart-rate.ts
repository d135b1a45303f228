import type { SampleInput } from '../../src/health/sample-input.js';

/**
 * Deterministic, realistic heart rate: a circadian baseline (lowest around 04:00 local, highest in the
 * afternoon), slow drift (AR(1) noise), short walks and an evening workout on about half of the days. Values
 * are whole bpm in 45–180, one every `intervalSeconds`. Streamed in batches so memory stays bounded.
 */
export interface HeartRateSeries {
  /** First sample (UTC). */
  start: Date;
  count: number;
  intervalSeconds: number;
  seed: number;
  /** Whole hours added to UTC to find the local time of day (the shape only; DST does not matter here). */
  utcOffsetHours: number;
}

export const HEART_RATE = 'heart_rate';

/** mulberry32: tiny, fast, good enough for test data, and the same sequence on every machine. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DayPlan {
  workoutStart: number;
  workoutMinutes: number;
  workoutPeak: number;
  walks: number[];
}

function planDay(random: () => number): DayPlan {
  const hasWorkout = random() < 0.5;
  return {
    workoutStart: hasWorkout ? 17 + random() * 2.5 : -1,
    workoutMinutes: 30 + random() * 45,
    workoutPeak: 130 + random() * 50,
    walks: Array.from({ length: 2 + Math.floor(random() * 4) }, () => 8 + random() * 12),
  };
}

/** Extra bpm from activity at local hour `hour` (fractional). */
function activity(plan: DayPlan, hour: number): number {
  let extra = 0;
  for (const walk of plan.walks) if (hour >= walk && hour < walk + 0.25) extra = Math.max(extra, 25);
  if (plan.workoutStart >= 0) {
    const minutes = (hour - plan.workoutStart) * 60;
    if (minutes >= 0 && minutes < plan.workoutMinutes) {
      // Warm up over 8 minutes, hold near the peak, cool down over the last 5.
      const ramp = Math.min(1, minutes / 8, (plan.workoutMinutes - minutes) / 5);
      extra = Math.max(extra, ramp * (plan.workoutPeak - 70));
    }
  }
  return extra;
}

/** Batches of `batchSize` samples, in time order; the same series gives the same samples every time. */
export function* heartRateBatches(series: HeartRateSeries, batchSize: number): Generator<SampleInput[]> {
  const random = prng(series.seed);
  const startMs = series.start.getTime();
  const stepMs = series.intervalSeconds * 1000;
  let drift = 0;
  let planDayIndex = -1;
  let plan = planDay(random);
  let batch: SampleInput[] = [];
  for (let i = 0; i < series.count; i++) {
    const atMs = startMs + Math.round(i * stepMs);
    const localHours = atMs / 3600e3 + series.utcOffsetHours;
    const dayIndex = Math.floor(localHours / 24);
    if (dayIndex !== planDayIndex) {
      plan = planDay(random);
      planDayIndex = dayIndex;
    }
    const hour = localHours - dayIndex * 24;
    drift = 0.995 * drift + (random() - 0.5) * 1.2;
    const circadian = 64 - 9 * Math.cos((2 * Math.PI * (hour - 4)) / 24);
    const bpm = Math.round(circadian + drift + activity(plan, hour) + (random() - 0.5) * 4);
    batch.push({ metricType: HEART_RATE, value: Math.min(180, Math.max(45, bpm)), unit: 'bpm', recordedAt: new Date(atMs) });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The last instant covered by the series (exclusive end). */
export function seriesEnd(series: HeartRateSeries): Date {
  return new Date(series.start.getTime() + series.count * series.intervalSeconds * 1000);
}
