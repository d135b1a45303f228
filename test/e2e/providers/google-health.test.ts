import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GOOGLE_CLIENT, GOOGLE_HEALTH_USER_ID, startFakeGoogleHealth, type FakeGoogleHealth } from '../../fakes/google-health.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const WEBHOOK_SECRET = 'google-health-subscriber-secret';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were notified (the fake Google Health API keeps that state), so the steps do not shuffle.
describe('Google Health through its fake server', { shuffle: false }, () => {
  let google: FakeGoogleHealth;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  let pushUrl: string;
  const countOf = async (metric: string) =>
    (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.find((m: any) => m.metricType === metric)?.count ?? 0;
  const pushJobs = () => t.server.database.prisma.job.findMany({ where: { id: { startsWith: `sync:${connectionId}:push:` } } });

  beforeAll(async () => {
    google = await startFakeGoogleHealth();
    t = await startTestServer('pglite', {
      env: {
        GOOGLE_HEALTH_CLIENT_ID: GOOGLE_CLIENT.id,
        GOOGLE_HEALTH_CLIENT_SECRET: GOOGLE_CLIENT.secret,
        GOOGLE_HEALTH_API_URL: google.url,
        GOOGLE_HEALTH_AUTH_URL: google.url,
        GOOGLE_HEALTH_TOKEN_URL: google.url,
        GOOGLE_HEALTH_WEBHOOK_SECRET: WEBHOOK_SECRET,
        GOOGLE_HEALTH_PUBLIC_KEY: google.publicKeyPem,
        SYNC_BACKFILL_DAYS: '2',
      },
    });
    pushUrl = `${t.url}/v1/providers/google-health/push`;
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await google?.close();
  });

  it('lists Google Health as a configured OAuth provider that pushes, and Fitbit as replaced by it', async () => {
    const providers = (await t.api('GET', '/v1/providers')).body.data;
    expect(providers.find((p: any) => p.id === 'google-health')).toMatchObject({
      configured: true,
      authKind: 'oauth2',
      push: true,
      backfillDays: 2,
      deprecation: null,
      dataTypes: expect.arrayContaining(['steps', 'distance', 'heart_rate', 'weight']),
    });
    expect(providers.find((p: any) => p.id === 'fitbit').deprecation).toMatchObject({ replacement: 'google-health' });
  });

  it('connects with PKCE and offline access, naming the user by the healthUserId of their identity', async () => {
    const back = await connectUser(t, userId, 'google-health');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = google.requests.find((r) => r.path === '/o/oauth2/v2/auth')!;
    expect(Object.fromEntries(authorize.query)).toMatchObject({
      client_id: GOOGLE_CLIENT.id,
      response_type: 'code',
      access_type: 'offline',
      prompt: 'consent',
      code_challenge_method: 'S256',
    });
    expect(authorize.query.get('scope')).toContain('googlehealth.activity_and_fitness.readonly');
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({ id: connectionId, providerId: 'google-health', externalUserId: GOOGLE_HEALTH_USER_ID });
  });

  it('backfills steps, distance, heart rate and weight page by page, reading int64 values sent as strings', async () => {
    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.status).toBe('completed');
    // Two days of 15-minute steps and 10-minute heart rate, paged 50 points at a time by the fake.
    expect(await countOf('steps')).toBeGreaterThanOrEqual(2 * 96 - 2);
    expect(await countOf('heart_rate')).toBeGreaterThanOrEqual(2 * 144 - 2);
    expect(await countOf('weight')).toBeGreaterThanOrEqual(1);
    const steps = (await t.api('GET', `/v1/users/${userId}/health?metricType=steps&limit=5`)).body.data as any[];
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((s) => typeof s.value === 'number' && s.value >= 100)).toBe(true);
    const weight = (await t.api('GET', `/v1/users/${userId}/health?metricType=weight&limit=1`)).body.data[0];
    expect(weight.value).toBeGreaterThan(70);
    expect(weight.value).toBeLessThan(73);
    expect(job.result.steps).toMatchObject({ rejected: 0 });
    expect(google.requests.filter((r) => r.path.endsWith('/steps/dataPoints') && r.query.has('pageToken')).length).toBeGreaterThan(0);
  });

  it('refreshes its short-lived access tokens with the one refresh token Google keeps', async () => {
    const refreshes = google.requests.filter(
      (r) => r.path === '/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(refreshes.length).toBeGreaterThan(0);
    expect(new Set(refreshes.map((r) => new URLSearchParams(r.body).get('refresh_token'))).size).toBe(1);
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/ya29/);
  });

  it("passes Google's endpoint verification: 201 with the subscriber secret, 401 without", async () => {
    expect(await google.verifyEndpoint(pushUrl, WEBHOOK_SECRET)).toEqual({ withSecret: 201, without: 401 });
    expect((await google.verifyEndpoint(pushUrl, 'a guess')).withSecret).toBe(401);
  });

  it('starts an incremental sync on a signed notification, which brings the steps just walked', async () => {
    const name = google.addSteps(321);
    const response = await google.notify(pushUrl, { dataType: 'steps' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const jobs = await pushJobs();
    expect(jobs).toHaveLength(1);
    expect((await waitForJob(t, jobs[0]!.id, { expectFound: true })).status).toBe('completed');
    const steps = (await t.api('GET', `/v1/users/${userId}/health?metricType=steps&limit=500`)).body.data as any[];
    expect(steps.find((s) => s.externalId === name)).toMatchObject({ value: 321, source: 'google-health' });
  });

  it('refuses forged and unsigned notifications, and starts nothing for deletions, unread types or unknown users', async () => {
    const before = (await pushJobs()).length;
    expect((await google.notify(pushUrl, { dataType: 'steps' }, { forge: true })).status).toBe(401);
    const unsigned = await fetch(pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ data: { healthUserId: GOOGLE_HEALTH_USER_ID, operation: 'UPSERT', dataType: 'steps' } }),
    });
    expect(unsigned.status).toBe(401);
    expect(await (await google.notify(pushUrl, { dataType: 'steps', operation: 'DELETE' })).json()).toEqual({ syncs: 0 });
    expect(await (await google.notify(pushUrl, { dataType: 'hydration-log' })).json()).toEqual({ syncs: 0 });
    expect(await (await google.notify(pushUrl, { dataType: 'steps', healthUserId: 'someone-else' })).json()).toEqual({ syncs: 0 });
    expect((await pushJobs()).length).toBe(before);
  });

  it('re-syncs without duplicates and waits out a 429 with Retry-After', async () => {
    const before = await countOf('heart_rate');
    google.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await countOf('heart_rate')) - before).toBeLessThanOrEqual(2);
  });

  it('disconnects, revoking the token at Google', async () => {
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`)).status).toBe(204);
    expect(google.revoked).toHaveLength(1);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
    expect(await (await google.notify(pushUrl, { dataType: 'steps' })).json()).toEqual({ syncs: 0 });
  });

  it('turns a new connection to error when the user withdraws consent at Google', async () => {
    const again = (await connectUser(t, userId, 'google-health', { expectCreated: false })).searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${again}:backfill`)).status).toBe('completed');
    google.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${again}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === again);
    expect(connection.status).toBe('error');
  });
});
