import { execFileSync } from 'node:child_process';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES } from '../../src/domain-events/catalogue.js';
import { emit, type NewDomainEvent } from '../../src/domain-events/emit.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { eventually } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Webhook deliveries end to end on each job engine: the outbox relay fans events out to endpoints, the delivery
 * workflow signs and sends them to a local receiver, and the receiver's failures follow the retry schedule
 * (scaled down 1,000×: 5 ms, 300 ms, 1.8 s…). Signatures are checked with the specification's own library.
 */
const ENV = {
  WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
  WEBHOOK_DENY_PUBLIC: 'true',
  WEBHOOK_RETRY_SCALE: '0.001',
  WEBHOOK_TIMEOUT_MS: '1000',
};

/** The venv python with PyPI's standardwebhooks (scripts/services.sh installs it; .ci/run exports it). */
const pythonVerifier = process.env.TEST_PYTHON_STANDARDWEBHOOKS ?? null;

/** Enough of the real payloads' shape for the live-updates consumer, which reads a few fields of some types. */
const LIVE_SAFE = { userId: 'u', inserted: 0, updated: 0, metrics: [] };

/** Whether the receiver has every event sent (retries may have brought some twice). */
const hasAll = (sent: { id: string }[]) => (messages: { id: string }[]) => {
  const ids = new Set(messages.map((message) => message.id));
  return sent.every((event) => ids.has(event.id));
};

describe.each(jobEngineCases())('webhook deliveries on the $name', ({ engine, database, available }) => {
  let t: TestServer;
  let stop: () => Promise<void>;
  let workspaceId: string;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    if (!available) return;
    ({ t, stop } = await startEngineInstall({ engine, database }, ENV));
    workspaceId = (await t.graphql('{ workspace { id } }')).body.data.workspace.id;
  }, 120_000);
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await stop?.();
  });

  const aReceiver = async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    return receiver;
  };
  const anEndpoint = async (receiver: WebhookReceiver, body: Record<string, unknown> = {}) => {
    const response = await t.api('POST', '/v1/webhooks', { body: { url: `${receiver.url}/hook`, ...body } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string; secret: string };
  };
  const emitted = async (events: Omit<NewDomainEvent, 'workspaceId' | 'occurredAt'>[]) => {
    await t.server.database.transaction((tx) =>
      emit(
        tx,
        events.map((event) => ({ ...event, workspaceId, occurredAt: new Date() })),
      ),
    );
    const ids = await t.server.database.query<{ id: string; type: string }>(
      `SELECT id, type FROM "DomainEvent" WHERE "workspaceId" = $1 ORDER BY sequence DESC LIMIT $2`,
      [workspaceId, events.length],
    );
    return ids.reverse();
  };
  const attempts = async (webhookId: string, query = '') =>
    (await t.api('GET', `/v1/webhooks/${webhookId}/deliveries?limit=500${query}`)).body;

  it.skipIf(!available)(
    'delivers every event type of the catalogue, each signed so that the standardwebhooks library verifies it',
    async () => {
      const receiver = await aReceiver();
      const endpoint = await anEndpoint(receiver, { eventTypes: DOMAIN_EVENT_TYPES.map((info) => info.type) });
      const sent = await emitted(
        DOMAIN_EVENT_TYPES.map((info, index) => ({ type: info.type, payload: { marker: `m${index}`, ...LIVE_SAFE } })),
      );
      const messages = await eventually(() => receiver.messages(), hasAll(sent));
      // Delivery is at least once: an attempt that timed out on a loaded machine is sent again, same webhook-id.
      expect(new Set(messages.map((message) => message.id))).toEqual(new Set(sent.map((event) => event.id)));
      const verifier = new Webhook(endpoint.secret);
      for (const event of sent) {
        const message = messages.find((candidate) => candidate.id === event.id);
        expect(message, event.type).toBeDefined();
        const verified = verifier.verify(message!.body, {
          'webhook-id': message!.id,
          'webhook-timestamp': message!.timestamp,
          'webhook-signature': message!.signature,
        }) as { type: string; timestamp: string; data: { marker: string } };
        expect(verified.type).toBe(event.type);
        expect(verified.data.marker).toMatch(/^m\d+$/);
        expect(Date.parse(verified.timestamp)).not.toBeNaN();
      }
      // A changed body or another secret fails verification.
      const first = messages[0]!;
      const headers = { 'webhook-id': first.id, 'webhook-timestamp': first.timestamp, 'webhook-signature': first.signature };
      expect(() => verifier.verify(first.body.replace('"m', '"x'), headers)).toThrow();
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(first.body, headers)).toThrow();
    },
    120_000,
  );

  it.skipIf(!available || !pythonVerifier)(
    'has every event type of the catalogue verified by the Python standardwebhooks package too (TEST_PYTHON_STANDARDWEBHOOKS)',
    async () => {
      const receiver = await aReceiver();
      const endpoint = await anEndpoint(receiver, { eventTypes: DOMAIN_EVENT_TYPES.map((info) => info.type) });
      const sent = await emitted(
        DOMAIN_EVENT_TYPES.map((info, index) => ({ type: info.type, payload: { marker: `p${index}`, ...LIVE_SAFE } })),
      );
      // Only this test's events: one the relay fanned out after this endpoint appeared may come too.
      const ours = new Set(sent.map((event) => event.id));
      const messages = (await eventually(() => receiver.messages(), hasAll(sent))).filter((message) => ours.has(message.id));
      const output = execFileSync(pythonVerifier!, ['test/fakes/verify_standard_webhooks.py'], {
        input: JSON.stringify({ secret: endpoint.secret, messages }),
        encoding: 'utf8',
      });
      const result = JSON.parse(output) as { verified: string[]; refused: Record<string, string>; tamperedAccepted: string[] };
      expect(result.refused).toEqual({});
      expect(result.tamperedAccepted).toEqual([]);
      expect([...new Set(result.verified)].sort()).toEqual(sent.map((event) => event.id).sort());
    },
    120_000,
  );

  it.skipIf(!available)(
    'retries a receiver that fails (500, no answer in time) on the schedule, and lists every attempt in the history',
    async () => {
      const receiver = await aReceiver();
      receiver.answers.push({ status: 500, body: 'x'.repeat(5000) }, { status: 200, delayMs: 1500 });
      const endpoint = await anEndpoint(receiver, { eventTypes: ['user.updated'] });
      const [event] = await emitted([{ type: 'user.updated', payload: { id: 'u1' } }]);
      const history = await eventually(
        () => attempts(endpoint.id),
        (page) => page.data?.some((row: { status: string }) => row.status === 'succeeded'),
      );
      expect(
        history.data.map((row: { attempt: number; status: string; statusCode: number | null }) => [
          row.attempt,
          row.status,
          row.statusCode,
        ]),
      ).toEqual([
        [1, 'failed', 500],
        [2, 'failed', null],
        [3, 'succeeded', 200],
      ]);
      const [first, second, third] = history.data;
      expect(first).toMatchObject({ eventId: event!.id, eventType: 'user.updated', error: 'the endpoint answered HTTP 500' });
      expect(first.responseExcerpt).toHaveLength(1024);
      // The next attempt came when the first said it would (5 s scaled to 5 ms, ±10%), not before.
      expect(Date.parse(second.createdAt)).toBeGreaterThanOrEqual(Date.parse(first.nextRetryAt));
      expect(second.error).toMatch(/no answer within 1000 ms/);
      expect(second.durationMs).toBeGreaterThanOrEqual(900);
      expect(third.nextRetryAt).toBeNull();
      // The same webhook-id on every attempt, so the receiver can deduplicate.
      expect(new Set(receiver.messages().map((message) => message.id))).toEqual(new Set([event!.id]));
      // Filters, and both pagination styles.
      expect((await attempts(endpoint.id, '&status=failed')).data.map((row: { attempt: number }) => row.attempt)).toEqual([1, 2]);
      expect((await attempts(endpoint.id, '&eventType=user.created')).data).toEqual([]);
      const firstPage = (await t.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=2&offset=0`)).body;
      expect(firstPage).toMatchObject({ total: 3, offset: 0, limit: 2 });
      const next = (await t.api('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${firstPage.nextCursor}`)).body;
      expect(next.data.map((row: { attempt: number }) => row.attempt)).toEqual([3]);
      expect(next.nextCursor).toBeNull();
    },
    120_000,
  );

  it.skipIf(!available)(
    'disables an endpoint that answers 410 Gone at once and announces it with webhook.disabled',
    async () => {
      const gone = await aReceiver();
      gone.fallback = { status: 410 };
      const watcher = await aReceiver();
      const endpoint = await anEndpoint(gone, { eventTypes: ['user.deleted'] });
      await anEndpoint(watcher, { eventTypes: ['webhook.disabled'] });
      await emitted([{ type: 'user.deleted', payload: { id: 'u2' } }]);
      const notice = await eventually(
        () => watcher.messages(),
        (list) => list.length > 0,
      );
      expect(JSON.parse(notice[0]!.body).data).toMatchObject({ webhookId: endpoint.id, reason: 'the endpoint answered 410 Gone' });
      const after = (await t.api('GET', `/v1/webhooks/${endpoint.id}`)).body;
      expect(after).toMatchObject({ enabled: false, disabledReason: 'the endpoint answered 410 Gone' });
      expect((await attempts(endpoint.id)).data).toHaveLength(1);
      expect(gone.messages()).toHaveLength(1);
    },
    120_000,
  );

  it.skipIf(!available)(
    'signs with both the new and the old secret during a rotation’s grace period',
    async () => {
      const receiver = await aReceiver();
      const endpoint = await anEndpoint(receiver, { eventTypes: ['user.created'] });
      const rotated = await t.api('POST', `/v1/webhooks/${endpoint.id}/rotate-secret`, { body: { gracePeriodSeconds: 3600 } });
      expect(rotated.status).toBe(201);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      await emitted([{ type: 'user.created', payload: { id: 'u3' } }]);
      const [message] = await eventually(
        () => receiver.messages(),
        (list) => list.length > 0,
      );
      expect(message!.signature.split(' ')).toHaveLength(2);
      const headers = { 'webhook-id': message!.id, 'webhook-timestamp': message!.timestamp, 'webhook-signature': message!.signature };
      for (const secret of [endpoint.secret, rotated.body.secret])
        expect(() => new Webhook(secret).verify(message!.body, headers)).not.toThrow();
    },
    120_000,
  );

  it.skipIf(!available)(
    'redelivers one event, and recovers what failed while the endpoint was down',
    async () => {
      const receiver = await aReceiver();
      receiver.fallback = { status: 503 };
      const endpoint = await anEndpoint(receiver, { eventTypes: ['sync.failed'] });
      const since = new Date(Date.now() - 1000).toISOString();
      const [event] = await emitted([{ type: 'sync.failed', payload: { connectionId: 'c1' } }]);
      await eventually(
        () => attempts(endpoint.id),
        (page) => page.data.length >= 2,
      );
      // Taken down by hand: its pending retry finds it disabled and the delivery fails.
      await t.api('PATCH', `/v1/webhooks/${endpoint.id}`, { body: { enabled: false } });
      await eventually(
        () => t.server.database.prisma.webhookDelivery.findMany({ where: { endpointId: endpoint.id } }),
        (rows) => rows.every((row) => row.status === 'failed'),
      );
      receiver.fallback = { status: 204 };
      expect((await t.api('PATCH', `/v1/webhooks/${endpoint.id}`, { body: { enabled: true } })).body.enabled).toBe(true);
      const recovered = await t.api('POST', `/v1/webhooks/${endpoint.id}/recover`, { body: { since } });
      expect(recovered.status).toBe(202);
      expect(recovered.body.map((row: { eventId: string }) => row.eventId)).toEqual([event!.id]);
      await eventually(
        () => attempts(endpoint.id, '&status=succeeded'),
        (page) => page.data.length === 1,
      );
      const redelivered = await t.api('POST', `/v1/webhooks/${endpoint.id}/redeliver`, { body: { eventId: event!.id } });
      expect(redelivered.status).toBe(202);
      await eventually(
        () => attempts(endpoint.id, '&status=succeeded'),
        (page) => page.data.length === 2,
      );
      expect(new Set(receiver.messages().map((message) => message.id))).toEqual(new Set([event!.id]));
      expect((await t.api('POST', `/v1/webhooks/${endpoint.id}/redeliver`, { body: { eventId: 'nope' } })).status).toBe(404);
    },
    120_000,
  );
});
