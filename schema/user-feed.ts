import { filter, pipe } from 'graphql-yoga';
import type { Topics } from '../src/live/bus.js';
import { serviceContext, type RequestContext } from '../src/server/request-context.js';
import { getUser } from '../src/users/users.js';

type UserTopic = { [K in keyof Topics]: Topics[K][1] extends { userId: string } ? K : never }[keyof Topics];

/**
 * A workspace's live topic, narrowed to one user when the subscriber names one. The user is looked up first, in
 * the subscriber's workspace: an unknown or foreign user is a NOT_FOUND error (as every read of that user is),
 * never a feed that silently stays empty.
 */
export async function userFeed<K extends UserTopic>(
  ctx: RequestContext,
  topic: K,
  userId: string | number | null | undefined,
): Promise<AsyncIterable<Topics[K][1]>> {
  const service = serviceContext(ctx);
  const only = userId === null || userId === undefined ? null : String(userId);
  if (only) await getUser(service, only);
  // Every user topic is keyed by workspace id (Topics): the generic signature just cannot say so.
  const feed = (ctx.live.subscribe as (topic: UserTopic, workspaceId: string) => AsyncIterable<{ userId: string }>)(
    topic,
    service.workspaceId,
  );
  return pipe(
    feed,
    filter((item) => !only || item.userId === only),
  ) as AsyncIterable<Topics[K][1]>;
}
