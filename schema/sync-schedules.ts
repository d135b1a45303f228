import { rule } from '../src/lib/input-rules.js';
import { getSyncSchedule, MAX_SYNC_INTERVAL_MINUTES, updateSyncSchedule, type SyncSchedule } from '../src/connections/sync-schedule.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';

const SyncScheduleType = builder.objectRef<SyncSchedule>('SyncSchedule').implement({
  description: "A connection's periodic sync, held by the job engine (a Temporal Schedule on Temporal).",
  fields: (t) => ({
    connectionId: t.exposeID('connectionId'),
    everyMinutes: t.exposeInt('everyMinutes', { description: 'Minutes between syncs.' }),
    paused: t.exposeBoolean('paused'),
    nextRunAt: t.expose('nextRunAt', { type: 'DateTime', nullable: true, description: 'When the next sync starts; null while paused.' }),
  }),
});

builder.queryFields((t) => ({
  syncSchedule: t.field({
    type: SyncScheduleType,
    description: "A connection's periodic sync: interval, paused or not, next run.",
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), connectionId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getSyncSchedule(serviceContext(ctx), String(args.userId), String(args.connectionId)),
  }),
}));

builder.mutationFields((t) => ({
  updateSyncSchedule: t.field({
    type: SyncScheduleType,
    description: 'Change how often a connection syncs, or pause and resume its periodic sync (manual syncs still run).',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      connectionId: t.arg.id({ required: true }),
      everyMinutes: t.arg.int({
        description: `Minutes between syncs, 1 to ${MAX_SYNC_INTERVAL_MINUTES}.`,
        ...rule({ minimum: 1, maximum: MAX_SYNC_INTERVAL_MINUTES }),
      }),
      paused: t.arg.boolean({ description: 'true pauses the periodic sync, false resumes it.' }),
    },
    resolve: (_root, { userId, connectionId, ...change }, ctx) =>
      updateSyncSchedule(serviceContext(ctx), String(userId), String(connectionId), change),
  }),
}));
