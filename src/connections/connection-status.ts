import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import { log } from '../lib/logger.js';

/** A connection the provider no longer honours (revoked consent, failed refresh): status ERROR with the reason. */
export async function markConnectionError(ctx: ServiceContext, connection: Connection, reason: string): Promise<void> {
  await ctx.db.connection.update({ where: { id: connection.id }, data: { status: 'ERROR', statusReason: reason } });
  ctx.events.publish('connection.changed', connection.workspaceId, { connectionId: connection.id, userId: connection.userId, providerId: connection.providerId, status: 'error' as const, reason, at: ctx.clock.now() });
  log.warn('connection error', { connectionId: connection.id, providerId: connection.providerId, reason });
}
