import type { ServiceContext } from '../context.js';
import type { NewDomainEvent } from '../domain-events/emit.js';
import type { Connection } from '../generated/prisma/client.js';
import { connectionResource } from './connection-resource.js';

type Change = 'connection.created' | 'connection.updated' | 'connection.deleted';

/** A connection.* resource event: the connection as GET lists it after the change. */
export function connectionEvent(ctx: Pick<ServiceContext, 'clock'>, type: Change, connection: Connection): NewDomainEvent {
  return { workspaceId: connection.workspaceId, type, payload: connectionResource(connection), occurredAt: ctx.clock.now() };
}

/** connection.error or connection.revoked: the provider ended or refused the connection, and why. */
export function connectionStatusEvent(
  ctx: Pick<ServiceContext, 'clock'>,
  type: 'connection.error' | 'connection.revoked',
  connection: Connection,
  reason: string,
): NewDomainEvent {
  const { id: connectionId, userId, providerId } = connection;
  return { workspaceId: connection.workspaceId, type, payload: { connectionId, userId, providerId, reason }, occurredAt: ctx.clock.now() };
}
