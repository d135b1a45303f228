import type { Platform } from './sync-activities.js';
import { NotFound, Unauthorized } from '../lib/errors.js';
import { log } from '../lib/logger.js';
import { ProviderError } from '../providers/provider-error.js';
import type { PushRequest } from '../providers/provider.js';
import { requireProvider } from '../providers/registry.js';
import { startSync } from './sync-jobs.js';

/** Bursts of notifications for one connection within this window start one sync. */
const PUSH_WINDOW_MS = 60_000;

/**
 * A provider's push notification: verified by the provider's own scheme, then an incremental sync of each
 * connection it names. Unknown users are ignored (the provider may notify about users of another install).
 */
export async function receivePush(platform: Platform, providerId: string, request: PushRequest): Promise<{ syncs: number; status: 200 | 204 }> {
  const provider = requireProvider(providerId);
  if (!provider.parsePush) throw new NotFound(`provider "${providerId}" sends no push notifications`);
  let notices;
  try {
    notices = provider.parsePush(request, platform.config);
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'unauthorized') throw new Unauthorized(`push notification signature does not verify: ${error.message}`);
    throw error;
  }
  const slot = Math.floor(platform.clock.now().getTime() / PUSH_WINDOW_MS);
  let syncs = 0;
  for (const externalUserId of new Set(notices.map((notice) => notice.externalUserId))) {
    const connections = await platform.db.connection.findMany({ where: { providerId: provider.id, externalUserId, status: 'ACTIVE' } });
    for (const connection of connections) {
      await startSync({ ...platform, workspaceId: connection.workspaceId }, connection, 'push', `sync:${connection.id}:push:${slot}`);
      syncs += 1;
    }
  }
  log.info('push received', { providerId, notices: notices.length, syncs });
  return { syncs, status: provider.pushResponseStatus ?? 200 };
}

export function answerPushChallenge(platform: Platform, providerId: string, request: PushRequest) {
  const provider = requireProvider(providerId);
  const answer = provider.pushChallenge?.(request, platform.config) ?? null;
  if (!answer) throw new NotFound(`provider "${providerId}" has no push subscription check`);
  return answer;
}
