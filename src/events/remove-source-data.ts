import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import { deleteSamplesByExternalId } from '../health/delete-samples.js';
import { updateEventRecords } from '../records/event-records.js';
import { recordEvents } from '../records/record-events.js';
import { recordResource } from '../records/record-resource.js';
import type { PersonalRecordRow } from '../records/upsert-record.js';
import type { HealthEventRow } from './event-row.js';
import { healthEventResource } from './health-event-resource.js';

/** What a source says is gone (Strava's activity `delete` event) or replaced (its `update`), by its own ids. */
export interface SourceRemovals {
  /** External ids of the source's events to delete. */
  events: string[];
  /** External ids of the source's samples to delete (their rollups are summed again from what remains). */
  samples: string[];
}

export interface RemovalResult {
  events: number;
  samples: number;
}

/**
 * Deletes a source's events and samples by their external ids, in one transaction, the way a user's own delete
 * does: each event goes with `health_event.deleted` (the event as GET served it), the samples with their rollups
 * (deleteSamplesByExternalId, as a water log's delete). A personal record an event set goes with it
 * (`personal_record.deleted`) and is set again from the user's remaining events of that type and sport, oldest
 * first, so the record and its "previous" are what they would be had the deleted event never existed
 * (`personal_record.created`/`updated`). Records of daily totals are left as they are (as for other deletes).
 */
export async function removeSourceData(
  ctx: ServiceContext,
  userId: string,
  source: string,
  removals: SourceRemovals,
): Promise<RemovalResult> {
  if (!removals.events.length && !removals.samples.length) return { events: 0, samples: 0 };
  return ctx.sql.transaction(async (tx) => {
    const samples = removals.samples.length ? await deleteSamplesByExternalId(tx, userId, source, removals.samples) : 0;
    const gone = removals.events.length
      ? await tx.query<HealthEventRow>(
          `DELETE FROM "HealthEvent" WHERE "userId" = $1 AND source = $2 AND "externalId" = ANY($3::text[]) RETURNING *`,
          [userId, source, removals.events],
        )
      : [];
    let lostRecords: PersonalRecordRow[] = [];
    let setAgain: PersonalRecordRow[] = [];
    if (gone.length) {
      lostRecords = await tx.query<PersonalRecordRow>(
        `DELETE FROM "PersonalRecord" WHERE "userId" = $1 AND "eventId" = ANY($2::text[]) RETURNING *`,
        [userId, gone.map((event) => event.id)],
      );
      // Event records are per event type and, for workouts, per sport (the qualifier; "other" when none).
      const kinds = [...new Set(lostRecords.map((record) => `${record.metricType}\u0000${record.qualifier}`))];
      const remaining: HealthEventRow[] = [];
      for (const kind of kinds) {
        const [type, qualifier] = kind.split('\u0000') as [string, string];
        remaining.push(
          ...(await tx.query<HealthEventRow>(
            `SELECT * FROM "HealthEvent" WHERE "userId" = $1 AND type = $2
               AND ($2 <> 'workout' OR COALESCE(subtype, 'other') = $3) ORDER BY "startAt", id`,
            [userId, type, qualifier],
          )),
        );
      }
      setAgain = await updateEventRecords(tx, userId, remaining);
    }
    const occurredAt = ctx.clock.now();
    await emit(tx, [
      ...gone.map((event) => ({
        workspaceId: ctx.workspaceId,
        type: 'health_event.deleted' as const,
        payload: healthEventResource(event),
        occurredAt,
      })),
      ...lostRecords.map((record) => ({
        workspaceId: ctx.workspaceId,
        type: 'personal_record.deleted' as const,
        payload: recordResource(record),
        occurredAt,
      })),
      ...recordEvents(ctx, setAgain),
    ]);
    return { events: gone.length, samples };
  });
}
