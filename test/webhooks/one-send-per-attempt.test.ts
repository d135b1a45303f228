import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { ServiceContext } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { newId } from '../../src/lib/ids.js';
import { createDeliveryActivities } from '../../src/webhooks/delivery-activities.js';
import { createWebhook } from '../../src/webhooks/endpoints.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { engineAvailable, ENGINES } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

/**
 * Each webhook attempt is taken before it is sent. Two runs of one delivery at once — the attempt activity retried
 * while its first try still waits on the receiver (Temporal runs activities at least once), or a job taken by a
 * second process after a lapsed lease: the receiver gets the attempt once, one attempt is recorded, and the second
 * run waits for the first instead of sending. An attempt over its endpoint's rate is given back, uncounted.
 */
describe.each(ENGINES)('webhook attempts taken one at a time, on %s', (engine) => {
  let database: Database;
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  let receiver: WebhookReceiver;

  beforeEach(async () => {
    if (!engineAvailable(engine)) return;
    receiver = await startWebhookReceiver();
    const loaded = loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true', WEBHOOK_TIMEOUT_MS: '2000' });
    // The platform's own runner runs nothing: the test calls the activity itself.
    ({ database, ctx, close } = await openEnginePlatform(engine, {
      webhooks: loaded.webhooks,
      jobs: { ...loaded.jobs, concurrency: 0, outboundConcurrency: 0 },
    }));
  });
  afterEach(async () => {
    await close?.();
    await receiver?.close();
  });

  const aPendingDelivery = async (endpoint?: { id: string }) => {
    endpoint ??= await createWebhook(ctx, { url: `${receiver.url}/hook` });
    const id = newId();
    await database.prisma.webhookDelivery.create({
      data: {
        id,
        workspaceId: ctx.workspaceId,
        endpointId: endpoint.id,
        eventId: newId(),
        eventType: 'user.created',
        body: JSON.stringify({ type: 'user.created', timestamp: new Date().toISOString(), data: {} }),
        nextAttemptAt: new Date(),
      },
    });
    return id;
  };

  it.skipIf(!engineAvailable(engine))('sends the attempt once and records it once', async () => {
    const deliveryId = await aPendingDelivery();
    receiver.answers.push({ status: 200, delayMs: 400 });
    const activities = createDeliveryActivities(ctx);
    const outcomes = await Promise.all([activities.attemptDelivery({ deliveryId }), activities.attemptDelivery({ deliveryId })]);

    expect(receiver.messages()).toHaveLength(1);
    const attempts = await database.prisma.webhookAttempt.findMany({ where: { deliveryId } });
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([[1, 'succeeded']]);
    // The run that lost waits about as long as the send may take, then finds the delivery done.
    const waiting = outcomes.find((outcome) => outcome.status === 'pending')!;
    expect(waiting.retryInMs).toBeGreaterThan(2000);
    expect(outcomes.filter((outcome) => outcome.status === 'succeeded')).toHaveLength(1);
    expect(await activities.attemptDelivery({ deliveryId })).toEqual({ status: 'succeeded', retryInMs: null });
    expect(receiver.messages()).toHaveLength(1);
  });

  it.skipIf(!engineAvailable(engine))('lets the second run take the next attempt only, on its schedule', async () => {
    const deliveryId = await aPendingDelivery();
    receiver.answers.push({ status: 500, delayMs: 400 });
    const activities = createDeliveryActivities(ctx);
    const [first, second] = await Promise.all([
      activities.attemptDelivery({ deliveryId }),
      new Promise((resolve) => setTimeout(resolve, 100)).then(() => activities.attemptDelivery({ deliveryId })),
    ]);
    expect(first.status).toBe('pending');
    expect(second.status).toBe('pending');
    expect(receiver.messages()).toHaveLength(1);

    // The first run recorded attempt 1 (retry in about 5 s); the second, asking again now, is told to wait for it.
    const again = await activities.attemptDelivery({ deliveryId });
    expect(again.status).toBe('pending');
    expect(again.retryInMs).toBeGreaterThan(3000);
    expect(receiver.messages()).toHaveLength(1);
    const attempts = await database.prisma.webhookAttempt.findMany({ where: { deliveryId } });
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.statusCode])).toEqual([[1, 'failed', 500]]);
  });

  it.skipIf(!engineAvailable(engine))('gives an attempt over the endpoint’s rate back uncounted, and sends it after the wait', async () => {
    const endpoint = await createWebhook(ctx, { url: `${receiver.url}/hook`, rateLimitPerSecond: 1 });
    const [first, second] = [await aPendingDelivery(endpoint), await aPendingDelivery(endpoint)];
    const activities = createDeliveryActivities(ctx);
    expect(await activities.attemptDelivery({ deliveryId: first })).toEqual({ status: 'succeeded', retryInMs: null });

    const over = await activities.attemptDelivery({ deliveryId: second });
    expect(over.status).toBe('pending');
    expect(over.retryInMs).toBeGreaterThanOrEqual(1000);
    expect(over.retryInMs).toBeLessThanOrEqual(2000);
    expect(receiver.messages()).toHaveLength(1);
    expect(await database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: second } })).toMatchObject({
      attempts: 0,
      sendingUntil: null,
    });

    await new Promise((resolve) => setTimeout(resolve, over.retryInMs!));
    expect(await activities.attemptDelivery({ deliveryId: second })).toEqual({ status: 'succeeded', retryInMs: null });
    expect(receiver.messages()).toHaveLength(2);
  });
});
