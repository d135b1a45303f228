import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WHOOP_CLIENT, WHOOP_USER_ID, sendWhoopWebhook, startFakeWhoop, type FakeWhoop } from '../../fakes/whoop.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake WHOOP server keeps that state), so the steps do not shuffle.
describe('WHOOP through its fake server', { shuffle: false }, () => {
  let whoop: FakeWhoop;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  let pushUrl: string;

  const summary = async () =>
    Object.fromEntries((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => [m.metricType, m]));
  const events = async (type: string) => (await t.api('GET', `/v1/users/${userId}/events?type=${type}&limit=200`)).body.data as any[];
  const pushJobs = () => t.server.database.prisma.job.findMany({ where: { id: { startsWith: `sync:${connectionId}:push:` } } });

  beforeAll(async () => {
    whoop = await startFakeWhoop();
    t = await startTestServer('pglite', {
      env: {
        WHOOP_CLIENT_ID: WHOOP_CLIENT.id,
        WHOOP_CLIENT_SECRET: WHOOP_CLIENT.secret,
        WHOOP_API_URL: whoop.url,
        WHOOP_AUTH_URL: whoop.url,
        SYNC_BACKFILL_DAYS: '5',
      },
    });
    pushUrl = `${t.url}/v1/providers/whoop/push`;
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await whoop?.close();
  });

  it('connects through consent and callback and learns the WHOOP user id from the profile', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'whoop')).toMatchObject({ configured: true, authKind: 'oauth2' });
    const back = await connectUser(t, userId, 'whoop');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = whoop.requests.find((r) => r.path === '/oauth/oauth2/auth')!;
    expect(authorize.query.get('scope')!.split(' ')).toEqual(
      expect.arrayContaining(['read:recovery', 'read:sleep', 'read:workout', 'read:cycles', 'offline']),
    );
    expect(authorize.query.get('state')!.length).toBeGreaterThanOrEqual(8);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({ id: connectionId, status: 'active', externalUserId: String(WHOOP_USER_ID) });
  });

  it('backfills recovery, sleep, workouts and cycles into our metric types and canonical units', async () => {
    expect((await waitForJob(t, `sync:${connectionId}:backfill`, { expectFound: true })).status).toBe('completed');
    const metrics = await summary();
    expect(metrics.recovery_score).toMatchObject({ unit: 'score', sources: ['whoop'] });
    expect(metrics.hrv_rmssd).toMatchObject({ unit: 'ms', latestValue: 48.5 });
    expect(metrics.resting_heart_rate).toMatchObject({ unit: 'bpm', latestValue: 52 });
    expect(metrics.spo2).toMatchObject({ unit: '%', latestValue: 96.5 });
    expect(metrics.skin_temperature).toMatchObject({ unit: 'degC', latestValue: 33.7 });
    expect(metrics.respiratory_rate).toMatchObject({ unit: 'breaths/min', latestValue: 15.5 });
    // Stage durations arrive in milliseconds: 7 h asleep of 7.5 h in bed.
    expect(metrics.sleep_duration).toMatchObject({ unit: 'min', latestValue: 420 });
    expect(metrics.time_in_bed).toMatchObject({ unit: 'min', latestValue: 450 });
    expect(metrics.sleep_score).toMatchObject({ unit: 'score', latestValue: 91 });
    expect(metrics.sleep_efficiency).toMatchObject({ unit: '%', latestValue: 93.5 });
    expect(metrics.strain).toMatchObject({ unit: 'score', latestValue: 12.5 });

    const sleeps = await events('sleep');
    const scored = sleeps.find((e) => e.details.scoreState === 'SCORED');
    expect(scored).toMatchObject({
      source: 'whoop',
      subtype: 'main',
      details: { stageSeconds: { deep: 5400, rem: 7200, light: 12_600, awake: 1800 }, efficiency: 93.5 },
    });
    // Last night is not scored yet: the session is there, its scores are not.
    expect(sleeps.find((e) => e.details.scoreState === 'PENDING_SCORE')?.details).toMatchObject({ efficiency: null, performance: null });

    const workouts = await events('workout');
    // More than one page of 25: the fake's next_token was followed.
    expect(workouts.length).toBeGreaterThan(25);
    expect(whoop.requests.some((r) => r.path === '/developer/v2/activity/workout' && r.query.get('nextToken'))).toBe(true);
    const run = workouts.find((e) => e.subtype === 'running')!;
    expect(run).toMatchObject({
      distance: 6200,
      elevationGain: 42,
      avgHeartRate: 128,
      maxHeartRate: 162,
      details: { strain: 8.25, zoneSeconds: { two: 900 } },
    });
    expect(run.energy).toBeCloseTo(1569.3 / 4.184, 3);

    const cycles = await events('activity');
    expect(cycles[0]).toMatchObject({ subtype: 'physiological_cycle', avgHeartRate: 68, details: { strain: 12.5 } });
    expect(cycles[0].energy).toBeCloseTo(8288.3 / 4.184, 3);
  });

  it('starts an incremental sync on a signed webhook that brings the newly scored night and a new workout', async () => {
    const before = await summary();
    const workoutsBefore = (await events('workout')).length;
    const { sleepId } = whoop.scoreLatestNight();
    const workoutId = whoop.addWorkout();
    const response = await sendWhoopWebhook(pushUrl, { type: 'sleep.updated', id: sleepId });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const [job] = await pushJobs();
    expect((await waitForJob(t, job!.id, { expectFound: true })).status).toBe('completed');

    const after = await summary();
    expect(after.recovery_score.count).toBe(before.recovery_score.count + 1);
    expect(after.sleep_duration.count).toBe(before.sleep_duration.count + 1);
    const night = (await events('sleep')).find((e) => e.externalId === sleepId);
    expect(night.details).toMatchObject({ scoreState: 'SCORED', stageSeconds: { deep: 5400 } });
    const workouts = await events('workout');
    expect(workouts.length).toBe(workoutsBefore + 1);
    expect(workouts.some((e) => e.externalId === workoutId)).toBe(true);
  });

  it('refuses a webhook with a bad signature or a stale timestamp with 401 and starts no sync', async () => {
    const jobsBefore = (await pushJobs()).length;
    const forged = await sendWhoopWebhook(pushUrl, { type: 'workout.updated', id: 'x' }, { secret: 'not-the-client-secret' });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ statusCode: 401, message: expect.stringMatching(/signature/) });
    const replayed = await sendWhoopWebhook(pushUrl, { type: 'workout.updated', id: 'x' }, { timestamp: Date.now() - 10 * 60_000 });
    expect(replayed.status).toBe(401);
    const unsigned = await fetch(pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: WHOOP_USER_ID, type: 'sleep.updated' }),
    });
    expect(unsigned.status).toBe(401);
    expect((await pushJobs()).length).toBe(jobsBefore);
  });

  it('ignores a signed webhook about a user it does not know', async () => {
    const response = await sendWhoopWebhook(pushUrl, { type: 'recovery.updated', id: 'x' }, { userId: 999 });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 0 });
  });

  it('re-syncs without duplicates and honours 429 Retry-After', async () => {
    const before = await summary();
    const eventsBefore = (await t.api('GET', `/v1/users/${userId}/events?limit=200`)).body.data.length;
    whoop.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id, { expectFound: true })).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    // The window reaches two days back, so the same records come again: none is stored twice.
    const after = await summary();
    for (const [metric, row] of Object.entries(before)) expect([metric, after[metric].count]).toEqual([metric, (row as any).count]);
    expect((await t.api('GET', `/v1/users/${userId}/events?limit=200`)).body.data.length).toBe(eventsBefore);
  });

  it('refreshed the short-lived tokens with the offline scope, spending each refresh token once', async () => {
    const refreshes = whoop.requests.filter(
      (r) => r.path === '/oauth/oauth2/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(whoop.issued()).toBeGreaterThan(1);
    expect(refreshes.length).toBe(whoop.issued() - 1);
    expect(refreshes.every((r) => new URLSearchParams(r.body).get('scope') === 'offline')).toBe(true);
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/whoop-access/);
    expect(JSON.stringify((await t.api('GET', `/v1/users/${userId}/connections`)).body)).not.toMatch(/whoop-(access|refresh)/);
  });

  it('fails a sync on a malformed page with a clear error and no 500, and the retry completes', async () => {
    whoop.malformNext(1);
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    const failed = await waitForJob(t, sync.body.id, { until: ['retrying', 'failed'], expectFound: true });
    expect(failed.lastError).toMatch(/^WHOOP answered a malformed page: \w+ record 0\.\w+ is (missing|not a valid \w+)$/);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({ status: 'active', lastSyncStatus: 'failed', lastSyncError: failed.lastError });
    expect((await waitForJob(t, sync.body.id, { expectFound: true })).status).toBe('completed');
  });

  it('disconnects, revoking access at WHOOP', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`);
    expect(response.status).toBe(204);
    expect(whoop.revoked.length).toBe(1);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
    // WHOOP stops its webhooks for the user; one arriving late starts nothing.
    expect(await (await sendWhoopWebhook(pushUrl, { type: 'workout.updated', id: 'x' })).json()).toEqual({ syncs: 0 });
  });
});
