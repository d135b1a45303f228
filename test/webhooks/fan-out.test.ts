import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { samples } from '../factories/index.js';
import { eventually } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Webhook deliveries at scale on each job engine: one event to 1,000 endpoints while ingestion goes on, and
 * endpoints that never answer (each attempt runs into the real 15 s deadline) beside fast ones.
 */
const ENV = { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true', RATE_LIMIT_MAX: '1000000' };
/**
 * 1,000 on the local runner on PostgreSQL. The embedded single-connection PGlite serialises every query of every
 * delivery, and the Temporal dev server (SQLite) runs about a dozen short workflows a second on this CI machine
 * (README, "Workflows: local runner and Temporal"): they show the same with 200.
 */
const endpointCount = (engine: string, database: string) => (engine === 'local' && database === 'postgres' ? 1000 : 200);

describe.each(jobEngineCases())('webhook fan-out on the $name', ({ engine, database, available }) => {
  const ENDPOINTS = endpointCount(engine, database);
  let t: TestServer;
  let stop: () => Promise<void>;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    if (!available) return;
    ({ t, stop } = await startEngineInstall({ engine, database }, ENV));
  }, 120_000);
  afterAll(async () => {
    await stop?.();
    for (const receiver of receivers) await receiver.close();
  });

  /** Each test in a workspace of its own: its endpoints hear only its events. */
  const aWorkspace = async () => {
    const { workspaceId, adminKey: key } = await t.newWorkspace();
    const api = (method: string, path: string, body?: unknown) => t.api(method, path, { key, ...(body === undefined ? {} : { body }) });
    const user = (await api('POST', '/v1/users', { externalId: 'fan-out' })).body as { id: string };
    const push = (batch: unknown[]) => api('POST', `/v1/users/${user.id}/health`, { samples: batch });
    return { workspaceId, api, push };
  };

  const aReceiver = async (answer: WebhookReceiver['fallback']) => {
    const receiver = await startWebhookReceiver();
    receiver.fallback = answer;
    receivers.push(receiver);
    return receiver;
  };
  /** Registers endpoints over REST, 16 requests at a time, as an app provisioning its tenants would. */
  const endpoints = async (api: Awaited<ReturnType<typeof aWorkspace>>['api'], urls: string[]) => {
    const ids: string[] = [];
    const queue = [...urls];
    const register = async () => {
      for (let url = queue.shift(); url; url = queue.shift()) {
        const response = await api('POST', '/v1/webhooks', { url, eventTypes: ['health_data.ingested'] });
        expect(response.status, JSON.stringify(response.body)).toBe(201);
        ids.push(response.body.id);
      }
    };
    await Promise.all(Array.from({ length: 16 }, register));
    return ids;
  };
  const deliveryCounts = async (workspaceId: string) =>
    t.server.database.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM "WebhookDelivery" WHERE "workspaceId" = $1 GROUP BY status ORDER BY status`,
      [workspaceId],
    );

  it.skipIf(!available)(
    `fans one event out to ${endpointCount(engine, database).toLocaleString('en')} endpoints, each once, while ingestion goes on`,
    async () => {
      // Each answer takes 100 ms, so the fan-out is still going out when the next push comes.
      const { workspaceId, api, push } = await aWorkspace();
      const other = await aWorkspace();
      const receiver = await aReceiver({ status: 200, delayMs: 100 });
      await endpoints(
        api,
        Array.from({ length: ENDPOINTS }, (_, index) => `${receiver.url}/hook/${index}`),
      );
      expect((await push(samples({ for: '30min' }))).status).toBe(201);

      // Ingestion goes on: another app's push is answered while the event's deliveries are still under way.
      expect((await other.push(samples({ for: '30min' }))).status).toBe(201);
      expect(receiver.messages().length).toBeLessThan(ENDPOINTS);

      const messages = await eventually(
        () => receiver.messages(),
        (list) => list.length >= ENDPOINTS,
        240_000,
      );
      await eventually(
        () => deliveryCounts(workspaceId),
        (counts) => counts.every((row) => row.status === 'succeeded'),
      );
      // Every endpoint once, all under the event's one webhook-id.
      expect(messages).toHaveLength(ENDPOINTS);
      expect(new Set(receiver.requests.map((request) => request.path)).size).toBe(ENDPOINTS);
      expect(new Set(messages.map((message) => message.id)).size).toBe(1);
      expect(await deliveryCounts(workspaceId)).toEqual([{ status: 'succeeded', count: ENDPOINTS }]);
    },
    420_000,
  );

  it.skipIf(!available)(
    'delivers to fast endpoints while slow ones hold their attempts open until the 15 s deadline',
    async () => {
      const { api, push } = await aWorkspace();
      // More endpoints that never answer than the local runner has slots for syncs (JOB_CONCURRENCY=2).
      const slow = await aReceiver({ status: 200, delayMs: 60_000 });
      const fast = await aReceiver({ status: 204 });
      const slowIds = await endpoints(
        api,
        Array.from({ length: 5 }, (_, index) => `${slow.url}/hook/${index}`),
      );
      const fastIds = await endpoints(
        api,
        Array.from({ length: 20 }, (_, index) => `${fast.url}/hook/${index}`),
      );
      expect((await push(samples({ for: '10min' }))).status).toBe(201);

      await eventually(
        () => fast.messages(),
        (list) => list.length >= fastIds.length,
      );
      const attempts = async (ids: string[]) =>
        t.server.database.query<{ status: string; attempts: number }>(
          `SELECT d.status, (SELECT count(*)::int FROM "WebhookAttempt" a WHERE a."deliveryId" = d.id) AS attempts
           FROM "WebhookDelivery" d WHERE d."endpointId" = ANY($1::text[])`,
          [`{${ids.join(',')}}`],
        );
      await eventually(
        () => attempts(fastIds),
        (rows) => rows.length === fastIds.length && rows.every((row) => row.status === 'succeeded'),
      );
      // Every fast endpoint has its event while the slow ones' first attempts are still waiting for an answer (a
      // worker may pick the last slow delivery up just after the fast ones).
      await eventually(
        () => slow.requests.length,
        (count) => count === slowIds.length,
        10_000,
      );
      expect(await attempts(slowIds)).toEqual(slowIds.map(() => ({ status: 'pending', attempts: 0 })));
    },
    120_000,
  );
});
