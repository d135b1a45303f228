import type { HealthEventRow } from './event-row.js';

const iso = (at: Date | string) => new Date(at).toISOString();

/**
 * A health event as GET /v1/users/:userId/events/:eventId serves it (the GraphQL `HealthEvent`), and as the
 * payload of the health_event.* domain events. Rows from raw SQL carry the same columns. A test compares the two.
 */
export function healthEventResource(event: HealthEventRow) {
  return {
    id: event.id,
    userId: event.userId,
    type: event.type,
    subtype: event.subtype,
    startAt: iso(event.startAt),
    endAt: iso(event.endAt),
    durationSeconds: event.durationSeconds,
    distance: event.distance,
    energy: event.energy,
    avgHeartRate: event.avgHeartRate,
    maxHeartRate: event.maxHeartRate,
    elevationGain: event.elevationGain,
    details: event.details,
    source: event.source,
    device: event.device || null,
    connectionId: event.connectionId,
    externalId: event.externalId,
    createdAt: iso(event.createdAt),
    updatedAt: iso(event.updatedAt),
  };
}
