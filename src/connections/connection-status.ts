import { recordAudit } from '../audit/audit.js';
import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import { emit } from '../domain-events/emit.js';
import { log } from '../lib/logger.js';
import { connectionEvent, connectionStatusEvent } from './connection-events.js';
import { syncScheduleId } from './sync-jobs.js';

/** A connection the provider no longer honours (revoked consent, failed refresh): status ERROR with the reason. */
export async function markConnectionError(ctx: ServiceContext, connection: Connection, reason: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    const updated = await tx.connection.update({ where: { id: connection.id }, data: { status: 'ERROR', statusReason: reason } });
    await emit(tx, [connectionStatusEvent(ctx, 'connection.error', updated, reason), connectionEvent(ctx, 'connection.updated', updated)]);
  });
  log.warn('connection error', { connectionId: connection.id, providerId: connection.providerId, reason });
}

/**
 * The provider told us the user withdrew consent (Garmin's deregistration, Strava's deauthorization…): the tokens
 * are dead, so the connection is disconnected as if the app had done it, without revoking anything. Its schedule
 * stops and unread notices go; the synced data stays until the app deletes it.
 */
export async function markConnectionRevoked(ctx: ServiceContext, connection: Connection, reason: string): Promise<void> {
  await ctx.jobs.unschedule(syncScheduleId(connection.id));
  const now = ctx.clock.now();
  await ctx.db.$transaction(async (tx) => {
    const updated = await tx.connection.update({
      where: { id: connection.id },
      data: {
        status: 'DISCONNECTED',
        statusReason: reason,
        accessToken: null,
        refreshToken: null,
        tokenExpiresAt: null,
        disconnectedAt: now,
      },
    });
    await tx.providerNotice.deleteMany({ where: { connectionId: connection.id } });
    await emit(tx, [
      connectionStatusEvent(ctx, 'connection.revoked', updated, reason),
      connectionEvent(ctx, 'connection.updated', updated),
    ]);
  });
  await recordAudit(ctx, {
    action: 'connection.disconnected',
    targetType: 'connection',
    targetId: connection.id,
    details: { providerId: connection.providerId, by: 'provider', reason },
  });
  log.info('connection revoked at the provider', { connectionId: connection.id, providerId: connection.providerId });
}
