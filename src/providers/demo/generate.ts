import { createHash } from 'node:crypto';
import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';

/**
 * Deterministic synthetic data: the same (seed, day) always gives the same values, so a resumed or repeated sync
 * produces exactly what a clean run does. Times are UTC; the demo user lives on UTC days.
 */
const DAY_MS = 86_400_000;

function randomFor(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  // mulberry32: small, fast, good enough for synthetic physiology.
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round = (value: number, digits = 0) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Heart rate every 5 minutes: low at night, higher by day, with noise. */
export function heartRateDay(seed: string, dayStart: number): SampleInput[] {
  const random = randomFor(`${seed}:hr:${dayStart}`);
  return Array.from({ length: 288 }, (_, i) => {
    const hour = i / 12;
    const circadian = 62 + 12 * Math.sin(((hour - 9) / 24) * 2 * Math.PI);
    const asleep = hour < 7 || hour >= 23;
    return {
      metricType: 'heart_rate',
      value: round((asleep ? circadian - 8 : circadian) + random() * 10),
      unit: 'bpm',
      recordedAt: new Date(dayStart + i * 300_000),
      device: 'Demo Band',
    };
  });
}

/** Steps and active energy per 15 minutes while awake, a daily resting heart rate and a weight trend. */
export function activityDay(seed: string, dayStart: number): SampleInput[] {
  const random = randomFor(`${seed}:activity:${dayStart}`);
  const samples: SampleInput[] = [];
  for (let q = 7 * 4; q < 23 * 4; q++) {
    const at = dayStart + q * 900_000;
    const steps = Math.floor(random() * 900);
    samples.push({ metricType: 'steps', value: steps, recordedAt: new Date(at), endAt: new Date(at + 900_000), device: 'Demo Band' });
    samples.push({
      metricType: 'active_energy',
      value: round(steps * 0.04, 1),
      unit: 'kcal',
      recordedAt: new Date(at),
      endAt: new Date(at + 900_000),
      device: 'Demo Band',
    });
  }
  samples.push({
    metricType: 'resting_heart_rate',
    value: round(52 + random() * 6),
    unit: 'bpm',
    recordedAt: new Date(dayStart + 7 * 3_600_000),
  });
  const days = dayStart / DAY_MS;
  samples.push({
    metricType: 'weight',
    value: round(75 + Math.sin(days / 30) * 1.5 + random() * 0.4, 1),
    unit: 'kg',
    recordedAt: new Date(dayStart + 7.5 * 3_600_000),
    device: 'Demo Scale',
  });
  return samples;
}

const STAGES = ['light', 'deep', 'light', 'rem', 'awake'] as const;

/** The night that ends on this day: 23:00 the evening before to about 07:00, in cycles of stages. */
export function sleepNight(seed: string, dayStart: number): EventInput {
  const random = randomFor(`${seed}:sleep:${dayStart}`);
  const start = dayStart - 3_600_000 + Math.floor(random() * 4) * 900_000;
  const stages: { stage: string; startAt: string; endAt: string }[] = [];
  let at = start;
  for (let cycle = 0; cycle < 5; cycle++) {
    for (const stage of STAGES) {
      const minutes = stage === 'awake' ? 3 : 12 + Math.floor(random() * 12);
      stages.push({ stage, startAt: new Date(at).toISOString(), endAt: new Date(at + minutes * 60_000).toISOString() });
      at += minutes * 60_000;
    }
  }
  return {
    type: 'sleep',
    subtype: 'main',
    startAt: new Date(start),
    endAt: new Date(at),
    details: { stages, efficiency: round(85 + random() * 10), latencySeconds: Math.floor(random() * 1200), awakenings: 5 },
    externalId: `sleep-${dayStart}`,
    device: 'Demo Band',
  };
}

/** A run every other day at 18:00. */
export function workoutDay(seed: string, dayStart: number): EventInput[] {
  if ((dayStart / DAY_MS) % 2 !== 0) return [];
  const random = randomFor(`${seed}:workout:${dayStart}`);
  const minutes = 30 + Math.floor(random() * 30);
  const start = dayStart + 18 * 3_600_000;
  return [
    {
      type: 'workout',
      subtype: 'running',
      startAt: new Date(start),
      endAt: new Date(start + minutes * 60_000),
      distance: round(minutes * (160 + random() * 40)),
      energy: round(minutes * 11),
      avgHeartRate: round(140 + random() * 15),
      maxHeartRate: round(170 + random() * 15),
      externalId: `run-${dayStart}`,
      device: 'Demo Band',
    },
  ];
}
