import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POLAR_CLIENT, sendPolarPush, startFakePolar, type FakePolar } from '../../fakes/polar.js';
import { APP_RETURN, connectUser, eventually, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const WEBHOOK_SECRET = 'abe1f3ae-fd33-11e8-8eb2-f2801f1b9fd1';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Polar server keeps that state), so the steps do not shuffle.
describe('Polar AccessLink through its fake server', { shuffle: false }, () => {
  let polar: FakePolar;
  let t: TestServer;
  let userId: string;
  let connectionId: string;

  const counts = async () => {
    const summary = await t.api('GET', `/v1/users/${userId}/health/summary`);
    return Object.fromEntries(summary.body.data.map((m: any) => [m.metricType, m.count])) as Record<string, number>;
  };
  const events = async (type: string) => (await t.api('GET', `/v1/users/${userId}/events?type=${type}`)).body.data as any[];
  const samples = async (metricType: string) =>
    (await t.api('GET', `/v1/users/${userId}/health?metricType=${metricType}`)).body.data as any[];

  beforeAll(async () => {
    polar = await startFakePolar();
    t = await startTestServer('pglite', {
      env: {
        POLAR_CLIENT_ID: POLAR_CLIENT.id,
        POLAR_CLIENT_SECRET: POLAR_CLIENT.secret,
        POLAR_API_URL: polar.url,
        POLAR_AUTH_URL: polar.url,
        POLAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
        SYNC_BACKFILL_DAYS: '3',
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await polar?.close();
  });

  it('lists Polar as a configured OAuth provider', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'polar')).toMatchObject({ configured: true, authKind: 'oauth2' });
  });

  it('connects through consent, registers the Polar user, then backfills every stream', async () => {
    const back = await connectUser(t, userId, 'polar');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = polar.requests.find((r) => r.path === '/oauth2/authorization')!;
    expect(authorize.query.get('client_id')).toBe(POLAR_CLIENT.id);
    expect(authorize.query.get('scope')).toBe('accesslink.read_all');
    expect(authorize.query.get('state')!.length).toBeGreaterThanOrEqual(40);
    const token = polar.requests.find((r) => r.path === '/v2/oauth2/token')!;
    expect(token.headers.authorization).toMatch(/^Basic /);
    const registration = polar.requests.find((r) => r.path === '/v3/users' && r.method === 'POST')!;
    expect(JSON.parse(registration.body)).toEqual({ 'member-id': `vitasync-${polar.polarUserId}` });

    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.status).toBe('completed');
    const count = await counts();
    // Three nights of sleep and recharge; the activity range covers the 3 backfill days plus today.
    expect(count).toMatchObject({
      steps: 4,
      active_energy: 4,
      distance: 4,
      active_minutes: 4,
      sleep_duration: 3,
      deep_sleep_duration: 3,
      sleep_score: 3,
      hrv_rmssd: 3,
      respiratory_rate: 3,
      resting_heart_rate: 3,
    });
    const connections = await t.api('GET', `/v1/users/${userId}/connections`);
    expect(connections.body.data[0]).toMatchObject({ id: connectionId, status: 'active', lastSyncStatus: 'completed' });
  });

  it('stores Polar values in canonical units with the right metric types', async () => {
    expect((await samples('sleep_duration'))[0]).toMatchObject({ value: 420, unit: 'min', source: 'polar' });
    expect((await samples('awake_duration'))[0]).toMatchObject({ value: 30, unit: 'min' });
    expect((await samples('hrv_rmssd'))[0]).toMatchObject({ value: 61, unit: 'ms' });
    expect((await samples('respiratory_rate'))[0]).toMatchObject({ value: 14.1, unit: 'breaths/min' });
    expect((await samples('active_energy'))[0]).toMatchObject({ unit: 'kcal' });
    const [workout] = (await events('workout')).filter((e) => e.externalId === 'ex-1');
    // Polar's local start 2 h ahead of UTC with start_time_utc_offset 120; PT45M30S; metres and kcal as sent.
    const sent = polar.exercises.find((e) => e.id === 'ex-1')!;
    expect(Date.parse(workout.startAt)).toBe(Date.parse(`${sent.start_time}Z`) - 120 * 60_000);
    expect(workout).toMatchObject({
      subtype: 'running_road',
      durationSeconds: 2730,
      distance: 8250.5,
      energy: 512,
      avgHeartRate: 148,
      maxHeartRate: 171,
      connectionId,
    });
    const [sleep] = await events('sleep');
    expect(sleep).toMatchObject({
      source: 'polar',
      durationSeconds: 27_000,
      avgHeartRate: 56,
      details: { stageSeconds: { light: 14_400, deep: 4_800, rem: 5_400, awake: 1_800 }, sleepScore: 81 },
    });
  });

  it('keeps the year-long token encrypted and never asks Polar for a refresh', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/polar-token/);
    expect(row.refreshToken).toBeNull();
    expect(row.externalUserId).toBe(String(polar.polarUserId));
    expect(row.tokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
    expect(polar.requests.filter((r) => r.path === '/v2/oauth2/token').map((r) => new URLSearchParams(r.body).get('grant_type'))).toEqual([
      'authorization_code',
    ]);
  });

  it("answers Polar's unsigned PING with 200 and starts no sync", async () => {
    const response = await fetch(`${t.url}/v1/providers/polar/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'polar-webhook-event': 'PING' },
      body: JSON.stringify({ timestamp: new Date().toISOString(), event: 'PING' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 0 });
  });

  it('refuses a notification with a bad signature with 401', async () => {
    const response = await sendPolarPush(
      t.url,
      { event: 'EXERCISE', user_id: polar.polarUserId, entity_id: 'forged', timestamp: new Date().toISOString() },
      'not-the-secret',
    );
    expect(response.status).toBe(401);
  });

  it('syncs the new exercise a signed EXERCISE notification announces', async () => {
    const before = (await events('workout')).length;
    const payload = polar.uploadExercise();
    const response = await sendPolarPush(t.url, payload, WEBHOOK_SECRET);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const workouts = await eventually(
      () => events('workout'),
      (list) => list.length === before + 1,
    );
    expect(workouts.map((w) => w.externalId)).toContain(payload.entity_id);
  });

  it('re-syncs without duplicates and honours 429 Retry-After', async () => {
    const before = { counts: await counts(), workouts: (await events('workout')).length, nights: (await events('sleep')).length };
    polar.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(await counts()).toEqual(before.counts);
    expect((await events('workout')).length).toBe(before.workouts);
    expect((await events('sleep')).length).toBe(before.nights);
  });

  it('fails a sync on a malformed page with a clear lastError and no 500, then recovers on retry', async () => {
    polar.malform('/v3/users/sleep');
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    const job = await waitForJob(t, sync.body.id, { until: ['retrying', 'failed'] });
    expect(job.lastError).toMatch(/Polar answered sleep without a nights list/);
    const connections = await t.api('GET', `/v1/users/${userId}/connections`);
    expect(connections.status).toBe(200);
    expect(connections.body.data[0]).toMatchObject({
      status: 'active',
      lastSyncStatus: 'failed',
      lastSyncError: expect.stringMatching(/nights/),
    });
    expect((await t.api('GET', `/v1/users/${userId}/events?type=sleep`)).status).toBe(200);
    polar.malform(null);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
  });

  it('rejects an exercise that breaks the documented shape without storing part of it', async () => {
    polar.malform('/v3/exercises');
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    const job = await waitForJob(t, sync.body.id, { until: ['retrying', 'failed'] });
    expect(job.lastError).toMatch(/Polar answered an exercise without start_time/);
    polar.malform(null);
    await waitForJob(t, sync.body.id);
    expect((await events('workout')).some((w) => w.externalId === 'broken')).toBe(false);
  });

  it('accepts a Polar user already registered and asks for a reconnect when the token has expired', async () => {
    const other = (await aUser(t)).id;
    polar.nextTokenLifetime(60);
    const back = await connectUser(t, other, 'polar');
    expect(back.searchParams.get('status')).toBe('connected');
    expect(polar.requests.filter((r) => r.path === '/v3/users' && r.method === 'POST').length).toBe(2);
    await waitForJob(t, `sync:${back.searchParams.get('connectionId')}:backfill`);
    const [connection] = (await t.api('GET', `/v1/users/${other}/connections`)).body.data;
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/expired and cannot be refreshed/);
  });

  it('disconnects, de-registering the user at Polar and deleting the data when asked', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}?deleteData=true`);
    expect(response.status).toBe(204);
    expect(polar.deregistered).toEqual([polar.polarUserId]);
    expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data).toEqual([]);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
  });
});
