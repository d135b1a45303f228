import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { numberOf } from '../../lib/numbers.js';

/**
 * Dexcom API v3 records (https://developer.dexcom.com/docs/dexcomv3/operation/getEstimatedGlucoseValuesV3 and
 * …/getEventsV3) mapped to our types. Times: `systemTime` is the device's UTC clock, written without an offset
 * by receivers and with one by the mobile apps; `displayTime` is what the user set the device to show, so only
 * `systemTime` places a record on the timeline.
 */
export interface DexcomRecord {
  recordId: string;
  systemTime: string;
  displayTime?: string;
  transmitterGeneration?: string;
  displayDevice?: string;
}

export interface DexcomEgv extends DexcomRecord {
  /** In `unit`; an integer for mg/dL. */
  value: number | null;
  /** 'mg/dL', 'mmol/L' or 'unknown'. */
  unit: string;
  /** 'ok', 'high', 'low' or 'unknown'. */
  status?: string | null;
  trend?: string | null;
  trendRate?: number | null;
  rateUnit?: string;
}

export interface DexcomEvent extends DexcomRecord {
  /** 'carbs', 'insulin', 'exercise', 'health', 'bloodGlucose', 'notes' or 'unknown'. */
  eventType: string;
  /** For exercise the intensity: 'light', 'medium' or 'heavy'. */
  eventSubType?: string | null;
  /**
   * getEventsV3's response schema types `value` as a string ("value required string") while its example sends a
   * number (400): both arrive, so both are read.
   */
  value?: number | string | null;
  /** For exercise 'minutes'; 'grams' for carbs, 'units' for insulin. */
  unit?: string | null;
  /** 'created', 'updated' or 'deleted'. */
  eventStatus?: string;
}

const OFFSET = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

/** A systemTime as an instant: without an offset it is UTC (the receivers' form). NaN when unreadable. */
export function systemTimeOf(value: string): number {
  return Date.parse(OFFSET.test(value) ? value : `${value}Z`);
}

function deviceOf(record: DexcomRecord): string {
  const generation = typeof record.transmitterGeneration === 'string' ? record.transmitterGeneration : 'unknown';
  return generation === 'unknown' ? 'Dexcom CGM' : `Dexcom ${generation.toUpperCase()}`;
}

const GLUCOSE_UNITS = new Set(['mg/dL', 'mmol/L']);

/**
 * EGVs as blood_glucose in the unit Dexcom reports (ingestion converts mmol/L to mg/dL). Skipped on purpose:
 * status 'high'/'low' (the reading left the sensor's 40–400 mg/dL range, so the value is only that bound, and
 * storing it would pull averages toward the bound), a missing, zero or non-numeric value (a sensor that gave no
 * reading), and unit 'unknown' (a value of 7 could be either unit).
 */
export function glucoseSamples(records: DexcomEgv[]): SampleInput[] {
  return records.flatMap((record) => {
    if (record.status === 'high' || record.status === 'low') return [];
    if (typeof record.value !== 'number' || !Number.isFinite(record.value) || record.value <= 0) return [];
    if (!GLUCOSE_UNITS.has(record.unit)) return [];
    return [
      {
        metricType: 'blood_glucose',
        value: record.value,
        unit: record.unit,
        recordedAt: new Date(systemTimeOf(record.systemTime)),
        device: deviceOf(record),
        externalId: record.recordId,
      },
    ];
  });
}

/**
 * Exercise entries as workouts: Dexcom records when the exercise began and how many minutes it lasted, with an
 * intensity but no kind of sport. Carbs, insulin, health and notes have no event type here and are skipped, as
 * are deleted entries (ingestion cannot remove an event) and exercise without a positive duration. An exercise
 * whose value is no number at all is rejected with its reason, which the sync counts.
 */
export function exerciseEvents(records: DexcomEvent[]): { events: EventInput[]; rejected: string[] } {
  const events: EventInput[] = [];
  const rejected: string[] = [];
  for (const record of records) {
    if (record.eventType !== 'exercise' || record.eventStatus === 'deleted') continue;
    const minutes = numberOf(record.value);
    if (minutes === null) {
      rejected.push(`exercise ${record.recordId}: value ${JSON.stringify(record.value)} is not a number of minutes`);
      continue;
    }
    if (record.unit !== 'minutes' || !(minutes > 0)) continue;
    const startAt = new Date(systemTimeOf(record.systemTime));
    events.push({
      type: 'workout',
      subtype: null,
      startAt,
      endAt: new Date(startAt.getTime() + minutes * 60_000),
      details: { intensity: typeof record.eventSubType === 'string' ? record.eventSubType : null },
      device: deviceOf(record),
      externalId: record.recordId,
    });
  }
  return { events, rejected };
}
