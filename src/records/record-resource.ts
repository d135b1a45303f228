import type { PersonalRecordRow } from './upsert-record.js';

const iso = (at: Date | string) => new Date(at).toISOString();

/**
 * A personal record as GET /v1/users/:userId/personal-records lists it (the GraphQL `PersonalRecord`), and as
 * the payload of the personal_record.* domain events. A test compares the two.
 */
export function recordResource(record: PersonalRecordRow) {
  return {
    id: record.id,
    userId: record.userId,
    metricType: record.metricType,
    kind: record.kind,
    qualifier: record.qualifier || null,
    value: record.value,
    unit: record.unit,
    achievedAt: iso(record.achievedAt),
    sampleId: record.sampleId,
    eventId: record.eventId,
    source: record.source,
    previousValue: record.previousValue,
    previousAchievedAt: record.previousAchievedAt === null ? null : iso(record.previousAchievedAt),
    updatedAt: iso(record.updatedAt),
  };
}

/** A record row fresh from its upsert: created when this transaction inserted it (both stamps are its now()). */
export function recordWasCreated(record: PersonalRecordRow): boolean {
  return new Date(record.createdAt).getTime() === new Date(record.updatedAt).getTime();
}
