import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import type { Prisma } from '../generated/prisma/client.js';
import { recordResource } from '../records/record-resource.js';
import { healthEventResource } from './health-event-resource.js';

/**
 * Deletes health events and personal records in the caller's transaction and announces each with its
 * `.deleted` event (the resource as GET served it just before), for the bulk erasures: DELETE …/health and a
 * disconnect with deleteData.
 */
export async function deleteEventsAndRecords(
  ctx: Pick<ServiceContext, 'workspaceId' | 'clock'>,
  tx: Prisma.TransactionClient,
  events: Prisma.HealthEventWhereInput,
  records: Prisma.PersonalRecordWhereInput,
): Promise<void> {
  const goneEvents = await tx.healthEvent.findMany({ where: events, orderBy: { id: 'asc' } });
  const goneRecords = await tx.personalRecord.findMany({ where: records, orderBy: { id: 'asc' } });
  await tx.healthEvent.deleteMany({ where: { id: { in: goneEvents.map((event) => event.id) } } });
  await tx.personalRecord.deleteMany({ where: { id: { in: goneRecords.map((record) => record.id) } } });
  const occurredAt = ctx.clock.now();
  await emit(tx, [
    ...goneEvents.map((event) => ({
      workspaceId: ctx.workspaceId,
      type: 'health_event.deleted' as const,
      payload: healthEventResource(event),
      occurredAt,
    })),
    ...goneRecords.map((record) => ({
      workspaceId: ctx.workspaceId,
      type: 'personal_record.deleted' as const,
      payload: recordResource(record),
      occurredAt,
    })),
  ]);
}
