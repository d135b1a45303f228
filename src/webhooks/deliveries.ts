import type { ServiceContext } from '../context.js';
import { isDomainEventType } from '../domain-events/catalogue.js';
import type { WebhookAttempt, WebhookDelivery } from '../generated/prisma/client.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getWebhook } from './endpoints.js';
import { startDeliveries } from './webhook-consumer.js';

export const ATTEMPT_STATUSES = ['succeeded', 'failed'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export interface AttemptFilter {
  status?: AttemptStatus | null;
  eventType?: string | null;
}

/** Every attempt to an endpoint, oldest first, filtered by outcome and event type. */
export async function listWebhookAttempts(
  ctx: ServiceContext,
  webhookId: string,
  filter: AttemptFilter,
  args: PageArgs,
): Promise<Page<WebhookAttempt>> {
  const endpoint = await getWebhook(ctx, webhookId);
  if (filter.eventType && !isDomainEventType(filter.eventType)) {
    throw new Invalid(`eventType "${filter.eventType}" is not in the catalogue (GET /v1/event-types)`);
  }
  const where = {
    endpointId: endpoint.id,
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.eventType ? { eventType: filter.eventType } : {}),
  };
  return paginate(args, {
    list: `webhook-attempts:${endpoint.id}:${filter.status ?? ''}:${filter.eventType ?? ''}`,
    count: () => ctx.db.webhookAttempt.count({ where }),
    fetch: (window) => ctx.db.webhookAttempt.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
}

/** Copies of deliveries, sent again from the first attempt with the same body and `webhook-id`. */
async function resend(ctx: ServiceContext, originals: readonly WebhookDelivery[]): Promise<WebhookDelivery[]> {
  const now = ctx.clock.now();
  const copies = originals.map((original) => ({
    id: newId(),
    workspaceId: original.workspaceId,
    endpointId: original.endpointId,
    eventId: original.eventId,
    eventType: original.eventType,
    body: original.body,
    nextAttemptAt: now,
  }));
  await ctx.db.webhookDelivery.createMany({ data: copies });
  await startDeliveries(ctx.jobs, copies);
  return ctx.db.webhookDelivery.findMany({ where: { id: { in: copies.map((copy) => copy.id) } }, orderBy: { id: 'asc' } });
}

/** Sends one event to the endpoint again (a new delivery, whatever became of the first). */
export async function redeliverWebhookEvent(ctx: ServiceContext, webhookId: string, eventId: string): Promise<WebhookDelivery> {
  const endpoint = await getWebhook(ctx, webhookId);
  const original = await ctx.db.webhookDelivery.findFirst({ where: { endpointId: endpoint.id, eventId }, orderBy: { id: 'desc' } });
  if (!original) throw new NotFound(`event ${eventId} was never delivered to webhook ${webhookId}`);
  const [copy] = await resend(ctx, [original]);
  return copy!;
}

/** Most deliveries one recover sends again. */
export const MAX_RECOVER = 10_000;

/**
 * After an outage: every event whose delivery to the endpoint failed since `since` (and that no later delivery
 * took) is sent again, oldest first.
 */
export async function recoverWebhook(ctx: ServiceContext, webhookId: string, since: Date): Promise<WebhookDelivery[]> {
  const endpoint = await getWebhook(ctx, webhookId);
  if (since.getTime() > ctx.clock.now().getTime()) throw new Invalid('since must not be in the future');
  const failed = await ctx.db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id, status: 'failed', createdAt: { gte: since } },
    orderBy: { id: 'asc' },
    take: MAX_RECOVER,
  });
  const taken = new Set(
    (
      await ctx.db.webhookDelivery.findMany({
        where: { endpointId: endpoint.id, status: { in: ['succeeded', 'pending'] }, eventId: { in: failed.map((row) => row.eventId) } },
        select: { eventId: true },
      })
    ).map((row) => row.eventId),
  );
  const seen = new Set<string>();
  const toSend = failed.filter((row) => !taken.has(row.eventId) && !seen.has(row.eventId) && seen.add(row.eventId));
  return toSend.length ? resend(ctx, toSend) : [];
}
