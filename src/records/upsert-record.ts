import type { SqlSession } from '../db/client.js';
import { newId } from '../lib/ids.js';

/** What counts as better for a record kind. */
export const RECORD_KINDS = {
  highest: 'higher',
  lowest: 'lower',
  highest_daily_total: 'higher',
  longest_duration: 'higher',
  longest_distance: 'higher',
  fastest_speed: 'higher',
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;

export interface RecordCandidate {
  metricType: string;
  kind: RecordKind;
  qualifier?: string;
  value: number;
  unit: string;
  achievedAt: Date;
  sampleId?: string | null;
  eventId?: string | null;
  source: string;
}

export interface PersonalRecordRow {
  id: string;
  userId: string;
  metricType: string;
  kind: string;
  qualifier: string;
  value: number;
  unit: string;
  achievedAt: Date;
  sampleId: string | null;
  eventId: string | null;
  source: string;
  previousValue: number | null;
  previousAchievedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

// Today's step total growing with each sync, or a re-scored event, improves the same achievement: the record it
// beat stays the one from before, not this achievement's own earlier value.
const SAME_ACHIEVEMENT = `("PersonalRecord"."achievedAt" = EXCLUDED."achievedAt" AND "PersonalRecord"."eventId" IS NOT DISTINCT FROM EXCLUDED."eventId")`;

/**
 * Stores a candidate when it beats the user's record of its kind (or there is none), keeping the beaten one as
 * "previous". Returns the record when it was set, null when the old one stands. Ties keep the earlier record.
 */
export async function upsertRecord(tx: SqlSession, userId: string, candidate: RecordCandidate): Promise<PersonalRecordRow | null> {
  const better = RECORD_KINDS[candidate.kind] === 'higher' ? '>' : '<';
  const rows = await tx.query<PersonalRecordRow>(
    `INSERT INTO "PersonalRecord" (id, "userId", "metricType", kind, qualifier, value, unit, "achievedAt", "sampleId", "eventId", source, "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
     ON CONFLICT ("userId", "metricType", kind, qualifier) DO UPDATE SET
       "previousValue" = CASE WHEN ${SAME_ACHIEVEMENT} THEN "PersonalRecord"."previousValue" ELSE "PersonalRecord".value END,
       "previousAchievedAt" = CASE WHEN ${SAME_ACHIEVEMENT} THEN "PersonalRecord"."previousAchievedAt" ELSE "PersonalRecord"."achievedAt" END,
       value = EXCLUDED.value, unit = EXCLUDED.unit, "achievedAt" = EXCLUDED."achievedAt",
       "sampleId" = EXCLUDED."sampleId", "eventId" = EXCLUDED."eventId", source = EXCLUDED.source, "updatedAt" = now()
     WHERE EXCLUDED.value ${better} "PersonalRecord".value
     RETURNING *`,
    [
      newId(),
      userId,
      candidate.metricType,
      candidate.kind,
      candidate.qualifier ?? '',
      candidate.value,
      candidate.unit,
      candidate.achievedAt.toISOString(),
      candidate.sampleId ?? null,
      candidate.eventId ?? null,
      candidate.source,
    ],
  );
  return rows[0] ?? null;
}
