import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import { type SyncInput, type SyncReason } from '../../workflows/sync.js';

export function syncScheduleId(connectionId: string): string {
  return `sync:${connectionId}:periodic`;
}

/** Starts a sync job under a deterministic id (a second start of the same id is a no-op). */
export async function startSync(ctx: ServiceContext, connection: Connection, reason: SyncReason, jobId: string): Promise<string> {
  const input: SyncInput = { connectionId: connection.id, reason };
  await ctx.jobs.start('sync', input, { id: jobId, workspaceId: connection.workspaceId });
  return jobId;
}

export async function scheduleSyncs(ctx: ServiceContext, connection: Connection): Promise<void> {
  const input: SyncInput = { connectionId: connection.id, reason: 'scheduled' };
  await ctx.jobs.schedule('sync', input, {
    id: syncScheduleId(connection.id),
    workspaceId: connection.workspaceId,
    everySeconds: ctx.config.sync.intervalMinutes * 60,
  });
}
