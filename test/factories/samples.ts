import { expect } from 'vitest';
import { ingestSamples, type IngestResult } from '../../src/health/ingest.js';
import { overRest, type Target } from './target.js';
import { after, A_DAY, milliseconds, type Duration } from './time.js';

/** A sample as a client pushes it to `POST /v1/users/:userId/health` (timestamps as ISO strings). */
export interface SampleBody {
  metricType: string;
  value: number;
  recordedAt: string;
  unit?: string;
  endAt?: string;
  device?: string;
  externalId?: string;
}

/** One sample: a heart rate of 60 bpm at 08:00 UTC on 10 June 2025, unless the test says otherwise. */
export function aSample(overrides: Partial<SampleBody> = {}): SampleBody {
  return { metricType: 'heart_rate', value: 60, recordedAt: after(A_DAY, '8h'), ...overrides };
}

export interface SeriesOptions {
  metricType?: string;
  /** The first sample's time; 08:00 UTC on 10 June 2025 by default. */
  from?: string;
  every?: Duration;
  /** How long the series runs: samples at from, from + every, … before from + for. */
  for?: Duration;
  /** A constant, or the value of the i-th sample (for a series whose sum or maximum the test checks). */
  value?: number | ((index: number) => number);
  device?: string;
}

/** A regular series: heart rate of 60 bpm every 5 minutes for an hour (12 samples) unless the test says otherwise. */
export function samples(options: SeriesOptions = {}): SampleBody[] {
  const { metricType = 'heart_rate', from = after(A_DAY, '8h'), every = '5min', value = 60, device } = options;
  const count = Math.ceil(milliseconds(options.for ?? '1h') / milliseconds(every));
  return Array.from({ length: count }, (_, index) => ({
    metricType,
    value: typeof value === 'number' ? value : value(index),
    recordedAt: new Date(Date.parse(from) + index * milliseconds(every)).toISOString(),
    ...(device === undefined ? {} : { device }),
  }));
}

/** The answer to a push: counts and rejections, as `POST …/health` answers and `ingestSamples` returns. */
export type PushedSamples = Pick<IngestResult, 'inserted' | 'updated' | 'duplicates' | 'rejected'> & Record<string, any>;

/**
 * Pushes samples for the user, from `source` (the API's default `api` unless given): over REST, asserting the
 * 201, or through `ingestSamples` with `ctx`. Returns the counts either way.
 */
export async function pushSamples(on: Target, userId: string, batch: readonly SampleBody[], source?: string): Promise<PushedSamples> {
  if (overRest(on)) {
    const pushed = await on.api('POST', `/v1/users/${userId}/health`, { body: { samples: batch, ...(source ? { source } : {}) } });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    return pushed.body as PushedSamples;
  }
  const inputs = batch.map((sample) => ({
    ...sample,
    recordedAt: new Date(sample.recordedAt),
    endAt: sample.endAt === undefined ? null : new Date(sample.endAt),
  }));
  return ingestSamples(on, userId, inputs, { source: source ?? 'api' });
}
