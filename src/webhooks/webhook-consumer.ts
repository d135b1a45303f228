import { textArray } from '../db/array-literal.js';
import { PRIVATE_PAYLOAD_FIELDS } from '../domain-events/catalogue.js';
import type { ConsumerDeps, DomainEventConsumer, DomainEventRecord } from '../domain-events/consumers.js';
import type { JobRunner } from '../jobs/port.js';
import { newId } from '../lib/ids.js';

/** The Standard Webhooks body: the event's type, when it happened, and its payload. */
export function webhookBody(event: Pick<DomainEventRecord, 'type' | 'occurredAt' | 'payload'>): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.payload });
}

export const deliveryJobId = (deliveryId: string) => `webhook:${deliveryId}`;

/** Starts the delivery workflows of fresh delivery rows, a few at a time (a fan-out to 1,000 endpoints is 1,000 starts). */
export async function startDeliveries(jobs: JobRunner, rows: readonly { id: string; workspaceId: string }[]): Promise<void> {
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      await jobs.start('webhookDelivery', { deliveryId: row.id }, { id: deliveryJobId(row.id), workspaceId: row.workspaceId });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, queue.length) }, worker));
}

/** Without the payload's private fields (PRIVATE_PAYLOAD_FIELDS): what an endpoint that did not name the type gets. */
export function withoutPrivateFields(event: Pick<DomainEventRecord, 'type' | 'payload'>): unknown {
  const fields = PRIVATE_PAYLOAD_FIELDS[event.type];
  if (!fields || event.payload === null || typeof event.payload !== 'object') return event.payload;
  return Object.fromEntries(Object.entries(event.payload as object).filter(([key]) => !fields.includes(key)));
}

// `named`: the endpoint lists the type itself, rather than taking every type with an empty list.
const ENDPOINTS_SQL = `
SELECT id, $2 = ANY("eventTypes") AS named FROM "WebhookEndpoint"
WHERE "workspaceId" = $1 AND enabled AND (cardinality("eventTypes") = 0 OR $2 = ANY("eventTypes"))`;

const FANOUT_SQL = `
INSERT INTO "WebhookDelivery" (id, "workspaceId", "endpointId", "eventId", "eventType", body, "nextAttemptAt", "updatedAt")
SELECT d.id, $1, d."endpointId", $2, $3, d.body, now(), now()
FROM unnest($4::text[], $5::text[], $6::text[]) AS d(id, "endpointId", body)`;

/**
 * Webhook deliveries as a domain event consumer: each event becomes one delivery row per enabled endpoint that
 * subscribes to its type, written with the consumer's receipt (so exactly once per endpoint), and each row's
 * workflow starts after that commit. The body is fixed here, so every attempt and redelivery sends the same bytes.
 * Private payload fields (a journal entry's body) go only to endpoints that list the event type by name.
 */
export function webhookDeliveriesConsumer({ jobs }: ConsumerDeps): DomainEventConsumer {
  return {
    name: 'webhook-deliveries',
    handle: async (event, tx) => {
      const endpoints = await tx.query<{ id: string; named: boolean }>(ENDPOINTS_SQL, [event.workspaceId, event.type]);
      if (endpoints.length === 0) return;
      const full = webhookBody(event);
      const redacted = PRIVATE_PAYLOAD_FIELDS[event.type] ? webhookBody({ ...event, payload: withoutPrivateFields(event) }) : full;
      const rows = endpoints.map((endpoint) => ({
        id: newId(),
        endpointId: endpoint.id,
        workspaceId: event.workspaceId,
        body: endpoint.named ? full : redacted,
      }));
      await tx.query(FANOUT_SQL, [
        event.workspaceId,
        event.id,
        event.type,
        textArray(rows.map((row) => row.id)),
        textArray(rows.map((row) => row.endpointId)),
        textArray(rows.map((row) => row.body)),
      ]);
      return () => startDeliveries(jobs, rows);
    },
  };
}
