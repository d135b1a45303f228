import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_KEY_REVOKED } from '../../src/server/websocket.js';
import { INSTANCE_PAIRS } from '../helpers/instances.js';
import type { TestServer } from '../helpers/server.js';
import { aUser } from '../factories/index.js';

const SAMPLES = 'subscription ($userId: ID) { healthSamplesIngested(userId: $userId) { inserted } }';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** One subscriber's view: the messages it received and the close code of its socket (null while open). */
interface Stream {
  messages: unknown[];
  closedWith: number | null;
  dispose(): Promise<void>;
}

function subscribe(server: TestServer, key: string, userId: string): Stream {
  const stream: Stream = { messages: [], closedWith: null, dispose: async () => undefined };
  const client = createClient({
    url: server.url.replace(/^http/, 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${key}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => (stream.closedWith = (event as { code: number }).code) },
  });
  client.subscribe(
    { query: SAMPLES, variables: { userId } },
    { next: (m) => stream.messages.push(m), error: () => undefined, complete: () => undefined },
  );
  stream.dispose = () => client.dispose() as Promise<void>;
  return stream;
}

let minute = 0;
async function pushOne(server: TestServer, userId: string): Promise<void> {
  const recordedAt = new Date(Date.UTC(2025, 5, 10, 6) + minute++ * 60_000).toISOString();
  const response = await server.api('POST', `/v1/users/${userId}/health`, {
    body: { samples: [{ metricType: 'heart_rate', value: 60, recordedAt }] },
  });
  expect(response.status).toBe(201);
}

/** Pushes until the stream hears one (graphql-ws does not acknowledge a subscription), then empties it. */
async function untilLive(stream: Stream, server: TestServer, userId: string): Promise<void> {
  for (let attempt = 0; stream.messages.length === 0; attempt++) {
    if (attempt === 100) throw new Error('the subscription never went live');
    await pushOne(server, userId);
    await sleep(50);
  }
  stream.messages.length = 0;
}

for (const setup of INSTANCE_PAIRS) {
  describe.skipIf(setup.skip)(`revoking an API key ends its live streams (${setup.name})`, () => {
    let subscriberSide: TestServer;
    let adminSide: TestServer;
    const streams: Stream[] = [];
    let close: () => Promise<void>;
    // The subscriber on one instance; the key revoked and the data pushed through the other.
    beforeAll(async () => {
      ({ watched: subscriberSide, changed: adminSide, close } = await setup.start());
    });
    afterAll(async () => {
      await Promise.all(streams.map((stream) => stream.dispose()));
      await close?.();
    });

    async function readKey(): Promise<{ id: string; key: string }> {
      const created = await adminSide.api('POST', '/v1/api-keys', { body: { name: 'subscriber', scope: 'read' } });
      expect(created.status).toBe(201);
      return created.body;
    }

    it('closes the sockets of a deleted key with 4403 within seconds, and delivers nothing more', async () => {
      const userId = (await aUser(adminSide)).id;
      const key = await readKey();
      const stream = subscribe(subscriberSide, key.key, userId);
      streams.push(stream);
      await untilLive(stream, adminSide, userId);

      expect((await adminSide.api('DELETE', `/v1/api-keys/${key.id}`)).status).toBe(204);
      await waitUntil(() => stream.closedWith !== null, 'the socket to close');
      expect(stream.closedWith).toBe(CLOSE_KEY_REVOKED);
      await pushOne(adminSide, userId);
      await sleep(300);
      expect(stream.messages).toEqual([]);
    });

    it('keeps a rotated key streaming through its grace period and closes it with 4403 when the grace ends', async () => {
      const userId = (await aUser(adminSide)).id;
      const key = await readKey();
      const stream = subscribe(subscriberSide, key.key, userId);
      streams.push(stream);
      await untilLive(stream, adminSide, userId);

      const rotated = await adminSide.api('POST', `/v1/api-keys/${key.id}/rotate`, { body: { gracePeriodSeconds: 3 } });
      expect(rotated.status).toBe(201);
      await pushOne(adminSide, userId);
      await waitUntil(() => stream.messages.length === 1, 'a message within the grace period');
      expect(stream.closedWith).toBeNull();
      await waitUntil(() => stream.closedWith !== null, 'the socket to close at the end of the grace period');
      expect(stream.closedWith).toBe(CLOSE_KEY_REVOKED);
    });
  });
}
