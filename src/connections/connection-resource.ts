import type { Connection } from '../generated/prisma/client.js';

/**
 * A connection as GET /v1/users/:userId/connections lists it (the GraphQL `Connection`: never the tokens), and
 * as the payload of the connection.created|updated|deleted domain events. A test compares the two.
 */
export function connectionResource(connection: Connection) {
  return {
    id: connection.id,
    userId: connection.userId,
    providerId: connection.providerId,
    status: connection.status.toLowerCase(),
    statusReason: connection.statusReason,
    externalUserId: connection.externalUserId,
    scopes: connection.scopes,
    lastSyncAt: connection.lastSyncAt?.toISOString() ?? null,
    lastSyncStatus: connection.lastSyncStatus,
    lastSyncError: connection.lastSyncError,
    createdAt: connection.createdAt.toISOString(),
    disconnectedAt: connection.disconnectedAt?.toISOString() ?? null,
  };
}
