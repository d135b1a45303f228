import { AppError } from '../lib/errors.js';
import { getMetricType } from './metric-types.js';
import { convertToCanonical } from './units.js';

/** One sample as a client or a provider gives it: any accepted unit, any time zone in its timestamps. */
export interface SampleInput {
  metricType: string;
  value: number;
  unit?: string | null;
  recordedAt: Date;
  endAt?: Date | null;
  device?: string | null;
  externalId?: string | null;
}

/** A sample ready to store: canonical unit, checked range and times. */
export interface NormalizedSample {
  metricType: string;
  value: number;
  recordedAt: Date;
  endAt: Date | null;
  device: string;
  externalId: string | null;
}

export interface Rejection {
  /** Position of the sample in the request. */
  index: number;
  metricType: string;
  reason: string;
}

/** Samples may be stamped a little ahead of the server's clock (device clocks drift); more is a client bug. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;
const EARLIEST = Date.UTC(1900, 0, 1);
// Ranges of totals (steps…) are per day at most, so an interval longer than a day could not be checked.
const MAX_INTERVAL_MS = 24 * 3600 * 1000;

function normalizeOne(input: SampleInput, now: Date): NormalizedSample | string {
  const metric = getMetricType(input.metricType);
  if (!metric) return `metricType "${input.metricType}" is unknown; GET /v1/metric-types lists the metric types`;
  if (!Number.isFinite(input.value)) return 'value must be a finite number';
  let value: number;
  try {
    value = convertToCanonical(metric, input.value, input.unit);
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
  if (value < metric.range.min || value > metric.range.max) {
    return `value ${input.value}${input.unit ? ' ' + input.unit : ''} is outside the possible range of ${metric.id} (${metric.range.min}–${metric.range.max} ${metric.unit})`;
  }
  const at = input.recordedAt.getTime();
  if (at < EARLIEST) return 'recordedAt is before 1900';
  if (at > now.getTime() + FUTURE_TOLERANCE_MS) return 'recordedAt is more than a day in the future';
  const endAt = input.endAt ?? null;
  if (endAt && (endAt.getTime() < at || endAt.getTime() - at > MAX_INTERVAL_MS)) {
    return 'endAt must be at or after recordedAt and within 24 hours of it';
  }
  return {
    metricType: metric.id,
    value,
    recordedAt: input.recordedAt,
    endAt,
    device: (input.device ?? '').slice(0, 200),
    externalId: input.externalId ? input.externalId.slice(0, 200) : null,
  };
}

/** Splits a batch into storable samples and per-sample rejections (nothing is dropped silently). */
export function normalizeSamples(inputs: readonly SampleInput[], now: Date): { samples: NormalizedSample[]; rejected: Rejection[] } {
  const samples: NormalizedSample[] = [];
  const rejected: Rejection[] = [];
  inputs.forEach((input, index) => {
    const result = normalizeOne(input, now);
    if (typeof result === 'string') rejected.push({ index, metricType: input.metricType, reason: result });
    else samples.push(result);
  });
  return { samples, rejected };
}
