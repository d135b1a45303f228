import type { ServiceContext } from '../context.js';
import type { NewDomainEvent } from '../domain-events/emit.js';
import { recordResource, recordWasCreated } from './record-resource.js';
import type { PersonalRecordRow } from './upsert-record.js';

/** personal_record.created|updated for the records an ingest set. */
export function recordEvents(ctx: Pick<ServiceContext, 'workspaceId' | 'clock'>, records: readonly PersonalRecordRow[]): NewDomainEvent[] {
  return records.map((record) => ({
    workspaceId: ctx.workspaceId,
    type: recordWasCreated(record) ? 'personal_record.created' : 'personal_record.updated',
    payload: recordResource(record),
    occurredAt: ctx.clock.now(),
  }));
}
