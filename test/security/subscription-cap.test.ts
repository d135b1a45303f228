import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey } from '../factories/index.js';

/**
 * OWASP API4: one API key may hold at most MAX_SUBSCRIPTIONS_PER_KEY operations open over WebSockets (per
 * instance). The one past the cap gets a RATE_LIMITED error while the others keep running; completing one, or
 * closing the socket, frees its place; other keys are not affected; failed subscriptions hold no place.
 */
const QUERY = 'subscription { userChanged { userId } }';

interface Outcome {
  error?: { extensions?: { code?: string } }[];
  stop(): void;
}

describe('subscriptions per API key', () => {
  let t: TestServer;
  const clients: Client[] = [];
  const connect = (key: string) => {
    const client = createClient({
      url: t.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      lazy: false,
    });
    clients.push(client);
    return client;
  };
  /** Subscribes and waits a moment: an error arrives at once; a subscription that is accepted stays quiet. */
  const subscribe = async (client: Client, query = QUERY, variables: Record<string, unknown> = {}): Promise<Outcome> => {
    const outcome: Outcome = { stop: () => undefined };
    // A refused operation ends with an `error` message; a subscription whose resolver fails, with one result
    // carrying errors.
    outcome.stop = client.subscribe(
      { query, variables },
      {
        next: (result) => (outcome.error = (result.errors as never) ?? outcome.error),
        error: (error) => (outcome.error = error as never),
        complete: () => undefined,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    return outcome;
  };

  beforeAll(async () => {
    t = await startTestServer('pglite', { maxSubscriptionsPerKey: 2 });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await t?.close();
  });

  // Each test holds its places on a key of its own: the cap counts per key, whatever ran before.
  it('refuses the subscription past the cap, and frees places on complete and on close', async () => {
    const key = (await aKey(t, { scope: 'read' })).key;
    const first = connect(key);
    const a = await subscribe(first);
    const b = await subscribe(first);
    expect([a.error, b.error]).toEqual([undefined, undefined]);
    const refused = await subscribe(connect(key));
    expect(refused.error?.[0]?.extensions?.code).toBe('RATE_LIMITED');

    // Another key has places of its own.
    const other = await subscribe(connect((await aKey(t, { scope: 'read' })).key));
    expect(other.error).toBeUndefined();

    // Completing one frees its place…
    a.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await subscribe(first)).error).toBeUndefined();
    // …and closing the socket frees them all.
    await first.dispose();
    const fresh = connect(key);
    expect((await subscribe(fresh)).error).toBeUndefined();
    expect((await subscribe(fresh)).error).toBeUndefined();
    expect((await subscribe(fresh)).error?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    await fresh.dispose();
  });

  it('holds no place for a subscription that failed', async () => {
    const client = connect((await aKey(t, { scope: 'read' })).key);
    for (let i = 0; i < 3; i++) {
      const failed = await subscribe(client, 'subscription ($u: ID) { healthSamplesIngested(userId: $u) { userId } }', {
        u: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
      });
      expect(failed.error?.[0]?.extensions?.code).toBe('NOT_FOUND');
    }
    expect((await subscribe(client)).error).toBeUndefined();
    expect((await subscribe(client)).error).toBeUndefined();
  });
});
