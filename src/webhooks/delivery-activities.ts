import type { AttemptOutcome, DeliveryActivities } from '../../workflows/delivery.js';
import { decryptToken } from '../connections/token-crypto.js';
import type { Platform } from '../jobs/platform.js';
import { recordAttempt } from './record-attempt.js';
import { postWebhook } from './send.js';
import { webhookHeaders } from './signing.js';

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
