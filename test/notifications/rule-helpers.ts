import { expect } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import type { TestServer } from '../helpers/server.js';

/** A user's ntfy channel on a local receiver: the simplest format to read back (title, message, priority). */
export async function anNtfyChannel(t: TestServer, userId: string): Promise<{ id: string; receiver: WebhookReceiver }> {
  const receiver = await startWebhookReceiver();
  const created = await t.api('POST', `/v1/users/${userId}/notifications/channels`, {
    body: { type: 'ntfy', name: 'phone', settings: { serverUrl: receiver.url, topic: 'alerts' } },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { id: created.body.id, receiver };
}

/** Creates a rule over REST, asserting the 201. */
export async function aRule(t: TestServer, userId: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const created = await t.api('POST', `/v1/users/${userId}/notifications/rules`, { body: { name: 'a rule', ...body } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** The ntfy messages a receiver got: title, message, priority, tags. */
export const ntfyMessages = (receiver: WebhookReceiver) =>
  receiver.requests.map((request) => JSON.parse(request.body) as { title: string; message: string; priority: number; tags: string[] });

/**
 * Waits (local runner) until every domain event is dispatched and every notification job has finished, so a test
 * can assert that something was *not* sent.
 */
export async function settled(t: TestServer): Promise<void> {
  const db = t.server.database.prisma;
  for (let i = 0; i < 200; i++) {
    const backlog = await db.domainEvent.count({ where: { dispatchedAt: null } });
    const running = await db.job.count({
      where: { workflow: { in: ['notifyRule', 'notificationDigest'] }, status: { notIn: ['completed', 'failed'] } },
    });
    if (backlog === 0 && running === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('notifications did not settle in 20 s');
}

/** Waits until the receiver has `count` requests. */
export async function received(receiver: WebhookReceiver, count: number, timeoutMs = 20_000): Promise<void> {
  for (let waited = 0; receiver.requests.length < count; waited += 100) {
    if (waited > timeoutMs) throw new Error(`the receiver got ${receiver.requests.length} of ${count} requests in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
