import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey, aSample, aUser, pushSamples } from '../factories/index.js';

describe('the audit log', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('records key, deletion, connection and settings actions with the acting key and request, and no health values', async () => {
    const created = await t.api('POST', '/v1/api-keys', { body: { name: 'ingest', scope: 'write' } });
    const rotated = await t.api('POST', `/v1/api-keys/${created.body.id}/rotate`, { body: {} });
    await t.api('DELETE', `/v1/api-keys/${rotated.body.id}`);
    const user = await aUser(t);
    await pushSamples(t, user.id, [aSample({ value: 213.7 })]);
    await t.api('DELETE', `/v1/users/${user.id}/health`, { headers: { 'x-request-id': 'gdpr-123' } });
    await t.graphql('mutation { setSourcePriority(sources: ["oura"]) { id } }');
    await t.api('DELETE', `/v1/users/${user.id}`);

    const log = await t.api('GET', '/v1/audit-log?limit=100');
    expect(log.status).toBe(200);
    const actions = log.body.data.map((event: any) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'api_key.created',
        'api_key.rotated',
        'api_key.deleted',
        'health_data.deleted',
        'workspace.source_priority_changed',
        'user.deleted',
      ]),
    );
    const erasure = log.body.data.find((event: any) => event.action === 'health_data.deleted');
    expect(erasure).toMatchObject({ targetType: 'user', targetId: user.id, requestId: 'gdpr-123', actorKeyId: expect.any(String) });
    // The deleted user's entries outlive the user; no value or secret is ever written.
    expect(JSON.stringify(log.body)).not.toMatch(/213\.7|vs_live_|secretHash/);
  });

  it('is for admin keys only and filters by action', async () => {
    const reader = (await aKey(t, { scope: 'read' })).key;
    expect((await t.api('GET', '/v1/audit-log', { key: reader })).status).toBe(403);
    // Its own deletion among other actions, so the filter has something to keep and something to leave out.
    const user = await aUser(t);
    await aKey(t);
    expect((await t.api('DELETE', `/v1/users/${user.id}`)).status).toBe(204);
    const deletions = (await t.api('GET', '/v1/audit-log?action=user.deleted&limit=500')).body.data;
    expect(deletions.map((event: any) => event.targetId)).toContain(user.id);
    expect(deletions.every((event: any) => event.action === 'user.deleted')).toBe(true);
    expect((await t.api('GET', '/v1/audit-log?action=everything')).status).toBe(422);
  });
});
