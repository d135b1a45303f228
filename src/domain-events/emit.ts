import type { SqlSession } from '../db/client.js';
import { textArray } from '../db/array-literal.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId } from '../lib/ids.js';
import type { DomainEventType } from './catalogue.js';

/** The channel the relay LISTENs on; the payload is the workspace id. */
export const DOMAIN_EVENT_CHANNEL = 'vitasync_domain_events';

export interface NewDomainEvent {
  workspaceId: string;
  type: DomainEventType;
  /** Plain JSON: resource events carry the resource's serializer output (e.g. src/users/user-resource.ts). */
  payload: unknown;
  occurredAt: Date;
}

/** A transaction of either kind the services hold: Prisma's interactive one, or a raw SQL session. */
export type EmitTx = SqlSession | Prisma.TransactionClient;

/**
 * Writes events to the outbox in the caller's transaction, so they commit (or roll back) with the change they
 * announce. The upsert of the workspace's sequence row takes its row lock until commit: events are numbered,
 * and a second emitter of the workspace waits, so sequence order is commit order. Call it last in the
 * transaction, to hold that lock briefly. pg_notify is delivered at commit and wakes the relay.
 */
const EMIT_SQL = `
WITH seq AS (
  INSERT INTO "DomainEventSequence" ("workspaceId", "last") VALUES ($1, $2::int)
  ON CONFLICT ("workspaceId") DO UPDATE SET "last" = "DomainEventSequence"."last" + EXCLUDED."last"
  RETURNING "last"
)
INSERT INTO "DomainEvent" (id, "workspaceId", sequence, type, payload, "occurredAt")
SELECT r.id, $1, seq."last" - $2::int + r.n, r.type, r.payload::jsonb, r."occurredAt"::timestamptz
FROM seq,
  unnest($3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS r(id, type, payload, "occurredAt", n),
  -- One row that notifies: the same round trip as the insert.
  (SELECT pg_notify('${DOMAIN_EVENT_CHANNEL}', $1)) AS wake`;

export async function emit(tx: EmitTx, events: NewDomainEvent | readonly NewDomainEvent[]): Promise<void> {
  const list = Array.isArray(events) ? (events as readonly NewDomainEvent[]) : [events as NewDomainEvent];
  const byWorkspace = new Map<string, NewDomainEvent[]>();
  for (const event of list) byWorkspace.set(event.workspaceId, [...(byWorkspace.get(event.workspaceId) ?? []), event]);
  for (const [workspaceId, batch] of byWorkspace) {
    const params = [
      workspaceId,
      batch.length,
      textArray(batch.map(() => newId())),
      textArray(batch.map((event) => event.type)),
      textArray(batch.map((event) => JSON.stringify(event.payload ?? null))),
      textArray(batch.map((event) => event.occurredAt.toISOString())),
    ];
    if ('$executeRawUnsafe' in tx) await tx.$executeRawUnsafe(EMIT_SQL, ...params);
    else await tx.query(EMIT_SQL, params);
  }
}
