import type { User } from '../generated/prisma/client.js';

/**
 * A user as GET /v1/users/:userId serves it (the scalar fields of the GraphQL `User`), and as the payload of
 * the user.* domain events. A test compares the two, so a field added to one is added to the other.
 */
export function userResource(user: User) {
  return {
    id: user.id,
    externalId: user.externalId,
    email: user.email,
    timezone: user.timezone,
    metadata: user.metadata,
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
  };
}
