import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FITBIT_CLIENT, FITBIT_USER_ID, FITBIT_VERIFY_CODE, startFakeFitbit, type FakeFitbit } from '../../fakes/fitbit.js';
import { APP_RETURN, connectUser, eventually, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Fitbit server keeps that state), so the steps do not shuffle.
describe('Fitbit through its fake server', { shuffle: false }, () => {
  let fitbit: FakeFitbit;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  const pushUrl = () => `${t.url}/v1/providers/fitbit/push`;
  const counts = async () =>
    Object.fromEntries((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => [m.metricType, m.count]));
  const events = async (type: string) => (await t.api('GET', `/v1/users/${userId}/events?type=${type}&limit=100`)).body.data;
  const samples = async (metricType: string) =>
    (await t.api('GET', `/v1/users/${userId}/health?metricType=${metricType}&limit=100`)).body.data;

  beforeAll(async () => {
    fitbit = await startFakeFitbit();
    t = await startTestServer('pglite', {
      env: {
        FITBIT_CLIENT_ID: FITBIT_CLIENT.id,
        FITBIT_CLIENT_SECRET: FITBIT_CLIENT.secret,
        FITBIT_API_URL: fitbit.url,
        FITBIT_AUTH_URL: fitbit.url,
        FITBIT_SUBSCRIBER_VERIFY: FITBIT_VERIFY_CODE,
        FITBIT_SUBSCRIBER_ID: 'vitasync-subscriber',
        SYNC_BACKFILL_DAYS: '3',
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await fitbit?.close();
  });

  it('answers the subscriber check with 204 for the configured code and 404 for any other', async () => {
    expect((await fetch(`${pushUrl()}?verify=${FITBIT_VERIFY_CODE}`)).status).toBe(204);
    expect((await fetch(`${pushUrl()}?verify=wrong-code`)).status).toBe(404);
  });

  it('connects with PKCE through consent and callback, keeping the Fitbit user id', async () => {
    const back = await connectUser(t, userId, 'fitbit');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = fitbit.requests.find((r) => r.path === '/oauth2/authorize')!;
    expect(authorize.query.get('code_challenge_method')).toBe('S256');
    expect(authorize.query.get('scope')).toBe('activity heartrate sleep weight profile');
    const exchange = fitbit.requests.find((r) => r.path === '/oauth2/token')!;
    expect(exchange.headers.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(exchange.body).get('code_verifier')).toBeTruthy();
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({ id: connectionId, providerId: 'fitbit', externalUserId: FITBIT_USER_ID });
  });

  // Fitbit notifies only through per-user subscriptions: without them no notification ever arrives.
  it("subscribes the user's activities, body, sleep and revocations to our subscriber after connecting", async () => {
    expect([...fitbit.subscriptions.keys()].sort()).toEqual(['activities', 'body', 'sleep', 'userRevokedAccess']);
    for (const [collection, subscription] of fitbit.subscriptions) {
      expect(subscription).toEqual({ id: `${connectionId}-${collection}`, subscriber: 'vitasync-subscriber' });
    }
  });

  it('lists Fitbit as deprecated, with the date Google turned the Web API off and the reason', async () => {
    const fitbitInfo = (await t.api('GET', '/v1/providers')).body.data.find((p: any) => p.id === 'fitbit');
    expect(fitbitInfo.deprecation).toMatchObject({ date: '2026-11-02', reason: expect.stringMatching(/Google Health API/) });
    expect(fitbitInfo).toMatchObject({ push: true, backfillDays: 3 });
  });

  it('backfills heart rate, whole days of activity, sleep stages, workouts and weigh-ins in canonical units', async () => {
    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job).toMatchObject({ status: 'completed', lastError: null });
    const count = await counts();
    expect(count.heart_rate).toBeGreaterThanOrEqual(3 * 144);
    // Three finished local days; today's running total waits until the day is over.
    expect(count.steps).toBe(3);
    expect(await samples('distance')).toContainEqual(expect.objectContaining({ value: 6120, unit: 'm', source: 'fitbit' }));
    expect(await samples('floors_climbed')).toContainEqual(expect.objectContaining({ value: 12, unit: 'count' }));
    expect(await samples('active_energy')).toContainEqual(expect.objectContaining({ value: 950, unit: 'kcal' }));
    expect(await samples('weight')).toContainEqual(expect.objectContaining({ unit: 'kg', device: 'Fitbit Aria' }));
    expect(await samples('body_fat')).toContainEqual(expect.objectContaining({ value: 18.5, unit: '%' }));
    const sleep = (await events('sleep'))[0];
    // 23:30 in Kolkata (UTC+05:30) is 18:00 UTC.
    expect(sleep.startAt).toMatch(/T18:00:00\.000Z$/);
    expect(sleep).toMatchObject({
      source: 'fitbit',
      subtype: 'main',
      durationSeconds: 27_000,
      details: { stageSeconds: { deep: 4800, light: 13_800, rem: 5700, awake: 2700 }, efficiency: 92 },
    });
    const workouts = await events('workout');
    expect(workouts).toHaveLength(3);
    expect(workouts[0]).toMatchObject({
      subtype: 'run',
      distance: 6500,
      energy: 420,
      avgHeartRate: 148,
      durationSeconds: 2400,
      device: 'Charge 6',
    });
    expect(workouts[0].startAt).toMatch(/T12:30:00\.000Z$/);
    // Two workouts a page: the second page came from pagination.next.
    expect(fitbit.requests.some((r) => r.path === '/1/user/-/activities/list.json' && r.query.get('offset') === '2')).toBe(true);
    const heartRequests = fitbit.requests.filter((r) => r.path.includes('/activities/heart/'));
    expect(heartRequests.length).toBeGreaterThan(0);
    expect(heartRequests.every((r) => r.query.get('timezone') === 'UTC')).toBe(true);
  });

  it('refreshes its short-lived tokens, using each refresh token once', async () => {
    expect(fitbit.issued()).toBeGreaterThan(1);
    const refreshes = fitbit.requests.filter(
      (r) => r.path === '/oauth2/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(refreshes.length).toBe(fitbit.issued() - 1);
    expect(new Set(refreshes.map((r) => new URLSearchParams(r.body).get('refresh_token'))).size).toBe(refreshes.length);
  });

  it('refuses a badly signed notification with 401 and starts nothing', async () => {
    const response = await fitbit.notify(pushUrl(), 'activities', { badSignature: true });
    expect(response.status).toBe(401);
    const slot = Math.floor(Date.now() / 60_000);
    expect((await t.api('GET', `/v1/jobs/${encodeURIComponent(`sync:${connectionId}:push:${slot}`)}`)).status).toBe(404);
  });

  it('syncs the new workout and weigh-in when a signed notification arrives', async () => {
    const now = Date.now();
    fitbit.addWorkout({ logId: 59_999, start: now - 3 * 60_000, minutes: 2, name: 'Walk' });
    fitbit.addWeighIn(69_999, now - 60_000, 71.9);
    const response = await fitbit.notify(pushUrl(), 'activities');
    expect(response.status).toBe(204);
    const workouts = await eventually(
      () => events('workout'),
      (list) => list.some((w: any) => w.externalId === '59999'),
    );
    expect(workouts.find((w: any) => w.externalId === '59999')).toMatchObject({ subtype: 'walk', durationSeconds: 120 });
    await eventually(
      () => samples('weight'),
      (list) => list.some((s: any) => s.value === 71.9),
    );
    const slot = Math.floor(Date.now() / 60_000);
    const jobs = await Promise.all(
      [slot, slot - 1].map((s) => t.api('GET', `/v1/jobs/${encodeURIComponent(`sync:${connectionId}:push:${s}`)}`)),
    );
    expect(jobs.some((job) => job.status === 200)).toBe(true);
  });

  it('re-syncs without duplicates and waits out a 429 with Retry-After', async () => {
    await eventually(
      () => t.api('GET', `/v1/users/${userId}/connections`),
      (r) => r.body.data[0].lastSyncStatus === 'completed',
    );
    const before = await counts();
    const eventsBefore = (await events('workout')).length + (await events('sleep')).length;
    fitbit.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const after = await counts();
    for (const metric of ['steps', 'distance', 'weight', 'bmi', 'body_fat']) expect(after[metric]).toBe(before[metric]);
    // Only readings taken since the last sync are new.
    expect(after.heart_rate - before.heart_rate).toBeLessThanOrEqual(2);
    expect((await events('workout')).length + (await events('sleep')).length).toBe(eventsBefore);
  });

  it('fails the sync with a clear error, and no 500, when Fitbit answers a malformed page, then recovers on retry', async () => {
    fitbit.malformNext('/1/user/-/activities/heart');
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    const failed = await waitForJob(t, sync.body.id, { until: ['retrying', 'failed'] });
    expect(failed.lastError).toMatch(/Fitbit answered a malformed heart rate page/);
    const connections = await t.api('GET', `/v1/users/${userId}/connections`);
    expect(connections.status).toBe(200);
    expect(connections.body.data[0]).toMatchObject({ status: 'active', lastSyncStatus: 'failed', lastSyncError: failed.lastError });
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
  });

  it('disconnects, revoking the token at Fitbit and deleting the data when asked', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}?deleteData=true`);
    expect(response.status).toBe(204);
    expect(fitbit.revoked).toHaveLength(1);
    expect(fitbit.requests.find((r) => r.path === '/oauth2/revoke')!.headers.authorization).toMatch(/^Basic /);
    // Its subscriptions were deleted first, while the token still worked.
    expect(fitbit.subscriptions.size).toBe(0);
    expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data).toEqual([]);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
  });

  it('turns a new connection to error when the user removes the app at Fitbit', async () => {
    const again = (await connectUser(t, userId, 'fitbit', { expectCreated: false })).searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${again}:backfill`)).status).toBe('completed');
    fitbit.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${again}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === again);
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/refused|refresh/);
  });

  it('disconnects the connection when Fitbit notifies that the user revoked access', async () => {
    const connection = async () =>
      (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.status !== 'disconnected');
    const id = (await connection()).id;
    const response = await fitbit.notify(pushUrl(), 'userRevokedAccess');
    expect(response.status).toBe(204);
    const revoked = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === id);
    expect(revoked).toMatchObject({ status: 'disconnected', statusReason: 'the user revoked access at Fitbit' });
  });
});
