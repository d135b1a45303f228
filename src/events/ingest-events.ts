import type { ServiceContext } from '../context.js';
import { assertSource, type Provenance } from '../health/ingest.js';
import type { Rejection } from '../health/sample-input.js';
import { AppError, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { emit } from '../domain-events/emit.js';
import { updateEventRecords } from '../records/event-records.js';
import { recordEvents } from '../records/record-events.js';
import { healthEventResource } from './health-event-resource.js';
import type { PersonalRecordRow } from '../records/upsert-record.js';
import { normalizeEvent, type EventInput, type NormalizedEvent } from './event-input.js';
import type { HealthEventRow } from './event-row.js';

export interface EventIngestResult {
  inserted: number;
  /** Events the source sent again with changes (a re-scored sleep, a renamed workout): stored over the old. */
  updated: number;
  /** Events already stored exactly so. */
  duplicates: number;
  rejected: Rejection[];
  records: PersonalRecordRow[];
}

const COLUMNS = [
  'subtype',
  'startAt',
  'endAt',
  'durationSeconds',
  'distance',
  'energy',
  'avgHeartRate',
  'maxHeartRate',
  'elevationGain',
  'details',
  'device',
  'externalId',
] as const;

// Updates only when something differs, so an unchanged re-sync counts as a duplicate and keeps updatedAt.
const UPSERT_EVENT_SQL = `
INSERT INTO "HealthEvent" (id, "userId", type, source, "connectionId", "dedupeKey", "updatedAt", ${COLUMNS.map((c) => `"${c}"`).join(', ')})
VALUES ($1, $2, $3, $4, $5, $6, now(), ${COLUMNS.map((_, i) => `$${i + 7}`).join(', ')})
ON CONFLICT ("userId", source, "dedupeKey") DO UPDATE SET
  ${COLUMNS.map((c) => `"${c}" = EXCLUDED."${c}"`).join(', ')}, type = EXCLUDED.type, "updatedAt" = now()
WHERE (${COLUMNS.map((c) => `"HealthEvent"."${c}"`).join(', ')}, "HealthEvent".type)
  IS DISTINCT FROM (${COLUMNS.map((c) => `EXCLUDED."${c}"`).join(', ')}, EXCLUDED.type)
RETURNING *, (xmax = 0) AS "wasInserted"`;

function params(userId: string, event: NormalizedEvent, provenance: Provenance): unknown[] {
  return [
    newId(),
    userId,
    event.type,
    provenance.source,
    provenance.connectionId ?? null,
    event.dedupeKey,
    ...COLUMNS.map((column) => {
      const value = event[column];
      if (value instanceof Date) return value.toISOString();
      return column === 'details' ? JSON.stringify(value) : value;
    }),
  ];
}

/** The one ingestion path for workouts, sleep sessions and activity summaries. */
export async function ingestEvents(
  ctx: ServiceContext,
  userId: string,
  inputs: readonly EventInput[],
  provenance: Provenance,
): Promise<EventIngestResult> {
  assertSource(provenance.source);
  const owner = await ctx.db.user.findFirst({ where: { id: userId, workspaceId: ctx.workspaceId }, select: { id: true } });
  if (!owner) throw new NotFound(`user ${userId} not found`);
  const rejected: Rejection[] = [];
  const valid: NormalizedEvent[] = [];
  inputs.forEach((input, index) => {
    try {
      valid.push(normalizeEvent(input));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      rejected.push({ index, metricType: input.type, reason: error.message });
    }
  });
  const { stored, records } = await ctx.sql.transaction(async (tx) => {
    const stored: (HealthEventRow & { wasInserted: boolean })[] = [];
    for (const event of valid) {
      const [row] = await tx.query<HealthEventRow & { wasInserted: boolean }>(UPSERT_EVENT_SQL, params(userId, event, provenance));
      if (row) stored.push(row);
    }
    const records = await updateEventRecords(tx, userId, stored);
    const eventChanges = stored.map(({ wasInserted, ...event }) => ({
      workspaceId: ctx.workspaceId,
      type: wasInserted ? ('health_event.created' as const) : ('health_event.updated' as const),
      payload: healthEventResource(event),
      occurredAt: ctx.clock.now(),
    }));
    await emit(tx, [...eventChanges, ...recordEvents(ctx, records)]);
    return { stored, records };
  });
  const inserted = stored.filter((row) => row.wasInserted).length;
  return { inserted, updated: stored.length - inserted, duplicates: valid.length - stored.length, rejected, records };
}
