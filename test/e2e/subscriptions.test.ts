import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey } from '../factories/index.js';

const USER_CHANGED = 'subscription { userChanged { action userId externalId at } }';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface UserChange {
  action: 'created' | 'updated' | 'deleted';
  userId: string;
  externalId: string;
  at: string;
}

/** The events and errors one subscription has received so far. */
interface Feed {
  events: UserChange[];
  errors: unknown[];
  stop(): void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('userChanged subscription over graphql-ws', () => {
  let t: TestServer;
  const clients: Client[] = [];

  const connect = (connectionParams: Record<string, unknown>) => {
    const client = createClient({
      url: t.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams,
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };

  function listen(client: Client): Feed {
    const feed: Feed = { events: [], errors: [], stop: () => undefined };
    feed.stop = client.subscribe<{ userChanged: UserChange }>(
      { query: USER_CHANGED },
      {
        next: (result) => (result.data ? feed.events.push(result.data.userChanged) : feed.errors.push(result.errors)),
        error: (error) => feed.errors.push(error),
        complete: () => undefined,
      },
    );
    return feed;
  }

  /**
   * graphql-ws does not acknowledge a subscription, so create throwaway users in the key's workspace until
   * every feed hears one: from then on the subscriptions are live. The feeds are emptied afterwards.
   */
  async function untilLive(feeds: Feed[], key: string): Promise<void> {
    const prefix = `warm-up-${Math.random().toString(36).slice(2)}`;
    const heard = (feed: Feed) => feed.events.some((event) => event.externalId.startsWith(prefix));
    for (let i = 0; !feeds.every(heard); i++) {
      if (i === 100) throw new Error(`subscription never went live: ${JSON.stringify(feeds.map((feed) => feed.errors))}`);
      expect((await t.api('POST', '/v1/users', { key, body: { externalId: `${prefix}-${i}` } })).status).toBe(201);
      await sleep(50);
    }
    for (const feed of feeds) {
      expect(feed.errors).toEqual([]);
      feed.events.length = 0;
    }
  }

  /** The close event of a connection that should be refused at connection_init. */
  function closeOf(connectionParams: Record<string, unknown>): Promise<{ code: number; reason: string }> {
    const client = connect(connectionParams);
    return new Promise((resolve, reject) => {
      client.subscribe(
        { query: USER_CHANGED },
        {
          next: () => reject(new Error('an unauthenticated subscription received an event')),
          error: (event) => resolve(event as { code: number; reason: string }),
          complete: () => reject(new Error('an unauthenticated subscription completed')),
        },
      );
    });
  }

  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await t?.close();
  });

  it('delivers created, updated and deleted events for a user changed over REST, and nothing to another workspace', async () => {
    const reader = (await aKey(t, { scope: 'read' })).key;
    const other = await t.newWorkspace('Eavesdropper');
    const ours = listen(connect({ authorization: `Bearer ${reader}` }));
    const theirs = listen(connect({ authorization: `Bearer ${other.adminKey}` }));
    try {
      await untilLive([ours], t.adminKey);
      await untilLive([theirs], other.adminKey);
      // The other workspace's warm-up users were not announced here either.
      expect(ours.events).toEqual([]);

      const before = Date.now();
      const created = await t.api('POST', '/v1/users', { body: { externalId: 'live-alice' } });
      expect(created.status).toBe(201);
      await waitUntil(() => ours.events.length >= 1, 'the created event');
      expect(ours.events[0]).toEqual({
        action: 'created',
        userId: created.body.id,
        externalId: 'live-alice',
        at: expect.stringMatching(ISO_UTC),
      });
      expect(Date.parse(ours.events[0]!.at)).toBeGreaterThanOrEqual(before - 1000);

      // Finding an existing user changes nothing, so it announces nothing.
      expect((await t.api('POST', '/v1/users', { body: { externalId: 'live-alice' } })).status).toBe(200);
      expect((await t.api('PATCH', `/v1/users/${created.body.id}`, { body: { email: 'alice@example.com' } })).status).toBe(200);
      await waitUntil(() => ours.events.length >= 2, 'the updated event');
      expect(ours.events[1]).toMatchObject({ action: 'updated', userId: created.body.id, externalId: 'live-alice' });

      expect((await t.api('DELETE', `/v1/users/${created.body.id}`)).status).toBe(204);
      await waitUntil(() => ours.events.length >= 3, 'the deleted event');
      expect(ours.events.map((event) => event.action)).toEqual(['created', 'updated', 'deleted']);

      // Events arrive within milliseconds (above); a short wait is ample for a leak to show.
      await sleep(300);
      expect(theirs.events).toEqual([]);
      expect(theirs.errors).toEqual([]);
    } finally {
      ours.stop();
      theirs.stop();
    }
  });

  it('delivers events to every subscriber of the workspace, over one connection or several', async () => {
    const client = connect({ authorization: `Bearer ${t.adminKey}` });
    const first = listen(client);
    const second = listen(client);
    const third = listen(connect({ Authorization: `Bearer ${(await aKey(t, { scope: 'write' })).key}` }));
    try {
      await untilLive([first, second, third], t.adminKey);
      const created = await t.api('POST', '/v1/users', { body: { externalId: 'live-bob' } });
      await waitUntil(() => [first, second, third].every((feed) => feed.events.length >= 1), 'the event on every subscription');
      for (const feed of [first, second, third])
        expect(feed.events).toEqual([expect.objectContaining({ action: 'created', userId: created.body.id })]);
    } finally {
      for (const feed of [first, second, third]) feed.stop();
    }
  });

  it('closes a connection without a key with code 4401', async () => {
    const closed = await closeOf({});
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/API key/);
  });

  it('closes a connection with an unknown, malformed or deleted key with code 4401', async () => {
    const deleted = await t.api('POST', '/v1/api-keys', { body: { name: 'soon gone', scope: 'read' } });
    expect((await t.api('DELETE', `/v1/api-keys/${deleted.body.id}`)).status).toBe(204);
    for (const authorization of [
      `Bearer vs_live_${'A'.repeat(43)}`,
      'Bearer not-a-key',
      `Basic ${t.adminKey}`,
      `Bearer ${deleted.body.key}`,
    ]) {
      expect((await closeOf({ authorization })).code, authorization.slice(0, 20)).toBe(4401);
    }
  });
});
