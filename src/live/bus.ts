import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { ConnectionChange, SyncProgress } from '../connections/live-updates.js';
import type { HealthEventRow } from '../events/event-row.js';
import type { SamplesIngested } from '../health/live-updates.js';
import type { PersonalRecordRow } from '../records/upsert-record.js';
import type { UserChange } from '../users/user-change.js';

/**
 * Live updates: services publish, GraphQL subscriptions listen. Topics are per workspace so a subscriber only
 * ever hears its own tenant. In-process by default; through Redis when REDIS_URL is set, so several instances
 * deliver to each other's subscribers.
 */
export type Topics = {
  'user.changed': [workspaceId: string, change: UserChange];
  'health.samples': [workspaceId: string, batch: SamplesIngested];
  'health.events': [workspaceId: string, event: HealthEventRow];
  'health.records': [workspaceId: string, record: PersonalRecordRow];
  'connection.changed': [workspaceId: string, change: ConnectionChange];
  'sync.progress': [workspaceId: string, progress: SyncProgress];
};

export type LiveBus = ReturnType<typeof createPubSub<Topics>>;

export interface LiveBusHandle {
  bus: LiveBus;
  close(): Promise<void>;
}

export function createLiveBus(redisUrl: string | null): LiveBusHandle {
  if (!redisUrl) return { bus: createPubSub<Topics>(), close: async () => undefined };
  const publishClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const subscribeClient = new Redis(redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient });
  return {
    bus: createPubSub<Topics>({ eventTarget }),
    close: async () => {
      publishClient.disconnect();
      subscribeClient.disconnect();
    },
  };
}
