import { expect } from 'vitest';
import { ingestEvents, type EventIngestResult } from '../../src/events/ingest-events.js';
import { overRest, type Target } from './target.js';
import { after, A_DAY, milliseconds, type Duration } from './time.js';

/** A workout, sleep session or activity as a client pushes it to `POST /v1/users/:userId/events`. */
export interface EventBody {
  type: string;
  startAt: string;
  endAt: string;
  subtype?: string;
  distance?: number;
  energy?: number;
  avgHeartRate?: number;
  maxHeartRate?: number;
  elevationGain?: number;
  details?: Record<string, unknown>;
  device?: string;
  externalId?: string;
}

export type EventOverrides = Partial<EventBody> & {
  /** Sets `endAt` from `startAt` (30 minutes unless given); ignored when `endAt` is given. */
  lasting?: Duration;
};

/** One event: a 30-minute run from 07:00 UTC on 10 June 2025, unless the test says otherwise. */
export function anEvent(overrides: EventOverrides = {}): EventBody {
  const { lasting = '30min', ...fields } = overrides;
  const startAt = fields.startAt ?? after(A_DAY, '7h');
  // "running" describes the default workout only; a sleep or an activity has no such subtype.
  const kind = fields.type === undefined ? { type: 'workout', subtype: 'running' } : {};
  return { type: 'workout', ...kind, startAt, endAt: after(startAt, lasting), ...fields };
}

/** `count` events like `anEvent(overrides)`, one a day from its start (one a day of runs, say), each a distinct start. */
export function events(count: number, overrides: EventOverrides & { every?: Duration } = {}): EventBody[] {
  const { every = '1d', ...rest } = overrides;
  const first = anEvent(rest);
  return Array.from({ length: count }, (_, index) => {
    const shift = index * milliseconds(every);
    const startAt = new Date(Date.parse(first.startAt) + shift).toISOString();
    return { ...first, startAt, endAt: new Date(Date.parse(first.endAt) + shift).toISOString() };
  });
}

/** The answer to a push of events: counts and rejections. */
export type PushedEvents = Pick<EventIngestResult, 'inserted' | 'updated' | 'duplicates' | 'rejected'> & Record<string, any>;

/** Pushes events for the user, from `source` (the API's default `api` unless given): over REST, asserting the 201, or with `ctx`. */
export async function pushEvents(on: Target, userId: string, batch: readonly EventBody[], source?: string): Promise<PushedEvents> {
  if (overRest(on)) {
    const pushed = await on.api('POST', `/v1/users/${userId}/events`, { body: { events: batch, ...(source ? { source } : {}) } });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(201);
    return pushed.body as PushedEvents;
  }
  const inputs = batch.map((event) => ({ ...event, startAt: new Date(event.startAt), endAt: new Date(event.endAt) }));
  return ingestEvents(on, userId, inputs, { source: source ?? 'api' });
}
