import { Invalid } from '../lib/errors.js';
import { EVENT_TYPES, MAX_EVENT_SECONDS, SLEEP_STAGES, type EventType } from './event-types.js';

/** An event as a client or provider gives it: canonical units (metres, kilocalories, bpm, seconds). */
export interface EventInput {
  type: string;
  subtype?: string | null;
  startAt: Date;
  endAt: Date;
  distance?: number | null;
  energy?: number | null;
  avgHeartRate?: number | null;
  maxHeartRate?: number | null;
  elevationGain?: number | null;
  /** Sleep: { stages: [{ stage, startAt, endAt }], efficiency (%), latencySeconds, awakenings }; workouts: { streams }. */
  details?: Record<string, unknown> | null;
  device?: string | null;
  externalId?: string | null;
}

export interface NormalizedEvent extends Required<Omit<EventInput, 'type' | 'details'>> {
  type: EventType;
  durationSeconds: number;
  details: Record<string, unknown>;
  dedupeKey: string;
}

function optionalRange(name: string, value: number | null | undefined, min: number, max: number): number | null {
  if (value == null) return null;
  if (!Number.isFinite(value) || value < min || value > max) throw new Invalid(`${name} ${value} is outside ${min}–${max}`);
  return value;
}

interface StageInput {
  stage: string;
  startAt: string;
  endAt: string;
}

/** Checks sleep stages lie inside the session and sums their durations per stage. */
function sleepDetails(details: Record<string, unknown>, startAt: Date, endAt: Date): Record<string, unknown> {
  const stages = (details.stages ?? []) as StageInput[];
  if (!Array.isArray(stages)) throw new Invalid('details.stages must be an array of { stage, startAt, endAt }');
  const totals: Record<string, number> = Object.fromEntries(SLEEP_STAGES.map((stage) => [stage, 0]));
  for (const stage of stages) {
    const from = Date.parse(stage?.startAt);
    const to = Date.parse(stage?.endAt);
    if (!SLEEP_STAGES.includes(stage?.stage as never))
      throw new Invalid(`sleep stage "${stage?.stage}" must be one of ${SLEEP_STAGES.join(', ')}`);
    if (!(from >= startAt.getTime() && to <= endAt.getTime() && to > from)) {
      throw new Invalid('every sleep stage must lie within the session and end after it starts');
    }
    totals[stage.stage] = (totals[stage.stage] ?? 0) + Math.round((to - from) / 1000);
  }
  optionalRange('details.efficiency', details.efficiency as number | undefined, 0, 100);
  optionalRange('details.latencySeconds', details.latencySeconds as number | undefined, 0, 86_400);
  optionalRange('details.awakenings', details.awakenings as number | undefined, 0, 1000);
  // Without a stage list there is nothing to total: providers' own per-stage durations (or their absence, for an
  // unscored night) stand as given.
  return stages.length === 0 ? details : { ...details, stageSeconds: totals };
}

export function normalizeEvent(input: EventInput): NormalizedEvent {
  if (!EVENT_TYPES.includes(input.type as EventType))
    throw new Invalid(`event type "${input.type}" must be one of ${EVENT_TYPES.join(', ')}`);
  const type = input.type as EventType;
  const durationSeconds = Math.round((input.endAt.getTime() - input.startAt.getTime()) / 1000);
  if (durationSeconds <= 0 || durationSeconds > MAX_EVENT_SECONDS) throw new Invalid('endAt must be after startAt, at most 7 days later');
  const subtype = input.subtype
    ? input.subtype
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, '_')
        .slice(0, 64)
    : null;
  const details = input.details ?? {};
  if (typeof details !== 'object' || Array.isArray(details)) throw new Invalid('details must be a JSON object');
  return {
    type,
    subtype,
    startAt: input.startAt,
    endAt: input.endAt,
    durationSeconds,
    distance: optionalRange('distance', input.distance, 0, 1_000_000),
    energy: optionalRange('energy', input.energy, 0, 50_000),
    avgHeartRate: optionalRange('avgHeartRate', input.avgHeartRate, 20, 300),
    maxHeartRate: optionalRange('maxHeartRate', input.maxHeartRate, 20, 300),
    elevationGain: optionalRange('elevationGain', input.elevationGain, 0, 20_000),
    details: type === 'sleep' ? sleepDetails(details, input.startAt, input.endAt) : details,
    device: (input.device ?? '').slice(0, 200),
    externalId: input.externalId ? input.externalId.slice(0, 200) : null,
    dedupeKey: input.externalId ? `id:${input.externalId.slice(0, 200)}` : `${type}:${input.startAt.toISOString()}`,
  };
}
