import type { AttemptOutcome, DeliveryActivities } from '../../workflows/delivery.js';
import { decryptToken } from '../connections/token-crypto.js';
import type { Platform } from '../jobs/platform.js';
import { recordAttempt } from './record-attempt.js';
import { postWebhook } from './send.js';
import { webhookHeaders } from './signing.js';

/** Beyond the send timeout, what an attempt may take (resolving the address, recording it) before another run takes over. */
const SENDING_MARGIN_MS = 30_000;

/** How far apart the clocks that set an attempt's due time and that read it may be (database, workers, timers). */
const CLOCK_SLACK_MS = 1000;

/**
 * Another run took this attempt, or it is not due yet: nothing is sent, and this run waits — for the end of the other
 * run's send, or for the delivery's due time (and takes that attempt only if it wins it then).
 */
async function afterAnotherRun(platform: Platform, deliveryId: string): Promise<AttemptOutcome> {
  const delivery = await platform.db.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery || delivery.status !== 'pending')
    return { status: (delivery?.status ?? 'failed') as AttemptOutcome['status'], retryInMs: null };
  const until = delivery.sendingUntil && delivery.sendingUntil > platform.clock.now() ? delivery.sendingUntil : delivery.nextAttemptAt;
  return { status: 'pending', retryInMs: Math.max(1000, (until?.getTime() ?? 0) - platform.clock.now().getTime()) };
}

/** The delivery workflow's activity: one signed attempt, recorded with what it means for the endpoint. */
export function createDeliveryActivities(platform: Platform): DeliveryActivities {
  return {
    async attemptDelivery({ deliveryId }): Promise<AttemptOutcome> {
      const delivery = await platform.db.webhookDelivery.findUnique({ where: { id: deliveryId }, include: { endpoint: true } });
      // The endpoint was deleted (its deliveries with it): nothing to send.
      if (!delivery) return { status: 'failed', retryInMs: null };
      if (delivery.status !== 'pending') return { status: delivery.status as AttemptOutcome['status'], retryInMs: null };
      const { endpoint } = delivery;
      if (!endpoint.enabled) {
        await platform.db.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'failed', nextAttemptAt: null } });
        return { status: 'failed', retryInMs: null };
      }
      if (endpoint.rateLimitPerSecond) {
        const recent = await platform.db.webhookAttempt.count({
          where: { endpointId: endpoint.id, createdAt: { gt: new Date(platform.clock.now().getTime() - 1000) } },
        });
        // Over the endpoint's rate: wait a second or so without counting an attempt.
        if (recent >= endpoint.rateLimitPerSecond) return { status: 'pending', retryInMs: 1000 + Math.round(Math.random() * 1000) };
      }
      const now = platform.clock.now();
      // Take the attempt, when it is due and no other run is sending it: one send per attempt, on the schedule,
      // however many runs of the delivery are going (an activity retried after its timeout, a job taken after a
      // lapsed lease).
      const taken = await platform.db.webhookDelivery.updateMany({
        where: {
          id: delivery.id,
          status: 'pending',
          attempts: delivery.attempts,
          AND: [
            { OR: [{ sendingUntil: null }, { sendingUntil: { lt: now } }] },
            { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(now.getTime() + CLOCK_SLACK_MS) } }] },
          ],
        },
        data: { sendingUntil: new Date(now.getTime() + platform.config.webhooks.timeoutMs + SENDING_MARGIN_MS) },
      });
      if (taken.count === 0) return afterAnotherRun(platform, deliveryId);
      const secrets = [decryptToken(platform.tokenKeys, endpoint.secretCiphertext)];
      if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
        secrets.push(decryptToken(platform.tokenKeys, endpoint.previousSecretCiphertext));
      }
      const headers = webhookHeaders(secrets, delivery.eventId, Math.floor(now.getTime() / 1000), delivery.body);
      const sent = await postWebhook(new URL(endpoint.url), headers, delivery.body, platform.config.webhooks);
      return recordAttempt(platform, delivery, sent);
    },
  };
}
