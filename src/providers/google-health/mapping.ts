import type { SampleInput } from '../../health/sample-input.js';
import { numberOf } from '../../lib/numbers.js';

/**
 * Google Health API v4 data points (https://developers.google.com/health/data-types and the REST reference of
 * users.dataTypes.dataPoints) mapped to our metrics. Each point nests its value under the data type's union key
 * (steps → `steps`, heart-rate → `heartRate`); Interval types carry `interval.startTime`/`endTime` (RFC 3339, end
 * exclusive), Sample types `sampleTime.physicalTime`. int64 fields (a step `count`, `beatsPerMinute`) arrive as
 * strings (proto3 JSON mapping), so every value is read with numberOf. Units: distance in millimetres, weight in
 * grams (as Open Wearables' client confirms against the live API).
 */
export interface GoogleDataPoint {
  name?: string;
  dataSource?: { device?: { displayName?: string; manufacturer?: string }; platform?: string };
  [unionKey: string]: unknown;
}

export interface GoogleDataType {
  /** The kebab-case id in endpoint URLs. */
  id: string;
  /** The union key of its data points (camelCase) and the filter member (snake_case). */
  key: string;
  filterKey: string;
  shape: 'interval' | 'sample';
  metricType: string;
  /** The value's field and the factor to our canonical unit. */
  field: string;
  unit: string | null;
  scale: number;
}

export const GOOGLE_DATA_TYPES: readonly GoogleDataType[] = [
  { id: 'steps', key: 'steps', filterKey: 'steps', shape: 'interval', metricType: 'steps', field: 'count', unit: null, scale: 1 },
  {
    id: 'distance',
    key: 'distance',
    filterKey: 'distance',
    shape: 'interval',
    metricType: 'distance',
    field: 'millimeters',
    unit: 'm',
    scale: 0.001,
  },
  {
    id: 'heart-rate',
    key: 'heartRate',
    filterKey: 'heart_rate',
    shape: 'sample',
    metricType: 'heart_rate',
    field: 'beatsPerMinute',
    unit: 'bpm',
    scale: 1,
  },
  {
    id: 'weight',
    key: 'weight',
    filterKey: 'weight',
    shape: 'sample',
    metricType: 'weight',
    field: 'weightGrams',
    unit: 'kg',
    scale: 0.001,
  },
];

const BY_ID = new Map(GOOGLE_DATA_TYPES.map((type) => [type.id, type]));
export const googleDataType = (id: string) => BY_ID.get(id);

/** The AIP-160 filter bounding a list to [from, to) on the type's time field. */
export function timeFilter(type: GoogleDataType, from: Date, to: Date): string {
  const member = `${type.filterKey}.${type.shape === 'interval' ? 'interval.start_time' : 'sample_time.physical_time'}`;
  return `${member} >= "${from.toISOString()}" AND ${member} < "${to.toISOString()}"`;
}

function deviceOf(point: GoogleDataPoint): string {
  const device = point.dataSource?.device;
  return device?.displayName || device?.manufacturer || point.dataSource?.platform || 'Google Health';
}

const instant = (value: unknown) => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? new Date(value) : null);

/** Points as samples; a point without a readable time or value is a rejection with its reason. */
export function pointSamples(type: GoogleDataType, points: GoogleDataPoint[]): { samples: SampleInput[]; rejected: string[] } {
  const samples: SampleInput[] = [];
  const rejected: string[] = [];
  for (const point of points) {
    const body = point[type.key] as Record<string, unknown> | undefined;
    const value = numberOf(body?.[type.field]);
    const times = type.shape === 'interval' ? (body?.interval as Record<string, unknown> | undefined) : undefined;
    const start =
      type.shape === 'interval' ? instant(times?.startTime) : instant((body?.sampleTime as Record<string, unknown>)?.physicalTime);
    const end = type.shape === 'interval' ? instant(times?.endTime) : null;
    if (value === null || !start) {
      rejected.push(`${type.id} ${point.name ?? '?'}: no readable ${value === null ? type.field : 'time'}`);
      continue;
    }
    samples.push({
      metricType: type.metricType,
      value: value * type.scale,
      unit: type.unit,
      recordedAt: start,
      ...(end ? { endAt: end } : {}),
      device: deviceOf(point),
      ...(point.name ? { externalId: point.name } : {}),
    });
  }
  return { samples, rejected };
}
