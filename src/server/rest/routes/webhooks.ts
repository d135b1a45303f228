import { inArea, route } from './route.js';

const CREATE_WEBHOOK_EXAMPLE = {
  url: 'https://app.example.com/hooks/vitasync',
  eventTypes: ['health_data.ingested', 'sync.failed'],
  description: 'production backend',
  rateLimitPerSecond: 50,
};

/** Webhook endpoints, their delivery history, and the redelivery and recovery beside the contract. */
export const WEBHOOK_ROUTES = inArea('Webhooks', [
  route('POST /webhooks', 'Mutation.createWebhook', 'admin', 'Register a webhook endpoint', { example: CREATE_WEBHOOK_EXAMPLE }),
  route('GET /webhooks', 'Query.webhooks', 'admin', 'List webhooks'),
  route('GET /webhooks/:webhookId', 'Query.webhook', 'admin', 'Get a webhook'),
  route('PATCH /webhooks/:webhookId', 'Mutation.updateWebhook', 'admin', 'Update webhook settings', { example: { enabled: true } }),
  route('DELETE /webhooks/:webhookId', 'Mutation.deleteWebhook', 'admin', 'Delete a webhook'),
  route('GET /webhooks/:webhookId/deliveries', 'Query.webhookDeliveries', 'admin', 'Delivery history'),
  route('POST /webhooks/:webhookId/rotate-secret', 'Mutation.rotateWebhookSecret', 'admin', 'Rotate the signing secret', {
    example: { gracePeriodSeconds: 86400 },
    beyondContract: true,
  }),
  route('POST /webhooks/:webhookId/redeliver', 'Mutation.redeliverWebhookEvent', 'admin', 'Send one event again', {
    status: 202,
    example: { eventId: '01JZ0000000000000000000000' },
    beyondContract: true,
  }),
  route('POST /webhooks/:webhookId/recover', 'Mutation.recoverWebhook', 'admin', 'Send again what failed since a time', {
    status: 202,
    example: { since: '2025-06-15T09:00:00.000Z' },
    beyondContract: true,
  }),
]);
