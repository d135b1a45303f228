import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import { connectionEvent } from './connection-events.js';
import type { Connection } from '../generated/prisma/client.js';
import { NotFound, Unauthorized } from '../lib/errors.js';
import { log } from '../lib/logger.js';
import { ProviderError } from '../providers/provider-error.js';
import type { Provider, PushNotice, PushRequest } from '../providers/provider.js';
import { requireProvider } from '../providers/registry.js';
import { markConnectionRevoked } from './connection-status.js';
import { storeNotices } from './notices.js';
import type { Platform } from '../jobs/platform.js';
import { startSync } from './sync-jobs.js';

/** Bursts of notifications for one connection within this window start one sync. */
const PUSH_WINDOW_MS = 60_000;

/**
 * The id of the sync a data notification starts: one per connection and minute, so a burst starts one sync. When
 * that minute's sync has already finished it would not read what this notification announces (a Withings
 * temperature a few seconds after a weigh-in was lost so), so a follow-up sync starts under an id of its own.
 */
async function pushJobId(ctx: ServiceContext, connection: Connection): Promise<string> {
  const now = ctx.clock.now().getTime();
  const slot = `sync:${connection.id}:push:${Math.floor(now / PUSH_WINDOW_MS)}`;
  const job = await ctx.jobs.status(slot);
  return job && (job.status === 'completed' || job.status === 'failed') ? `${slot}:${now}` : slot;
}

/**
 * What one connection does with the notices naming its user: a revocation disconnects it; a permission change
 * replaces its scopes; new data starts an incremental sync, which first reads the data the notices carried or
 * named (kept as ProviderNotices, since the provider wants its answer before that work is done). Answers the
 * number of syncs started.
 */
async function actOnNotices(ctx: ServiceContext, provider: Provider, connection: Connection, notices: PushNotice[]): Promise<number> {
  if (notices.some((notice) => notice.kind === 'revoked')) {
    await markConnectionRevoked(ctx, connection, `the user revoked access at ${provider.name}`);
    return 0;
  }
  const permissions = notices.flatMap((notice) => (notice.kind === 'permissions' ? [notice.permissions] : [])).at(-1);
  if (permissions) {
    await ctx.db.$transaction(async (tx) => {
      const updated = await tx.connection.update({ where: { id: connection.id }, data: { scopes: permissions } });
      await emit(tx, connectionEvent(ctx, 'connection.updated', updated));
    });
  }
  const data = notices.flatMap((notice) => (notice.kind === undefined || notice.kind === 'data' ? [notice] : []));
  if (!data.length || connection.status !== 'ACTIVE') return 0;
  const contents = data.flatMap((notice) => (notice.content ? [notice.content] : []));
  if (contents.length) {
    // Each notification gets its own sync: one already finished within the minute would not read these notices.
    const first = await storeNotices(ctx, connection, contents);
    await startSync(ctx, connection, 'push', `sync:${connection.id}:notice:${first}`);
  } else {
    await startSync(ctx, connection, 'push', await pushJobId(ctx, connection));
  }
  return 1;
}

function byUser(notices: PushNotice[]): Map<string, PushNotice[]> {
  const groups = new Map<string, PushNotice[]>();
  for (const notice of notices) groups.set(notice.externalUserId, [...(groups.get(notice.externalUserId) ?? []), notice]);
  return groups;
}

/**
 * A provider's push notification: verified by the provider's own scheme, then acted on for each connection of
 * the users it names. Unknown users are ignored (the provider may notify about users of another install).
 */
export async function receivePush(
  platform: Platform,
  providerId: string,
  request: PushRequest,
): Promise<{ syncs: number; status: 200 | 204 }> {
  const provider = requireProvider(providerId);
  if (!provider.parsePush) throw new NotFound(`provider "${providerId}" sends no push notifications`);
  let notices;
  try {
    notices = provider.parsePush(request, platform.config);
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'unauthorized')
      throw new Unauthorized(`push notification signature does not verify: ${error.message}`);
    throw error;
  }
  let syncs = 0;
  for (const [externalUserId, group] of byUser(notices)) {
    const connections = await platform.db.connection.findMany({
      where: { providerId: provider.id, externalUserId, status: { not: 'DISCONNECTED' } },
    });
    for (const connection of connections) {
      syncs += await actOnNotices({ ...platform, workspaceId: connection.workspaceId }, provider, connection, group);
    }
  }
  log.info('push received', { providerId, notices: notices.length, syncs });
  return { syncs, status: provider.pushResponseStatus ?? 200 };
}

/** The provider's POSTed endpoint check, when this request is one (else null: a notification). */
export function answerPushHandshake(platform: Platform, providerId: string, request: PushRequest) {
  return requireProvider(providerId).pushHandshake?.(request, platform.config) ?? null;
}

export function answerPushChallenge(platform: Platform, providerId: string, request: PushRequest) {
  const provider = requireProvider(providerId);
  const answer = provider.pushChallenge?.(request, platform.config) ?? null;
  if (!answer) throw new NotFound(`provider "${providerId}" has no push subscription check`);
  return answer;
}
