import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { postgresUrl, redisUrl } from '../helpers/engines.js';
import { startAnotherInstance } from '../helpers/instances.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey, asKey, aUser } from '../factories/index.js';

const SAMPLES =
  'subscription ($userId: ID) { healthSamplesIngested(userId: $userId) { userId source inserted metrics { metricType inserted } at } }';
const EVENTS =
  'subscription ($userId: ID) { healthEventIngested(userId: $userId) { id userId type subtype durationSeconds distance source } }';
const RECORDS =
  'subscription ($userId: ID) { personalRecordSet(userId: $userId) { userId metricType kind qualifier value unit previousValue eventId } }';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The messages and errors one subscription has received so far. */
interface Feed {
  messages: any[];
  errors: unknown[];
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (minute: number) => new Date(Date.UTC(2025, 5, 10, 6) + minute * 60_000).toISOString();
const heartRate = (minute: number, bpm = 60) => ({ metricType: 'heart_rate', value: bpm, recordedAt: at(minute) });
const workout = (subtype: string, minute: number, minutes: number, distance?: number) => ({
  type: 'workout',
  subtype,
  startAt: at(minute),
  endAt: at(minute + minutes),
  distance,
});

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Connects graphql-ws clients to test servers and closes them all at the end. */
function subscriber() {
  const clients: Client[] = [];
  const listen = (server: TestServer, key: string, query: string, variables: Record<string, unknown> = {}): Feed => {
    const client = createClient({
      url: server.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const feed: Feed = { messages: [], errors: [], stop: () => undefined };
    feed.stop = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (result) => (result.data ? feed.messages.push(Object.values(result.data)[0]) : feed.errors.push(result.errors)),
        error: (error) => feed.errors.push(error),
        complete: () => undefined,
      },
    );
    return feed;
  };
  /**
   * graphql-ws does not acknowledge a subscription, so poke (push something new) until every feed has heard
   * something: from then on they are live. The feeds are emptied afterwards.
   */
  const untilLive = async (feeds: Feed[], poke: (attempt: number) => Promise<void>) => {
    for (let attempt = 0; !feeds.every((feed) => feed.messages.length > 0); attempt++) {
      if (attempt === 100) throw new Error(`subscriptions never went live: ${JSON.stringify(feeds.map((feed) => feed.errors))}`);
      await poke(attempt);
      await sleep(50);
    }
    await sleep(50);
    for (const feed of feeds) {
      expect(feed.errors).toEqual([]);
      feed.messages.length = 0;
    }
  };
  const close = () => Promise.all(clients.map((client) => client.dispose()));
  return { listen, untilLive, close };
}

async function push(t: TestServer, userId: string, kind: 'health' | 'events', body: Record<string, unknown>, key?: string): Promise<any> {
  const response = await t.api('POST', `/v1/users/${userId}/${kind}`, { key, body });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

describe('live health updates over graphql-ws', () => {
  let t: TestServer;
  const ws = subscriber();
  // Warm-up samples sit far before the test's own, so they never collide with them.
  const warmUpSamples = (userId: string, key?: string) => async (attempt: number) => {
    await push(t, userId, 'health', { source: 'warmup', samples: [heartRate(-10_000 - attempt)] }, key);
  };
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(async () => {
    await ws.close();
    await t?.close();
  });

  it("delivers one message with the inserted count and metric types for a push to the subscribed user, and none for another user's", async () => {
    const reader = (await aKey(t, { scope: 'read' })).key;
    const userId = (await aUser(t)).id;
    const otherUser = (await aUser(t)).id;
    const feed = ws.listen(t, reader, SAMPLES, { userId });
    try {
      await ws.untilLive([feed], warmUpSamples(userId));
      await push(t, otherUser, 'health', { samples: [heartRate(0)] });
      const before = Date.now();
      const pushed = await push(t, userId, 'health', {
        source: 'healthkit',
        samples: [heartRate(0), heartRate(1), { metricType: 'steps', value: 400, recordedAt: at(0) }, heartRate(2, 900)],
      });
      expect(pushed).toMatchObject({ inserted: 3, duplicates: 0 });
      await waitUntil(() => feed.messages.length >= 1, 'the samples message');
      const [message] = feed.messages;
      expect(message).toEqual({ userId, source: 'healthkit', inserted: 3, metrics: expect.any(Array), at: expect.stringMatching(ISO_UTC) });
      expect(message.metrics).toHaveLength(2);
      expect(message.metrics).toEqual(
        expect.arrayContaining([
          { metricType: 'heart_rate', inserted: 2 },
          { metricType: 'steps', inserted: 1 },
        ]),
      );
      expect(Date.parse(message.at)).toBeGreaterThanOrEqual(before - 1000);

      // A later push arrives as the next message: nothing else (the bystander's push) came in between.
      await push(t, userId, 'health', { samples: [heartRate(5)] });
      await waitUntil(() => feed.messages.length >= 2, 'the second message');
      expect(feed.messages.map((m) => [m.source, m.inserted])).toEqual([
        ['healthkit', 3],
        ['api', 1],
      ]);
      expect(feed.errors).toEqual([]);
    } finally {
      feed.stop();
    }
  });

  it('delivers nothing for a push of duplicates only', async () => {
    const userId = (await aUser(t)).id;
    const feed = ws.listen(t, t.adminKey, SAMPLES, { userId });
    try {
      await ws.untilLive([feed], warmUpSamples(userId));
      const batch = { samples: [heartRate(0), heartRate(1)] };
      await push(t, userId, 'health', batch);
      await waitUntil(() => feed.messages.length >= 1, 'the first push');
      expect(await push(t, userId, 'health', batch)).toMatchObject({ inserted: 0, duplicates: 2 });
      await push(t, userId, 'health', { samples: [heartRate(2)] });
      await waitUntil(() => feed.messages.length >= 2, 'the push after the duplicates');
      await sleep(100);
      expect(feed.messages.map((m) => m.inserted)).toEqual([2, 1]);
    } finally {
      feed.stop();
    }
  });

  it('delivers the pushed event and the personal records it set', async () => {
    const userId = (await aUser(t)).id;
    const events = ws.listen(t, t.adminKey, EVENTS, { userId });
    const records = ws.listen(t, t.adminKey, RECORDS, { userId });
    try {
      // Each warm-up walk is longer than the last, so it also sets a record.
      await ws.untilLive([events, records], (attempt) =>
        push(t, userId, 'events', { events: [workout('walking', -10_000 + attempt * 200, 1 + attempt)] }),
      );
      const pushed = await push(t, userId, 'events', { events: [workout('Running', 0, 50, 10_000)] });
      expect(pushed).toMatchObject({ inserted: 1, updated: 0 });
      await waitUntil(() => events.messages.length >= 1 && records.messages.length >= 3, 'the event and its records');
      const [stored] = (await t.api('GET', `/v1/users/${userId}/events?type=workout&from=${at(0)}`)).body.data;
      expect(events.messages).toEqual([
        { id: stored.id, userId, type: 'workout', subtype: 'running', durationSeconds: 3000, distance: 10_000, source: 'api' },
      ]);
      const recordOf = (kind: string, value: number, unit: string) => ({
        userId,
        metricType: 'workout',
        kind,
        qualifier: 'running',
        value,
        unit,
        previousValue: null,
        eventId: stored.id,
      });
      expect(records.messages.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
        recordOf('fastest_speed', 10_000 / 3000, 'm/s'),
        recordOf('longest_distance', 10_000, 'm'),
        recordOf('longest_duration', 3000, 's'),
      ]);
    } finally {
      events.stop();
      records.stop();
    }
  });

  it("tells a subscriber of another workspace nothing of this workspace's pushes", async () => {
    const other = await t.newWorkspace('Live neighbours');
    const ours = (await aUser(t)).id;
    const theirs = (await aUser(asKey(t, other.adminKey))).id;
    const feeds = [SAMPLES, EVENTS, RECORDS].map((query) => ws.listen(t, other.adminKey, query));
    const pokeTheirs = async (attempt: number) => {
      await push(t, theirs, 'health', { samples: [heartRate(-10_000 - attempt)] }, other.adminKey);
      await push(t, theirs, 'events', { events: [workout('walking', -10_000 + attempt * 200, 1 + attempt)] }, other.adminKey);
    };
    try {
      await ws.untilLive(feeds, pokeTheirs);
      await push(t, ours, 'health', { samples: [heartRate(0), { metricType: 'resting_heart_rate', value: 48, recordedAt: at(0) }] });
      await push(t, ours, 'events', { events: [workout('running', 0, 30, 5000)] });
      // Their own next push arrives after anything ours could have leaked.
      await pokeTheirs(1000);
      await waitUntil(() => feeds.every((feed) => feed.messages.length >= 1), "the neighbour's own updates");
      await sleep(100);
      for (const feed of feeds) {
        expect(feed.errors).toEqual([]);
        expect(feed.messages.map((m) => m.userId)).toEqual(feed.messages.map(() => theirs));
      }
    } finally {
      for (const feed of feeds) feed.stop();
    }
  });
});

describe.skipIf(!redisUrl || !postgresUrl)('live health updates across two instances sharing Redis', () => {
  let first: TestServer;
  let second: TestServer;
  const ws = subscriber();
  beforeAll(async () => {
    first = await startTestServer('postgres', { redisUrl });
    second = await startAnotherInstance(first);
  });
  afterAll(async () => {
    await ws.close();
    await second?.close();
    await first?.close();
  });

  it('delivers to a subscriber on one instance the samples pushed through the other, once', async () => {
    const userId = (await aUser(first)).id;
    const feed = ws.listen(first, first.adminKey, SAMPLES, { userId });
    try {
      await ws.untilLive([feed], async (attempt) => {
        await push(second, userId, 'health', { source: 'warmup', samples: [heartRate(-10_000 - attempt)] });
      });
      await push(second, userId, 'health', { source: 'health_connect', samples: [heartRate(0), heartRate(1), heartRate(2)] });
      await waitUntil(() => feed.messages.length >= 1, 'the message from the other instance');
      expect(feed.messages[0]).toEqual({
        userId,
        source: 'health_connect',
        inserted: 3,
        metrics: [{ metricType: 'heart_rate', inserted: 3 }],
        at: expect.stringMatching(ISO_UTC),
      });

      // A push through the subscriber's own instance also arrives, and neither arrives twice.
      await push(first, userId, 'health', { samples: [heartRate(3)] });
      await waitUntil(() => feed.messages.length >= 2, 'the message from the same instance');
      await sleep(200);
      expect(feed.messages.map((m) => [m.source, m.inserted])).toEqual([
        ['health_connect', 3],
        ['api', 1],
      ]);
    } finally {
      feed.stop();
    }
  });
});
