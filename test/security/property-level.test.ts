import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_BASE, REST_ROUTES } from '../../src/server/rest/routes.js';
import { ouraEnv, startFakeOura, type FakeOura } from '../fakes/oura.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../helpers/connect.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aUser } from '../factories/index.js';

/**
 * OWASP API3 (object property level): no response carries a secret — API key secrets after their one showing,
 * key hashes, provider tokens in clear or encrypted — on any GET route of the table, REST or GraphQL; and
 * server-owned properties in a request body (`id`, `workspaceId`, `createdAt`, hashes, another key's scope) are
 * ignored, never assigned.
 */
describe('properties a client must never see or set', () => {
  let oura: FakeOura;
  let t: TestServer;
  let other: { workspaceId: string; adminKey: string };
  const ids: Record<string, string> = {};
  let secrets: string[];

  beforeAll(async () => {
    oura = await startFakeOura();
    t = await startTestServer('pglite', {
      env: {
        ...ouraEnv(oura),
        SYNC_BACKFILL_DAYS: '1',
      },
    });
    other = await t.newWorkspace();
    await setRedirectUris(t, [APP_RETURN]);
    ids.userId = (await aUser(t)).id;
    ids.connectionId = (await connectUser(t, ids.userId!, 'oura')).searchParams.get('connectionId')!;
    ids.jobId = `sync:${ids.connectionId}:backfill`;
    expect((await waitForJob(t, ids.jobId)).status).toBe('completed');
    await t.api('POST', `/v1/users/${ids.userId}/events`, {
      body: { events: [{ type: 'workout', startAt: '2025-06-01T10:00:00.000Z', endAt: '2025-06-01T10:30:00.000Z', externalId: 'w1' }] },
    });
    ids.eventId = (await t.api('GET', `/v1/users/${ids.userId}/events`)).body.data[0].id;
    ids.metricType = 'heart_rate';
    ids.providerId = 'oura';
    const created = await t.api('POST', '/v1/api-keys', { body: { name: 'shown once', scope: 'read' } });
    ids.keyId = created.body.id;
    const uploaded = await fetch(`${t.url}/v1/users/${ids.userId}/uploads?filename=notes.txt`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'text/plain' },
      body: 'nothing secret',
    });
    ids.fileId = ((await uploaded.json()) as { id: string }).id;
    // An import of that file (it fails: a text file is no GPX), with its counts and error.
    ids.importId = (await t.api('POST', `/v1/users/${ids.userId}/imports`, { body: { fileId: ids.fileId, format: 'gpx' } })).body.id;
    // A webhook on a port nothing listens on, for an event nothing here emits: its secret is shown only now.
    const webhook = await t.api('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', eventTypes: ['webhook.disabled'] } });
    ids.webhookId = webhook.body.id;
    ids.challengeId = (
      await t.api('POST', '/v1/challenges', {
        body: { name: 'steps', metricType: 'steps', startDate: '2025-06-01', endDate: '2025-06-30' },
      })
    ).body.id;
    ids.medId = (
      await t.api('POST', `/v1/users/${ids.userId}/medications`, { body: { name: 'Metformin', times: ['08:00'], startDate: '2025-06-01' } })
    ).body.id;

    const db = t.server.database.prisma;
    const keys = await db.apiKey.findMany();
    const connections = await db.connection.findMany();
    secrets = [
      t.adminKey,
      created.body.key,
      ...keys.map((key) => key.secretHash),
      ...connections.flatMap((connection) => [connection.accessToken!, connection.refreshToken!]),
      webhook.body.secret,
      webhook.body.secret.slice('whsec_'.length),
      ...(await db.webhookEndpoint.findMany()).map((endpoint) => endpoint.secretCiphertext),
      // What the fake issued: the clear tokens.
      ...Array.from({ length: oura.issued() }, (_, i) => [`oura-access-${i + 1}`, `oura-refresh-${i + 1}`]).flat(),
    ].filter(Boolean);
    expect(secrets.length).toBeGreaterThanOrEqual(6);
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await oura?.close();
  });

  const readRoutes = REST_ROUTES.filter((route) => route.method === 'GET' && route.field);

  it.each(readRoutes.map((route) => [`GET ${REST_BASE}${route.path}`, route] as const))('%s carries no secret', async (_, route) => {
    const query = route.path.endsWith('/timeseries') ? '?metricType=heart_rate' : '';
    const response = await t.api(
      'GET',
      REST_BASE + route.path.replace(/:([A-Za-z]+)/g, (__, name: string) => encodeURIComponent(ids[name] ?? 'x')) + query,
    );
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.body);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('has no field in the GraphQL schema that could carry one', async () => {
    const introspection = await t.graphql('{ __schema { types { name fields { name } } } }');
    const fields = introspection.body.data.__schema.types.flatMap((type: { name: string; fields: { name: string }[] | null }) =>
      (type.fields ?? []).map((field) => `${type.name}.${field.name}`),
    );
    // The one showing of a webhook's signing secret, at creation or rotation (as NewApiKey.key shows a key's).
    const shownOnce = ['NewWebhookEndpoint.secret', 'Mutation.rotateWebhookSecret'];
    // Counts of language-model tokens (the LLM context's text and its budget), not credentials.
    const tokenCounts = ['AnalyticsContext.tokens', 'AnalyticsContext.maxTokens'];
    const suspicious = fields.filter(
      (field: string) => /hash|token|secret|password|ciphertext/i.test(field) && ![...shownOnce, ...tokenCounts].includes(field),
    );
    expect(suspicious).toEqual([]);
  });

  it('ignores server-owned properties in a created user', async () => {
    const response = await t.api('POST', '/v1/users', {
      body: {
        externalId: 'mass-assigned',
        id: '01HZZZZZZZZZZZZZZZZZZZZZZZ',
        workspaceId: other.workspaceId,
        createdAt: '2000-01-01T00:00:00.000Z',
      },
    });
    expect([201, 400]).toContain(response.status);
    if (response.status === 201) {
      expect(response.body.id).not.toBe('01HZZZZZZZZZZZZZZZZZZZZZZZ');
      expect(Date.parse(response.body.createdAt)).toBeGreaterThan(Date.now() - 60_000);
      const row = await t.server.database.prisma.user.findUniqueOrThrow({ where: { id: response.body.id } });
      expect(row.workspaceId).not.toBe(other.workspaceId);
    }
    expect((await t.api('GET', '/v1/users', { key: other.adminKey })).body.data).toEqual([]);
  });

  it('ignores server-owned properties in a created key, and in a user update', async () => {
    const key = await t.api('POST', '/v1/api-keys', {
      body: {
        name: 'mass',
        scope: 'read',
        workspaceId: other.workspaceId,
        secretHash: '0'.repeat(64),
        id: 'chosen',
        prefix: 'vs_live_aaaa',
        revokedAt: null,
      },
    });
    expect([201, 400]).toContain(key.status);
    if (key.status === 201) {
      expect(key.body).toMatchObject({ scope: 'read' });
      expect(key.body.id).not.toBe('chosen');
      const row = await t.server.database.prisma.apiKey.findUniqueOrThrow({ where: { id: key.body.id } });
      expect(row.workspaceId).not.toBe(other.workspaceId);
      expect(row.secretHash).not.toBe('0'.repeat(64));
      // The key works in its own workspace only, with the scope asked for.
      expect((await t.api('GET', '/v1/users', { key: key.body.key })).status).toBe(200);
      expect((await t.api('POST', '/v1/users', { key: key.body.key, body: { externalId: 'nope' } })).status).toBe(403);
    }
    const update = await t.api('PATCH', `/v1/users/${ids.userId}`, {
      body: { email: 'a@example.com', id: 'other-id', workspaceId: other.workspaceId, createdAt: '2000-01-01T00:00:00.000Z' },
    });
    expect([200, 400]).toContain(update.status);
    const row = await t.server.database.prisma.user.findUniqueOrThrow({ where: { id: ids.userId } });
    expect(row.workspaceId).not.toBe(other.workspaceId);
    expect(row.createdAt.getFullYear()).toBeGreaterThan(2000);
  });
});
