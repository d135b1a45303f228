import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * OWASP API2: a key that is missing, malformed, unknown, deleted, expired or rotated out (after its grace period)
 * gets 401 on REST, an UNAUTHENTICATED error on GraphQL, and close code 4401 at the WebSocket `connection_init` —
 * the same status for every state.
 */
describe('a key that must not authenticate', () => {
  let t: TestServer;
  const keys: Record<string, string | null> = {};

  beforeAll(async () => {
    t = await startTestServer();
    const create = async (body: Record<string, unknown>) =>
      (await t.api('POST', '/v1/api-keys', { body: { scope: 'read', ...body } })).body;
    keys.missing = null;
    keys.malformed = 'not-a-key';
    keys.unknown = 'vs_live_' + 'A'.repeat(43);
    const deleted = await create({ name: 'deleted' });
    expect((await t.api('DELETE', `/v1/api-keys/${deleted.id}`)).status).toBe(204);
    keys.deleted = deleted.key;
    const expiring = await create({ name: 'expiring', expiresAt: new Date(Date.now() + 1000).toISOString() });
    keys.expired = expiring.key;
    const rotating = await create({ name: 'rotating' });
    expect((await t.api('POST', `/v1/api-keys/${rotating.id}/rotate`, { body: { gracePeriodSeconds: 0 } })).status).toBe(201);
    keys['rotated out'] = rotating.key;
    // Past the expiry above.
    await new Promise((resolve) => setTimeout(resolve, 1200));
  });
  afterAll(() => t?.close());

  const STATES = ['missing', 'malformed', 'unknown', 'deleted', 'expired', 'rotated out'];

  it.each(STATES)('%s: 401 on REST', async (state) => {
    const response = await t.api('GET', '/v1/users', { key: keys[state] });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it.each(STATES)('%s: UNAUTHENTICATED on GraphQL', async (state) => {
    const response = await t.graphql('{ users { data { id } } }', {}, keys[state]);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code ?? response.body.error).toMatch(/UNAUTHENTICATED|Unauthorized/);
  });

  it.each(STATES)('%s: closed with 4401 at connection_init', async (state) => {
    const key = keys[state];
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: t.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: key ? { authorization: `Bearer ${key}` } : {},
        retryAttempts: 0,
        on: { closed: (event) => resolve((event as { code: number }).code) },
      });
      client.subscribe(
        { query: 'subscription { userChanged { userId } }' },
        { next: () => undefined, error: () => undefined, complete: () => undefined },
      );
    });
    expect(closed).toBe(4401);
  });
});
