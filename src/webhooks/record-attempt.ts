import type { AttemptOutcome } from '../../workflows/delivery.js';
import { emit } from '../domain-events/emit.js';
import type { WebhookDelivery, WebhookEndpoint } from '../generated/prisma/client.js';
import type { Platform } from '../jobs/platform.js';
import { newId } from '../lib/ids.js';
import { RETRY_PROFILES } from '../../workflows/retry.js';
import type { SendOutcome } from './send.js';

/** An endpoint whose attempts have all failed this long is disabled (the schedule alone gives up after ~3 days). */
export const FAILING_DAYS_BEFORE_DISABLE = 5;
const DAY_MS = 24 * 3600_000;
const SCHEDULE = RETRY_PROFILES.delivery.scheduleMs;

/** The wait before attempt `attempt + 1`, ±10% so that a receiver's recovery is not met by every retry at once. */
export function retryDelayAfter(attempt: number, scale = 1): number | null {
  const base = SCHEDULE[attempt];
  return base === undefined ? null : Math.round(base * scale * (0.9 + 0.2 * Math.random()));
}

/**
 * Writes one attempt, the delivery's new state and the endpoint's health in one transaction: a success clears the
 * endpoint's failing streak; 410 Gone disables it at once; a failure streak of five days disables it too, and
 * `webhook.disabled` announces it (emitted once: only the update that flips `enabled` emits).
 */
export async function recordAttempt(
  platform: Pick<Platform, 'db' | 'clock' | 'config'>,
  delivery: WebhookDelivery & { endpoint: WebhookEndpoint },
  sent: SendOutcome,
): Promise<AttemptOutcome> {
  const now = platform.clock.now();
  const attempt = delivery.attempts + 1;
  const succeeded = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
  const failingSince = succeeded ? null : (delivery.endpoint.failingSince ?? now);
  const disableReason = succeeded
    ? null
    : sent.statusCode === 410
      ? 'the endpoint answered 410 Gone'
      : now.getTime() - failingSince!.getTime() >= FAILING_DAYS_BEFORE_DISABLE * DAY_MS
        ? `every attempt failed for ${FAILING_DAYS_BEFORE_DISABLE} days`
        : null;
  const retryInMs = succeeded || disableReason ? null : retryDelayAfter(attempt, platform.config.webhooks.retryScale);
  const status = succeeded ? 'succeeded' : retryInMs === null ? 'failed' : 'pending';
  const nextRetryAt = retryInMs === null ? null : new Date(now.getTime() + retryInMs);
  await platform.db.$transaction(async (tx) => {
    await tx.webhookAttempt.create({
      data: {
        id: newId(),
        workspaceId: delivery.workspaceId,
        endpointId: delivery.endpointId,
        deliveryId: delivery.id,
        eventId: delivery.eventId,
        eventType: delivery.eventType,
        attempt,
        status: succeeded ? 'succeeded' : 'failed',
        statusCode: sent.statusCode,
        durationMs: sent.durationMs,
        error: sent.error ?? (succeeded ? null : `the endpoint answered HTTP ${sent.statusCode}`),
        responseExcerpt: sent.responseExcerpt,
        nextRetryAt,
      },
    });
    await tx.webhookDelivery.update({
      where: { id: delivery.id },
      data: { attempts: attempt, status, nextAttemptAt: nextRetryAt, sendingUntil: null },
    });
    if (!disableReason) {
      await tx.webhookEndpoint.updateMany({ where: { id: delivery.endpointId }, data: { failingSince } });
      return;
    }
    const flipped = await tx.webhookEndpoint.updateMany({
      where: { id: delivery.endpointId, enabled: true },
      data: { enabled: false, disabledReason: disableReason, disabledAt: now, failingSince },
    });
    if (flipped.count === 1) {
      await emit(tx, {
        workspaceId: delivery.workspaceId,
        type: 'webhook.disabled',
        payload: { webhookId: delivery.endpointId, url: delivery.endpoint.url, reason: disableReason, disabledAt: now.toISOString() },
        occurredAt: now,
      });
    }
  });
  return { status, retryInMs };
}
