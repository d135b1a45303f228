import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OURA_CLIENT, startFakeOura, type FakeOura } from '../../fakes/oura.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

describe('Oura through its fake server', () => {
  let oura: FakeOura;
  let t: TestServer;
  let userId: string;
  let connectionId: string;

  beforeAll(async () => {
    oura = await startFakeOura();
    t = await startTestServer('pglite', {
      env: { OURA_CLIENT_ID: OURA_CLIENT.id, OURA_CLIENT_SECRET: OURA_CLIENT.secret, OURA_API_URL: oura.url, OURA_AUTH_URL: oura.url, SYNC_BACKFILL_DAYS: '3' },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await t.api('POST', '/v1/users', { body: { externalId: 'ring-owner' } })).body.id;
  });
  afterAll(async () => {
    await t?.close();
    await oura?.close();
  });

  it('lists Oura as configured', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'oura')).toMatchObject({ configured: true, authKind: 'oauth2' });
  });

  it('connects through consent and callback, then backfills heart rate, activity, sleep and workouts', async () => {
    const back = await connectUser(t, userId, 'oura');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = oura.requests.find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query.get('client_id')).toBe(OURA_CLIENT.id);
    expect(authorize.query.get('state')!.length).toBeGreaterThanOrEqual(40);

    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.status).toBe('completed');
    const summary = await t.api('GET', `/v1/users/${userId}/health/summary`);
    const counts = Object.fromEntries(summary.body.data.map((m: any) => [m.metricType, m.count]));
    // Three days of 10-minute heart rate, paged 100 rows at a time by the fake.
    expect(counts.heart_rate).toBeGreaterThanOrEqual(3 * 144);
    expect(counts.steps).toBeGreaterThanOrEqual(3);
    expect(counts.hrv_rmssd).toBeGreaterThanOrEqual(3);
    const sleep = await t.api('GET', `/v1/users/${userId}/events?type=sleep`);
    expect(sleep.body.data[0]).toMatchObject({ source: 'oura', connectionId, details: { stageSeconds: { deep: 5400, rem: 6300 } } });
    const workouts = await t.api('GET', `/v1/users/${userId}/events?type=workout`);
    expect(workouts.body.data[0]).toMatchObject({ subtype: 'running', distance: 7200, energy: 450 });
    const connections = await t.api('GET', `/v1/users/${userId}/connections`);
    expect(connections.body.data[0]).toMatchObject({ id: connectionId, status: 'active', lastSyncStatus: 'completed' });
    expect(JSON.stringify(connections.body)).not.toMatch(/oura-(access|refresh)/);
  });

  it('stores tokens only encrypted and refreshes them before they expire', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/oura-access/);
    expect(row.refreshToken).not.toMatch(/oura-refresh/);
    // The fake's tokens live 60 s, inside the 5-minute margin: every page refreshed them, each refresh token once.
    expect(oura.issued()).toBeGreaterThan(1);
    expect(oura.requests.filter((r) => r.path === '/oauth/token' && r.body.includes('refresh_token')).length).toBe(oura.issued() - 1);
  });

  it('re-syncs without duplicates and honours 429 Retry-After', async () => {
    const before = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data;
    oura.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const after = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data;
    const countOf = (data: any[], metric: string) => data.find((m) => m.metricType === metric)?.count;
    // Only time since the last sync is fetched again; nothing earlier is duplicated.
    expect(countOf(after, 'steps')).toBe(countOf(before, 'steps'));
    expect(countOf(after, 'heart_rate')! - countOf(before, 'heart_rate')!).toBeLessThanOrEqual(2);
  });

  it('refuses a second active connection to the same provider', async () => {
    const back = await connectUser(t, userId, 'oura', { expectCreated: false });
    expect(back.searchParams.get('status')).toBe('error');
    expect(back.searchParams.get('error')).toBe('conflict');
  });

  it('turns the connection to error when the user revoked access at Oura', async () => {
    oura.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/refused|refresh/);
  });

  it('disconnects, revoking at Oura and deleting the data when asked', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}?deleteData=true`);
    expect(response.status).toBe(204);
    expect(oura.revoked.length).toBe(1);
    expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data).toEqual([]);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
  });

  it('rejects a reused or forged state at the callback', async () => {
    const callback = await t.api('GET', `/v1/oauth/oura/callback?state=forged&code=x`, { key: null });
    expect(callback.status).toBe(400);
  });
});

describe('an unconfigured provider', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('is listed as not configured and refuses a connect link with 422', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'oura').configured).toBe(false);
    const user = await t.api('POST', '/v1/users', { body: { externalId: 'u' } });
    const link = await t.api('POST', `/v1/users/${user.body.id}/connect-links`, { body: { providerId: 'oura' } });
    expect(link.status).toBe(422);
    expect(link.body.message).toMatch(/OURA_CLIENT_ID/);
  });
});
