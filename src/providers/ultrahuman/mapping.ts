import type { SampleInput } from '../../health/sample-input.js';
import { numberOf } from '../../lib/numbers.js';

/**
 * Ultrahuman Partner API metrics (vision.ultrahuman.com/developer-docs; ultrahumanapp.notion.site "API
 * Documentation": the day's metrics are a list of `{ type, object }`, sleep, movement, heart rate, HRV, temperature,
 * steps, glucose, indexes, VO2 max). Read here:
 * - `hr`: `values` of `{ value, timestamp }`, bpm at epoch seconds;
 * - `temp`: `values` the same, in the object's `unit` (the ring's skin temperature);
 * - `steps`: `values` are the steps of each interval, not a running count, and `total` is their sum for the day —
 *   storing both, or reading the values as cumulative, counts the day twice or more;
 * - `vo2_max`: `{ value, day_start_timestamp }`, ml/kg/min.
 * Left out: HRV (the documentation does not say whether it is RMSSD or SDNN, which we keep apart), sleep (its fields
 * are not in the documentation at hand), the indexes and scores (Ultrahuman's own, with no metric of ours), glucose
 * (the cgm_data scope, not asked).
 */
export interface UltrahumanMetric {
  type?: string;
  object?: {
    unit?: string;
    values?: { value?: unknown; timestamp?: unknown }[];
    value?: unknown;
    day_start_timestamp?: unknown;
  } | null;
}

const SERIES: Record<string, { metricType: string; unit: (object: NonNullable<UltrahumanMetric['object']>) => string }> = {
  hr: { metricType: 'heart_rate', unit: () => 'bpm' },
  temp: { metricType: 'skin_temperature', unit: (object) => object.unit ?? 'degC' },
  steps: { metricType: 'steps', unit: () => 'count' },
};

/** Samples of one day's metrics; a reading without a number or a time is a rejection with its reason. */
export function metricSamples(metrics: UltrahumanMetric[], date: string): { samples: SampleInput[]; rejected: string[] } {
  const samples: SampleInput[] = [];
  const rejected: string[] = [];
  for (const metric of metrics) {
    const object = metric.object;
    const series = SERIES[metric.type ?? ''];
    if (object && series) {
      for (const reading of object.values ?? []) {
        const value = numberOf(reading.value);
        const at = numberOf(reading.timestamp);
        if (value === null || at === null) {
          rejected.push(`${date} ${metric.type}: a reading without a number or a time`);
          continue;
        }
        // An interval without steps says nothing a day total needs; other series keep every reading.
        if (metric.type === 'steps' && value === 0) continue;
        samples.push({
          metricType: series.metricType,
          value,
          unit: series.unit(object),
          recordedAt: new Date(at * 1000),
          device: 'Ultrahuman Ring',
          externalId: `${metric.type}:${at}`,
        });
      }
    }
    if (object && metric.type === 'vo2_max') {
      const value = numberOf(object.value);
      const at = numberOf(object.day_start_timestamp);
      if (value !== null && at !== null)
        samples.push({
          metricType: 'vo2max',
          value,
          unit: 'mL/kg/min',
          recordedAt: new Date(at * 1000),
          device: 'Ultrahuman Ring',
          externalId: `vo2_max:${date}`,
        });
    }
  }
  return { samples, rejected };
}
