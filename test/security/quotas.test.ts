import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * API6: per-workspace quotas (QUOTA_USERS, QUOTA_API_KEYS). Past its quota a workspace gets 403 QUOTA_EXCEEDED
 * with the error body, on REST and GraphQL; finding an existing user and rotating a key are never refused;
 * racing creates never end above the quota; a refused create writes nothing (not even an audit entry); other
 * workspaces have quotas of their own.
 */
describe.each(ENGINES.filter(engineAvailable))('workspace quotas on %s', (engine) => {
  let t: TestServer;
  const countUsers = async (key?: string) => (await t.api('GET', '/v1/users?limit=1', { key })).body.total as number;

  beforeAll(async () => {
    t = await startTestServer(engine, { quotas: { users: 3, apiKeys: 3 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses the user past the quota, finds existing ones, and frees a place on delete', async () => {
    for (const externalId of ['q-1', 'q-2', 'q-3']) expect((await t.api('POST', '/v1/users', { body: { externalId } })).status).toBe(201);

    const refused = await t.api('POST', '/v1/users', { body: { externalId: 'q-4' } });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    expect(refused.body.message).toContain('quota of 3 users');
    const graphql = await t.graphql('mutation { createUser(externalId: "q-4") { id } }');
    expect(graphql.body.errors[0].extensions.code).toBe('QUOTA_EXCEEDED');
    expect(await countUsers()).toBe(3);

    // Asking for an existing user is a find, not a create.
    expect((await t.api('POST', '/v1/users', { body: { externalId: 'q-2' } })).status).toBe(200);

    const other = await t.newWorkspace();
    expect((await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'q-4' } })).status).toBe(201);

    const first = (await t.api('GET', '/v1/users?limit=1')).body.data[0].id as string;
    expect((await t.api('DELETE', `/v1/users/${first}`)).status).toBe(204);
    expect((await t.api('POST', '/v1/users', { body: { externalId: 'q-4' } })).status).toBe(201);
  });

  it('lets exactly the free places through when creates race', async () => {
    const other = await t.newWorkspace('racing');
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: `race-${i}` } }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(3);
    expect(statuses.filter((status) => status === 403)).toHaveLength(5);
    expect(await countUsers(other.adminKey)).toBe(3);
  });

  it('refuses the API key past the quota without a trace, and always allows rotation', async () => {
    // The workspace's admin key is the first of its three.
    const made: string[] = [];
    for (const name of ['a', 'b']) {
      const created = await t.api('POST', '/v1/api-keys', { body: { name, scope: 'read' } });
      expect(created.status).toBe(201);
      made.push(created.body.id);
    }
    const auditBefore = (await t.api('GET', '/v1/audit-log?limit=500')).body.data.length as number;

    const refused = await t.api('POST', '/v1/api-keys', { body: { name: 'c', scope: 'read' } });
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('quota of 3 active API keys');
    expect(refused.body).not.toHaveProperty('key');
    const graphql = await t.graphql('mutation { createApiKey(name: "c", scope: read) { key } }');
    expect(graphql.body.errors[0].extensions.code).toBe('QUOTA_EXCEEDED');
    expect((await t.api('GET', '/v1/api-keys?limit=100')).body.total).toBe(3);
    expect((await t.api('GET', '/v1/audit-log?limit=500')).body.data.length).toBe(auditBefore);

    // Rotation replaces a key: allowed at the quota.
    const rotated = await t.api('POST', `/v1/api-keys/${made[0]}/rotate`, { body: {} });
    expect(rotated.status).toBe(201);

    expect((await t.api('DELETE', `/v1/api-keys/${made[1]}`)).status).toBe(204);
    expect((await t.api('POST', '/v1/api-keys', { body: { name: 'c', scope: 'read' } })).status).toBe(201);
  });
});
