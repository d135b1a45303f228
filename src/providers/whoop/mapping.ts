import type { EventInput } from '../../events/event-input.js';
import type { SampleInput } from '../../health/sample-input.js';
import { ProviderError } from '../provider-error.js';

/**
 * WHOOP API v2 records (https://developer.whoop.com/api; v2 ids per https://developer.whoop.com/docs/developing/v1-v2-migration)
 * mapped to our types. Durations are milliseconds, energy kilojoules, distances metres, temperatures °C. Scores
 * are present only when `score_state` is SCORED; PENDING_SCORE and UNSCORABLE records carry no `score`.
 */
const DEVICE = 'WHOOP';
const KJ_PER_KCAL = 4.184;

type ScoreState = 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';

export interface WhoopRecovery {
  cycle_id: number;
  sleep_id: string;
  created_at: string;
  score_state: ScoreState;
  score?: {
    user_calibrating: boolean;
    recovery_score: number;
    resting_heart_rate: number;
    hrv_rmssd_milli: number;
    spo2_percentage?: number;
    skin_temp_celsius?: number;
  };
}

export interface WhoopSleep {
  id: string;
  start: string;
  /** Absent while the sleep is still in progress. */
  end?: string;
  nap: boolean;
  score_state: ScoreState;
  score?: {
    stage_summary: {
      total_in_bed_time_milli: number;
      total_awake_time_milli: number;
      total_no_data_time_milli?: number;
      total_light_sleep_time_milli: number;
      total_slow_wave_sleep_time_milli: number;
      total_rem_sleep_time_milli: number;
      sleep_cycle_count?: number;
      disturbance_count?: number;
    };
    respiratory_rate?: number;
    sleep_performance_percentage?: number;
    sleep_consistency_percentage?: number;
    sleep_efficiency_percentage?: number;
  };
}

export interface WhoopWorkout {
  id: string;
  start: string;
  end: string;
  sport_name: string;
  /** Deprecated by WHOOP after 2025-09-01; kept in details while it is sent. */
  sport_id?: number;
  score_state: ScoreState;
  score?: {
    strain: number;
    average_heart_rate: number;
    max_heart_rate: number;
    kilojoule: number;
    percent_recorded: number;
    distance_meter?: number;
    altitude_gain_meter?: number;
    zone_durations?: Record<string, unknown>;
  };
}

export interface WhoopCycle {
  id: number;
  start: string;
  /** Absent while the user is still in this cycle. */
  end?: string;
  score_state: ScoreState;
  score?: { strain: number; kilojoule: number; average_heart_rate: number; max_heart_rate: number };
}

// A tiny shape check, so a record off the documented shape becomes invalid_response instead of NaN deep in mapping.
type Field = 'string' | 'number' | 'boolean' | 'date' | 'id' | 'object';
interface Shape {
  [name: string]: Field | `${Field}?` | Shape;
}

const FIELD_CHECKS: Record<Field, (value: unknown) => boolean> = {
  string: (value) => typeof value === 'string' && value.length > 0,
  number: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean: (value) => typeof value === 'boolean',
  date: (value) => typeof value === 'string' && !Number.isNaN(Date.parse(value)),
  id: (value) => (typeof value === 'string' && value.length > 0) || (typeof value === 'number' && Number.isSafeInteger(value)),
  object: (value) => typeof value === 'object' && !Array.isArray(value),
};

function shapeProblem(value: unknown, shape: Shape, path: string): string | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return `${path} is not an object`;
  for (const [name, want] of Object.entries(shape)) {
    const field = (value as Record<string, unknown>)[name];
    const at = `${path}.${name}`;
    if (typeof want === 'object') {
      const problem = shapeProblem(field, want, at);
      if (problem) return problem;
      continue;
    }
    const kind = want.replace('?', '') as Field;
    if (field == null) {
      if (want.endsWith('?')) continue;
      return `${at} is missing`;
    }
    if (!FIELD_CHECKS[kind](field)) return `${at} is not a valid ${kind}`;
  }
  return null;
}

const SHAPES = {
  recovery: {
    record: { cycle_id: 'id', sleep_id: 'string', created_at: 'date', score_state: 'string' },
    score: {
      recovery_score: 'number',
      resting_heart_rate: 'number',
      hrv_rmssd_milli: 'number',
      spo2_percentage: 'number?',
      skin_temp_celsius: 'number?',
    },
  },
  sleep: {
    record: { id: 'id', start: 'date', end: 'date?', nap: 'boolean?', score_state: 'string' },
    score: {
      stage_summary: {
        total_in_bed_time_milli: 'number',
        total_awake_time_milli: 'number',
        total_no_data_time_milli: 'number?',
        total_light_sleep_time_milli: 'number',
        total_slow_wave_sleep_time_milli: 'number',
        total_rem_sleep_time_milli: 'number',
        sleep_cycle_count: 'number?',
        disturbance_count: 'number?',
      },
      respiratory_rate: 'number?',
      sleep_performance_percentage: 'number?',
      sleep_consistency_percentage: 'number?',
      sleep_efficiency_percentage: 'number?',
    },
  },
  workout: {
    record: { id: 'id', start: 'date', end: 'date', sport_name: 'string', sport_id: 'number?', score_state: 'string' },
    score: {
      strain: 'number',
      average_heart_rate: 'number?',
      max_heart_rate: 'number?',
      kilojoule: 'number?',
      percent_recorded: 'number?',
      distance_meter: 'number?',
      altitude_gain_meter: 'number?',
      zone_durations: 'object?',
    },
  },
  cycle: {
    record: { id: 'id', start: 'date', end: 'date?', score_state: 'string' },
    score: { strain: 'number', kilojoule: 'number', average_heart_rate: 'number?', max_heart_rate: 'number?' },
  },
} satisfies Record<string, { record: Shape; score: Shape }>;

export type WhoopStream = keyof typeof SHAPES;

/** Checks a page's records against the documented shape; a score is required exactly when the record is SCORED. */
export function parseRecords<T>(stream: WhoopStream, records: unknown[]): T[] {
  return records.map((record, index) => {
    const path = `${stream} record ${index}`;
    const problem = shapeProblem(record, SHAPES[stream].record, path);
    const scored = !problem && (record as { score_state: string }).score_state === 'SCORED';
    const scoreProblem =
      problem ?? (scored ? shapeProblem((record as { score?: unknown }).score, SHAPES[stream].score, `${path}.score`) : null);
    if (scoreProblem) throw new ProviderError(`WHOOP answered a malformed page: ${scoreProblem}`, 'invalid_response');
    return (scored ? record : { ...(record as object), score: undefined }) as T;
  });
}

const kcal = (kilojoule: number | undefined) => (kilojoule == null ? null : kilojoule / KJ_PER_KCAL);
const seconds = (milli: number) => Math.round(milli / 1000);

/** A recovery is WHOOP's morning verdict on the night before: its values are stamped when WHOOP recorded it. */
export function recoverySamples(rows: WhoopRecovery[]): SampleInput[] {
  return rows.flatMap((row) => {
    if (!row.score) return [];
    const base = { recordedAt: new Date(row.created_at), device: DEVICE, externalId: `recovery:${row.cycle_id}` };
    const { score } = row;
    return [
      { ...base, metricType: 'recovery_score', value: score.recovery_score, unit: 'score' },
      { ...base, metricType: 'resting_heart_rate', value: score.resting_heart_rate, unit: 'bpm' },
      { ...base, metricType: 'hrv_rmssd', value: score.hrv_rmssd_milli, unit: 'ms' },
      ...(score.spo2_percentage != null ? [{ ...base, metricType: 'spo2', value: score.spo2_percentage, unit: '%' }] : []),
      // An absolute skin temperature (WHOOP 4.0 and later), not a deviation from the user's baseline.
      ...(score.skin_temp_celsius != null
        ? [{ ...base, metricType: 'skin_temperature', value: score.skin_temp_celsius, unit: 'degC' }]
        : []),
    ];
  });
}

export function sleepData(rows: WhoopSleep[]): { events: EventInput[]; samples: SampleInput[] } {
  const finished = rows.filter((row): row is WhoopSleep & { end: string } => !!row.end);
  const events = finished.map((row): EventInput => {
    const stages = row.score?.stage_summary;
    return {
      type: 'sleep',
      subtype: row.nap ? 'nap' : 'main',
      startAt: new Date(row.start),
      endAt: new Date(row.end),
      details: {
        scoreState: row.score_state,
        ...(stages && {
          stageSeconds: {
            deep: seconds(stages.total_slow_wave_sleep_time_milli),
            rem: seconds(stages.total_rem_sleep_time_milli),
            light: seconds(stages.total_light_sleep_time_milli),
            awake: seconds(stages.total_awake_time_milli),
          },
          noDataSeconds: seconds(stages.total_no_data_time_milli ?? 0),
          sleepCycles: stages.sleep_cycle_count ?? null,
          disturbances: stages.disturbance_count ?? null,
        }),
        efficiency: row.score?.sleep_efficiency_percentage ?? null,
        performance: row.score?.sleep_performance_percentage ?? null,
        consistency: row.score?.sleep_consistency_percentage ?? null,
        respiratoryRate: row.score?.respiratory_rate ?? null,
      },
      device: DEVICE,
      externalId: row.id,
    };
  });
  const samples = finished.flatMap((row): SampleInput[] => {
    if (!row.score) return [];
    const { stage_summary: stages, respiratory_rate, sleep_performance_percentage, sleep_efficiency_percentage } = row.score;
    const at = { recordedAt: new Date(row.end), device: DEVICE, externalId: row.id };
    const span = { recordedAt: new Date(row.start), endAt: new Date(row.end), device: DEVICE, externalId: row.id };
    const asleep = stages.total_light_sleep_time_milli + stages.total_slow_wave_sleep_time_milli + stages.total_rem_sleep_time_milli;
    return [
      { ...span, metricType: 'sleep_duration', value: asleep, unit: 'ms' },
      { ...span, metricType: 'time_in_bed', value: stages.total_in_bed_time_milli, unit: 'ms' },
      ...(respiratory_rate != null ? [{ ...at, metricType: 'respiratory_rate', value: respiratory_rate, unit: 'breaths/min' }] : []),
      // WHOOP's headline sleep score is Sleep Performance: hours slept against the hours the user needed.
      ...(sleep_performance_percentage != null
        ? [{ ...at, metricType: 'sleep_score', value: sleep_performance_percentage, unit: 'score' }]
        : []),
      ...(sleep_efficiency_percentage != null
        ? [{ ...at, metricType: 'sleep_efficiency', value: sleep_efficiency_percentage, unit: '%' }]
        : []),
    ];
  });
  return { events, samples };
}

function zoneSeconds(zones: Record<string, unknown> | undefined): Record<string, number> | null {
  if (!zones) return null;
  const entries = Object.entries(zones).filter(
    (entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1]),
  );
  return Object.fromEntries(entries.map(([name, milli]) => [name.replace(/^zone_/, '').replace(/_milli$/, ''), seconds(milli)]));
}

export function workoutEvents(rows: WhoopWorkout[]): EventInput[] {
  return rows.map((row) => ({
    type: 'workout',
    subtype: row.sport_name,
    startAt: new Date(row.start),
    endAt: new Date(row.end),
    energy: kcal(row.score?.kilojoule),
    distance: row.score?.distance_meter ?? null,
    elevationGain: row.score?.altitude_gain_meter ?? null,
    avgHeartRate: row.score?.average_heart_rate ?? null,
    maxHeartRate: row.score?.max_heart_rate ?? null,
    details: {
      scoreState: row.score_state,
      strain: row.score?.strain ?? null,
      percentRecorded: row.score?.percent_recorded ?? null,
      zoneSeconds: zoneSeconds(row.score?.zone_durations),
      ...(row.sport_id != null && { sportId: row.sport_id }),
    },
    device: DEVICE,
    externalId: row.id,
  }));
}

/**
 * A cycle is WHOOP's physiological day (sleep onset to the next). Its strain and energy keep growing until it ends,
 * and samples are stored once under their natural key, so only finished cycles are mapped: the day's strain as a
 * sample, and the cycle as an activity event with its energy (all energy spent, basal included, hence no metric).
 */
export function cycleData(rows: WhoopCycle[]): { events: EventInput[]; samples: SampleInput[] } {
  const finished = rows.filter(
    (row): row is WhoopCycle & { end: string; score: NonNullable<WhoopCycle['score']> } => !!row.end && !!row.score,
  );
  return {
    samples: finished.map((row) => ({
      metricType: 'strain',
      value: row.score.strain,
      unit: 'score',
      recordedAt: new Date(row.start),
      device: DEVICE,
      externalId: `cycle:${row.id}`,
    })),
    events: finished.map((row) => ({
      type: 'activity',
      subtype: 'physiological_cycle',
      startAt: new Date(row.start),
      endAt: new Date(row.end),
      energy: kcal(row.score.kilojoule),
      avgHeartRate: row.score.average_heart_rate ?? null,
      maxHeartRate: row.score.max_heart_rate ?? null,
      details: { strain: row.score.strain },
      device: DEVICE,
      externalId: `cycle:${row.id}`,
    })),
  };
}
