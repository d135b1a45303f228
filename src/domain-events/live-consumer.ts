import type { LiveBus } from '../live/bus.js';
import type { ConsumerDeps, DomainEventConsumer, DomainEventRecord } from './consumers.js';

/** Ids published lately: a batch the relay retries (a later consumer failed) is not published twice. */
const RECENT_IDS = 10_000;

/**
 * Publishes between yields to the event loop. A subscription buffers at most 1,024 undelivered messages (graphql-
 * yoga's repeater throws past that): draining a backlog in one synchronous burst overflowed a subscriber.
 */
const BURST = 100;

/** Feeds the GraphQL subscriptions: each domain event becomes the live message its subscribers expect. */
export function liveUpdatesConsumer({ live }: ConsumerDeps): DomainEventConsumer {
  const recent = new Set<string>();
  let published = 0;
  return {
    name: 'live-updates',
    handle: async (event) => {
      if (recent.has(event.id)) return;
      if (++published % BURST === 0) await new Promise((resolve) => setImmediate(resolve));
      publish(live, event);
      recent.add(event.id);
      if (recent.size > RECENT_IDS) recent.delete(recent.values().next().value!);
    },
  };
}

function publish(live: LiveBus, event: DomainEventRecord): void {
  const { workspaceId, payload, occurredAt: at } = event;
  switch (event.type) {
    case 'user.created':
    case 'user.updated':
    case 'user.deleted': {
      const action = event.type.slice('user.'.length) as 'created' | 'updated' | 'deleted';
      return live.publish('user.changed', workspaceId, { action, userId: payload.id, externalId: payload.externalId, at });
    }
    case 'health_data.ingested':
      // The subscription announces new samples; an ingest of corrections only is not news to it.
      if (payload.inserted === 0) return;
      return live.publish('health.samples', workspaceId, {
        userId: payload.userId,
        source: payload.source,
        inserted: payload.inserted,
        metrics: payload.metrics
          .filter((metric: { inserted: number }) => metric.inserted > 0)
          .map(({ metricType, inserted }: { metricType: string; inserted: number }) => ({ metricType, inserted })),
        at,
      });
    case 'health_event.created':
    case 'health_event.updated':
      return live.publish('health.events', workspaceId, payload);
    case 'personal_record.created':
    case 'personal_record.updated':
      return live.publish('health.records', workspaceId, payload);
    case 'connection.error':
    case 'connection.revoked':
      return live.publish('connection.changed', workspaceId, {
        ...payload,
        status: event.type === 'connection.error' ? 'error' : 'disconnected',
        at,
      });
    case 'sync.progress':
      return live.publish('sync.progress', workspaceId, { ...payload, at });
    default:
      return;
  }
}
