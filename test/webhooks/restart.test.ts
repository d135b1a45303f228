import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { samples } from '../factories/index.js';
import { startChildServer, startChildWorker, stopChildServer, type ChildServer } from '../helpers/child-server.js';
import { eventually } from '../helpers/connect.js';
import { createScratchDatabase, jobEngineCases } from '../helpers/engines.js';
import { temporalEnv } from '../helpers/temporal.js';

/**
 * A pending webhook retry survives a crash: the receiver fails the first attempt, every process of the install
 * (the API server, and on Temporal the worker too) is SIGKILLed while the delivery waits for its 5 s retry, and
 * the install started again delivers the event: the receiver takes it once, under the same webhook-id.
 */
describe.each(jobEngineCases())('a webhook retry across a SIGKILL on the $name', ({ engine, database, available }) => {
  const adminKey = generateKeySecret();
  let env: Record<string, string>;
  let cleanup: () => Promise<void> = async () => undefined;
  let receiver: WebhookReceiver;
  const processes: ChildServer[] = [];
  let port = 0;

  beforeAll(async () => {
    if (!available) return;
    receiver = await startWebhookReceiver();
    env = {
      VITASYNC_ADMIN_KEY: adminKey,
      VITASYNC_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8',
      WEBHOOK_DENY_PUBLIC: 'true',
      JOB_LEASE_SECONDS: '2',
    };
    if (database === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), 'vitasync-webhook-kill-'));
      env.VITASYNC_DATA_DIR = dataDir;
      cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
    } else {
      const scratch = await createScratchDatabase();
      env.DATABASE_URL = scratch.url;
      cleanup = () => scratch.drop();
    }
    if (engine === 'temporal') Object.assign(env, temporalEnv('vitasync-webhook-kill'));
  }, 60_000);
  afterAll(async () => {
    for (const child of processes) await stopChildServer(child, 'SIGKILL');
    await receiver?.close();
    await cleanup();
  });

  /** The install: its API server, and on Temporal a worker beside it. */
  const startInstall = async () => {
    const server = await startChildServer(env);
    processes.push(server);
    port = server.port;
    if (engine === 'temporal') processes.push(await startChildWorker(env));
  };
  const killInstall = async () => {
    for (const child of processes.splice(0)) await stopChildServer(child, 'SIGKILL');
  };
  // No keep-alive: a pooled socket to the killed process would fail the first request to its successor.
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', connection: 'close' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const history = async (webhookId: string) =>
    ((await api('GET', `/webhooks/${webhookId}/deliveries`)).body.data as { attempt: number; status: string; statusCode: number }[])
      .map((row) => [row.attempt, row.status, row.statusCode])
      .sort();

  it.skipIf(!available)(
    'delivers the event after the restart, once, under the same webhook-id',
    async () => {
      await startInstall();
      const webhook = await api('POST', '/webhooks', { url: `${receiver.url}/hook`, eventTypes: ['health_data.ingested'] });
      expect(webhook.status).toBe(201);
      const user = (await api('POST', '/users', { externalId: 'restarted' })).body;
      receiver.answers.push({ status: 500 });
      expect((await api('POST', `/users/${user.id}/health`, { samples: samples() })).status).toBe(201);

      // The first attempt failed and the delivery now waits 5 s (±10%) for its retry: the crash comes then.
      await eventually(
        () => history(webhook.body.id),
        (rows) => rows.length === 1,
      );
      await killInstall();
      expect(receiver.messages()).toHaveLength(1);

      await startInstall();
      const rows = await eventually(
        () => history(webhook.body.id),
        (list) => list.some(([, status]) => status === 'succeeded'),
        90_000,
      );
      expect(rows).toEqual([
        [1, 'failed', 500],
        [2, 'succeeded', 200],
      ]);
      const messages = receiver.messages();
      expect(messages).toHaveLength(2);
      expect(new Set(messages.map((message) => message.id)).size).toBe(1);
      expect(messages.map((message) => message.type)).toEqual(['health_data.ingested', 'health_data.ingested']);
    },
    180_000,
  );
});
