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
 * The attempt was not taken. The delivery is gone (its endpoint was deleted) or done: that is the answer. Or another
 * run is sending it, or it is not due yet: nothing is sent, and this run waits for the end of that send or for the
 * due time (and takes that attempt only if it wins it then).
 */
async function notTaken(platform: Platform, deliveryId: string): Promise<AttemptOutcome> {
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
      const now = platform.clock.now();
      // Take the attempt (and read the delivery in the same statement), when it is due and no other run is sending
      // it: one send per attempt, on the schedule, however many runs of the delivery are going (an activity retried
      // after its timeout, a job taken after a lapsed lease).
      const [delivery] = await platform.db.webhookDelivery.updateManyAndReturn({
        where: {
          id: deliveryId,
          status: 'pending',
          AND: [
            { OR: [{ sendingUntil: null }, { sendingUntil: { lt: now } }] },
            { OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: new Date(now.getTime() + CLOCK_SLACK_MS) } }] },
          ],
        },
        data: { sendingUntil: new Date(now.getTime() + platform.config.webhooks.timeoutMs + SENDING_MARGIN_MS) },
      });
      if (!delivery) return notTaken(platform, deliveryId);
      const endpoint = await platform.db.webhookEndpoint.findUnique({ where: { id: delivery.endpointId } });
      // Deleted a moment ago (its deliveries with it): nothing to send.
      if (!endpoint) return { status: 'failed', retryInMs: null };
      if (!endpoint.enabled) {
        await platform.db.webhookDelivery.update({
          where: { id: delivery.id },
          data: { status: 'failed', nextAttemptAt: null, sendingUntil: null },
        });
        return { status: 'failed', retryInMs: null };
      }
      if (endpoint.rateLimitPerSecond) {
        const recent = await platform.db.webhookAttempt.count({
          where: { endpointId: endpoint.id, createdAt: { gt: new Date(now.getTime() - 1000) } },
        });
        // Over the endpoint's rate: give the attempt back and wait a second or so, without counting an attempt.
        if (recent >= endpoint.rateLimitPerSecond) {
          await platform.db.webhookDelivery.update({ where: { id: delivery.id }, data: { sendingUntil: null } });
          return { status: 'pending', retryInMs: 1000 + Math.round(Math.random() * 1000) };
        }
      }
      const secrets = [decryptToken(platform.tokenKeys, endpoint.secretCiphertext)];
      if (endpoint.previousSecretCiphertext && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > now) {
        secrets.push(decryptToken(platform.tokenKeys, endpoint.previousSecretCiphertext));
      }
      const headers = webhookHeaders(secrets, delivery.eventId, Math.floor(now.getTime() / 1000), delivery.body);
      const sent = await postWebhook(new URL(endpoint.url), headers, delivery.body, platform.config.webhooks);
      return recordAttempt(platform, { ...delivery, endpoint }, sent);
    },
  };
}
