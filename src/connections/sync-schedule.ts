import { recordAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import type { ScheduleState } from '../jobs/port.js';
import { Conflict, Invalid, NotFound } from '../lib/errors.js';
import { getConnection } from './connections.js';
import { syncScheduleId } from './sync-jobs.js';

/** A connection's periodic sync as the app sees it: minutes, not the engine's seconds. */
export interface SyncSchedule {
  connectionId: string;
  everyMinutes: number;
  paused: boolean;
  nextRunAt: Date | null;
}

/** One week: a connection synced less often than that is better paused. */
export const MAX_SYNC_INTERVAL_MINUTES = 7 * 24 * 60;

function asSyncSchedule(ctx: ServiceContext, connectionId: string, state: ScheduleState | null): SyncSchedule | null {
  if (!state || state.workspaceId !== ctx.workspaceId) return null;
  return { connectionId, everyMinutes: Math.round((state.everySeconds ?? 0) / 60), paused: state.paused, nextRunAt: state.nextRunAt };
}

/** The periodic sync of a connection; a disconnected connection has none (404). */
export async function getSyncSchedule(ctx: ServiceContext, userId: string, connectionId: string): Promise<SyncSchedule> {
  const connection = await getConnection(ctx, userId, connectionId);
  const schedule = asSyncSchedule(ctx, connection.id, await ctx.jobs.describeSchedule(syncScheduleId(connection.id)));
  if (!schedule)
    throw new NotFound(
      `connection ${connection.id} has no sync schedule${connection.status === 'DISCONNECTED' ? ' (it is disconnected)' : ''}`,
    );
  return schedule;
}

/** Changes how often a connection syncs, or pauses and resumes it, on whichever engine holds the schedule. */
export async function updateSyncSchedule(
  ctx: ServiceContext,
  userId: string,
  connectionId: string,
  change: { everyMinutes?: number | null; paused?: boolean | null },
): Promise<SyncSchedule> {
  const everyMinutes = change.everyMinutes ?? undefined;
  const paused = change.paused ?? undefined;
  if (everyMinutes !== undefined && (!Number.isInteger(everyMinutes) || everyMinutes < 1 || everyMinutes > MAX_SYNC_INTERVAL_MINUTES)) {
    throw new Invalid(`everyMinutes must be a whole number from 1 to ${MAX_SYNC_INTERVAL_MINUTES}`);
  }
  const connection = await getConnection(ctx, userId, connectionId);
  if (connection.status === 'DISCONNECTED') throw new Conflict(`connection ${connection.id} is disconnected; connect again to sync`);
  if (everyMinutes === undefined && paused === undefined) return getSyncSchedule(ctx, userId, connectionId);
  const updated = asSyncSchedule(
    ctx,
    connection.id,
    await ctx.jobs.updateSchedule(syncScheduleId(connection.id), {
      everySeconds: everyMinutes === undefined ? undefined : everyMinutes * 60,
      paused,
    }),
  );
  if (!updated) throw new NotFound(`connection ${connection.id} has no sync schedule`);
  await recordAudit(ctx, {
    action: 'connection.sync_schedule_changed',
    targetType: 'connection',
    targetId: connection.id,
    details: { everyMinutes: everyMinutes ?? null, paused: paused ?? null },
  });
  return updated;
}
