import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GARMIN_CLIENT, GARMIN_PERMISSIONS, GARMIN_USER_ID, garminDay, startFakeGarmin, type FakeGarmin } from '../../fakes/garmin.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const PUSH_SECRET = 'garmin-endpoint-secret';
const DAY = 86_400;

/** Reads until `done` accepts the value: notifications are answered first and their data stored by a job after. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, seconds = 30): Promise<T> {
  for (let i = 0; i < seconds * 10; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not reached in ${seconds} s`);
}

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Garmin server keeps that state), so the steps do not shuffle.
describe('Garmin through its fake server', { shuffle: false }, () => {
  let garmin: FakeGarmin;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  let pushUrl: string;
  const today = () => Math.floor(Date.now() / 1000 / DAY) * DAY;

  const summary = async () =>
    Object.fromEntries((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => [m.metricType, m]));
  const samplesOf = async (metricType: string) =>
    (await t.api('GET', `/v1/users/${userId}/health?metricType=${metricType}&limit=200`)).body.data;
  const eventsOf = async (type: string) => (await t.api('GET', `/v1/users/${userId}/events?type=${type}&limit=100`)).body.data;
  const connection = async () => (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === connectionId);
  const prisma = () => t.server.database.prisma;
  /** Every notice read and every job of the connection finished. */
  const quiet = () =>
    until(
      async () => ({
        notices: await prisma().providerNotice.count({ where: { connectionId } }),
        running: await prisma().job.count({
          where: { id: { startsWith: `sync:${connectionId}:` }, status: { in: ['queued', 'running', 'retrying'] } },
        }),
      }),
      (state) => state.notices === 0 && state.running === 0,
    );

  beforeAll(async () => {
    garmin = await startFakeGarmin();
    t = await startTestServer('pglite', {
      env: {
        GARMIN_CLIENT_ID: GARMIN_CLIENT.id,
        GARMIN_CLIENT_SECRET: GARMIN_CLIENT.secret,
        GARMIN_API_URL: garmin.url,
        GARMIN_AUTH_URL: garmin.url,
        GARMIN_TOKEN_URL: garmin.url,
        GARMIN_PUSH_SECRET: PUSH_SECRET,
        SYNC_BACKFILL_DAYS: '3',
      },
    });
    pushUrl = `${t.url}/v1/providers/garmin/push?secret=${PUSH_SECRET}`;
    garmin.deliverTo(pushUrl);
    // Garmin lets each summary type be configured for push or ping; the fake uses both.
    Object.assign(garmin.modes, { sleeps: 'ping', hrv: 'ping', bodyComps: 'ping', activities: 'ping' });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await garmin?.settled();
    await t?.close();
    await garmin?.close();
  });

  it('lists Garmin as a configured OAuth provider of health metrics, sleep and workouts', async () => {
    const providers = await t.api('GET', '/v1/providers');
    const listed = providers.body.data.find((p: any) => p.id === 'garmin');
    expect(listed).toMatchObject({ configured: true, authKind: 'oauth2' });
    expect(listed.dataTypes).toEqual(expect.arrayContaining(['steps', 'body_battery', 'stress_level', 'hrv_rmssd', 'sleep', 'workout']));
  });

  it('connects with PKCE and no scope, naming the user by Garmin’s User ID and keeping their permissions as scopes', async () => {
    const back = await connectUser(t, userId, 'garmin');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = garmin.requests.find((r) => r.path === '/oauth2Confirm')!;
    expect(Object.fromEntries(authorize.query)).toMatchObject({
      response_type: 'code',
      client_id: GARMIN_CLIENT.id,
      code_challenge_method: 'S256',
    });
    expect(authorize.query.has('scope')).toBe(false);
    const exchange = new URLSearchParams(garmin.requests.find((r) => r.path === '/di-oauth2-service/oauth/token')!.body);
    expect(Object.fromEntries(exchange)).toMatchObject({
      grant_type: 'authorization_code',
      client_id: GARMIN_CLIENT.id,
      client_secret: GARMIN_CLIENT.secret,
    });
    expect(exchange.get('code_verifier')!.length).toBeGreaterThanOrEqual(43);
    expect(await connection()).toMatchObject({ status: 'active', externalUserId: GARMIN_USER_ID, scopes: GARMIN_PERMISSIONS });
  });

  it('backfills by asking Garmin for every summary type up to the connect, then stores what Garmin pushes and pings back', async () => {
    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.status).toBe('completed');
    const connectedAt = Date.parse((await connection()).createdAt) / 1000;
    const backfills = garmin.requests.filter((r) => r.path.startsWith('/wellness-api/rest/backfill/'));
    // Each type asked for once. A sync attempt retried after a transient failure may ask again for a range
    // that was sent but not yet checkpointed; Garmin refuses that repeat with 409, which the sync takes as done.
    expect(
      garmin
        .acceptedBackfills()
        .map((range) => range.split(':')[0])
        .sort(),
      JSON.stringify(job),
    ).toEqual([
      'activities',
      'bloodPressures',
      'bodyComps',
      'dailies',
      'hrv',
      'pulseOx',
      'respiration',
      'skinTemp',
      'sleeps',
      'stressDetails',
      'userMetrics',
    ]);
    // In one clean attempt nothing is asked twice.
    if (job.attempt === 1) expect(backfills).toHaveLength(garmin.acceptedBackfills().length);
    for (const request of backfills) {
      const [from, to] = [Number(request.query.get('summaryStartTimeInSeconds')), Number(request.query.get('summaryEndTimeInSeconds'))];
      expect(to - from).toBeLessThanOrEqual(3 * DAY + 1);
      expect(to).toBeLessThanOrEqual(Math.ceil(connectedAt));
    }
    await garmin.settled();
    expect(garmin.deliveries.length).toBeGreaterThan(0);
    expect(garmin.deliveries.every((d) => d.status === 200)).toBe(true);
    await quiet();
    // Pings were pulled with the user's token and the pull token of the callback URL.
    const pulls = garmin.requests.filter((r) => r.path === '/wellness-api/rest/sleeps');
    expect(pulls.length).toBeGreaterThan(0);
    expect(pulls.every((r) => r.query.has('token') && /^Bearer garmin-access-\d+$/.test(String(r.headers.authorization)))).toBe(true);

    const metrics = await summary();
    expect(metrics.steps).toMatchObject({ unit: 'count', sources: ['garmin'] });
    expect(metrics.steps.count).toBeGreaterThanOrEqual(3);
    expect(metrics.resting_heart_rate).toMatchObject({ unit: 'bpm', latestValue: 52 });
    expect(metrics.basal_energy).toMatchObject({ unit: 'kcal', latestValue: 1700 });
    // Intensity durations come in seconds, masses in grams.
    expect(metrics.moderate_intensity_minutes).toMatchObject({ unit: 'min', latestValue: 30 });
    expect(metrics.vigorous_intensity_minutes).toMatchObject({ unit: 'min', latestValue: 15 });
    expect(metrics.muscle_mass).toMatchObject({ unit: 'kg', latestValue: 34.5 });
    expect(metrics.bone_mass).toMatchObject({ unit: 'kg', latestValue: 3.2 });
    expect(metrics.body_fat).toMatchObject({ unit: '%', latestValue: 18.4 });
    expect(metrics.bmi.latestValue).toBe(23.1);
    expect(metrics.body_water.latestValue).toBe(58.2);
    expect(metrics.blood_pressure_systolic).toMatchObject({ unit: 'mmHg', latestValue: 121 });
    expect(metrics.skin_temperature_deviation).toMatchObject({ unit: 'degC', latestValue: -0.4 });
    expect(metrics.vo2max.latestValue).toBe(48);
    expect(metrics.sleep_score.latestValue).toBe(82);
    for (const metric of ['heart_rate', 'body_battery', 'spo2', 'respiratory_rate', 'hrv_rmssd'])
      expect(metrics[metric]?.count).toBeGreaterThan(0);
    // A stress value of −1 is Garmin's "off wrist" code, not a score.
    const stress = await samplesOf('stress_level');
    expect(stress.length).toBeGreaterThan(0);
    expect(stress.every((s: any) => s.value >= 0)).toBe(true);
    for (const weight of await samplesOf('weight')) expect(weight.value).toBeCloseTo(75 + Number(weight.recordedAt.slice(8, 10)) * 0.01, 6);

    const [sleep] = await eventsOf('sleep');
    expect(sleep).toMatchObject({
      source: 'garmin',
      connectionId,
      durationSeconds: 28_800,
      details: { stageSeconds: { deep: 5400, light: 16_200, rem: 5400, awake: 1800 }, sleepScore: 82 },
    });
    const [workout] = await eventsOf('workout');
    expect(workout).toMatchObject({
      subtype: 'running',
      distance: 7500.3,
      energy: 560,
      avgHeartRate: 152,
      maxHeartRate: 178,
      elevationGain: 85.5,
      device: 'Forerunner 965',
    });
    expect(await connection()).toMatchObject({ status: 'active', lastSyncStatus: 'completed' });
  });

  it('stores tokens only encrypted and refreshes them, each refresh token once', async () => {
    const row = await prisma().connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/garmin-access/);
    expect(row.refreshToken).not.toMatch(/garmin-refresh/);
    const refreshes = garmin.requests.filter(
      (r) => r.path === '/di-oauth2-service/oauth/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(refreshes.length).toBe(garmin.issued() - 1);
    expect(new Set(refreshes.map((r) => new URLSearchParams(r.body).get('refresh_token'))).size).toBe(refreshes.length);
  });

  it('stores a pushed summary, correcting a day’s growing total instead of adding a sample', async () => {
    const before = (await samplesOf('steps')).length;
    const daily = { ...garminDay(today()).dailies![0], steps: 12_345, durationInSeconds: 3600 * 20 };
    const response = await garmin.notify('dailies', [daily], 'push');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const steps = await until(
      () => samplesOf('steps'),
      (rows) => rows.some((s: any) => s.value === 12_345),
    );
    expect(steps.length).toBe(before);
  });

  it('pulls what a ping names, and stores nothing twice when the same activity is pushed as well', async () => {
    const activity = {
      ...garminDay(today()).activities![0],
      summaryId: 'x-new-ride',
      activityId: 777,
      activityType: 'ROAD_BIKING',
      startTimeInSeconds: Math.floor(Date.now() / 1000) - 7200,
      distanceInMeters: 40_000,
    };
    const before = (await eventsOf('workout')).length;
    expect((await garmin.notify('activities', [activity], 'ping')).status).toBe(200);
    await until(
      () => eventsOf('workout'),
      (rows) => rows.length === before + 1,
    );
    expect((await garmin.notify('activities', [activity], 'push')).status).toBe(200);
    await quiet();
    const workouts = await eventsOf('workout');
    expect(workouts.length).toBe(before + 1);
    expect(workouts.filter((w: any) => w.subtype === 'road_biking')).toMatchObject([{ distance: 40_000 }]);
  });

  it('waits out a 429 with its Retry-After when pulling a ping', async () => {
    garmin.rateLimitNext(1, 1);
    const started = Date.now();
    const composition = {
      ...garminDay(today()).bodyComps![0],
      summaryId: 'x-bc-late',
      measurementTimeInSeconds: Math.floor(Date.now() / 1000) - 60,
      weightInGrams: 80_400,
    };
    expect((await garmin.notify('bodyComps', [composition], 'ping')).status).toBe(200);
    await until(
      () => samplesOf('weight'),
      (rows) => rows.some((s: any) => s.value === 80.4),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it('fails the sync attempt with a clear error on a malformed page, answers no 500, and recovers on retry', async () => {
    garmin.malformNext();
    const reading = {
      summaryId: 'x-bp-late',
      systolic: 140,
      diastolic: 90,
      pulse: 70,
      sourceType: 'DEVICE',
      measurementTimeInSeconds: Math.floor(Date.now() / 1000) - 30,
    };
    expect((await garmin.notify('bloodPressures', [reading], 'ping')).status).toBe(200);
    const job = await until(
      () =>
        prisma().job.findFirst({
          where: { id: { startsWith: `sync:${connectionId}:notice:` }, lastError: { not: null } },
          orderBy: { createdAt: 'desc' },
        }),
      (row) => row !== null,
    );
    expect(job!.lastError).toBe('Garmin answered a malformed bloodPressures summary at index 0 (no measurementTimeInSeconds)');
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).status).toBe(200);
    expect((await waitForJob(t, job!.id, { attempts: 300 })).status).toBe('completed');
    expect((await samplesOf('blood_pressure_systolic')).map((s: any) => s.value)).toContain(140);
  });

  it('refuses notifications without the endpoint secret or from another consumer key, and callback URLs off Garmin’s host', async () => {
    const send = (url: string, body: unknown, clientId = GARMIN_CLIENT.id) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'garmin-client-id': clientId },
        body: JSON.stringify(body),
      });
    const ping = (callbackURL: string, user = GARMIN_USER_ID) => ({ dailies: [{ userId: user, callbackURL }] });
    expect((await send(`${t.url}/v1/providers/garmin/push`, ping(`${garmin.url}/wellness-api/rest/dailies`))).status).toBe(401);
    expect((await send(`${t.url}/v1/providers/garmin/push?secret=guessed`, ping(`${garmin.url}/wellness-api/rest/dailies`))).status).toBe(
      401,
    );
    expect((await send(pushUrl, ping(`${garmin.url}/wellness-api/rest/dailies`), 'another-key')).status).toBe(401);
    expect((await send(pushUrl, ping('http://169.254.169.254/latest/meta-data'))).status).toBe(400);
    expect((await send(pushUrl, { dailies: [{ userId: GARMIN_USER_ID, summaryId: 'x', steps: 5 }] })).status).toBe(400);
    const stranger = await send(pushUrl, ping(`${garmin.url}/wellness-api/rest/dailies`, 'someone-else'));
    expect(stranger.status).toBe(200);
    expect(await stranger.json()).toEqual({ syncs: 0 });
    // Summary types VitaSync does not read are acknowledged, so Garmin keeps delivering.
    expect((await send(pushUrl, { epochs: [{ userId: GARMIN_USER_ID, summaryId: 'x', startTimeInSeconds: 1 }] })).status).toBe(200);
  });

  it('keeps the permissions a user changes at Garmin as the connection’s scopes, and drops a ping Garmin no longer answers', async () => {
    expect((await garmin.changePermissions(['ACTIVITY_EXPORT'])).status).toBe(200);
    expect((await connection()).scopes).toEqual(['ACTIVITY_EXPORT']);
    // Health summaries are no longer shared: their callback answers 412, which asking again cannot change.
    const daily = { ...garminDay(today()).dailies![0], steps: 15_000 };
    expect((await garmin.notify('dailies', [daily], 'ping')).status).toBe(200);
    const activity = {
      ...garminDay(today()).activities![0],
      summaryId: 'x-walk',
      activityId: 778,
      activityType: 'WALKING',
      startTimeInSeconds: Math.floor(Date.now() / 1000) - 3600,
    };
    expect((await garmin.notify('activities', [activity], 'ping')).status).toBe(200);
    await until(
      () => eventsOf('workout'),
      (rows) => rows.some((w: any) => w.subtype === 'walking'),
    );
    await quiet();
    expect((await samplesOf('steps')).map((s: any) => s.value)).not.toContain(15_000);
    expect(await connection()).toMatchObject({ status: 'active', lastSyncStatus: 'completed' });
  });

  it('disconnects the connection, with an event and no more schedule, when the user removes the app at Garmin', async () => {
    await quiet();
    const row = await prisma().connection.findUniqueOrThrow({ where: { id: connectionId } });
    const changes = t.server.app.live.subscribe('connection.changed', row.workspaceId)[Symbol.asyncIterator]();
    const next = changes.next();
    const response = await garmin.deregister();
    expect(response.status).toBe(200);
    expect((await next).value).toMatchObject({ connectionId, status: 'disconnected', reason: 'the user revoked access at Garmin' });
    await changes.return?.();
    expect(await connection()).toMatchObject({ status: 'disconnected', statusReason: 'the user revoked access at Garmin' });
    expect((await t.api('GET', `/v1/users/${userId}/connections/${connectionId}/schedule`)).status).toBe(404);
    const audit = await t.api('GET', '/v1/audit-log');
    expect(audit.body.data.find((e: any) => e.targetId === connectionId && e.action === 'connection.disconnected')).toMatchObject({
      details: { by: 'provider' },
    });
    // Data already stored stays; later notifications for the user start nothing.
    expect((await eventsOf('workout')).length).toBeGreaterThan(0);
    const late = await garmin.notify('dailies', garminDay(today()).dailies!, 'push');
    expect(await late.json()).toEqual({ syncs: 0 });
  });

  it('deletes the user registration at Garmin when the app disconnects, and keeps its own reason after Garmin’s notification', async () => {
    const back = await connectUser(t, userId, 'garmin');
    connectionId = back.searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${connectionId}:backfill`)).status).toBe('completed');
    await garmin.settled();
    await quiet();
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`)).status).toBe(204);
    expect(garmin.registrationsDeleted()).toBe(1);
    await garmin.settled();
    expect(garmin.deliveries.at(-1)).toMatchObject({ key: 'deregistrations', status: 200 });
    expect(await connection()).toMatchObject({ status: 'disconnected', statusReason: 'disconnected by the app' });
  });
});

describe('Garmin backfill limits', () => {
  const servers: { garmin: FakeGarmin; t: TestServer }[] = [];
  afterAll(async () => {
    for (const { garmin, t } of servers) {
      await garmin.settled();
      await t.close();
      await garmin.close();
    }
  });

  /** A user connected to a fresh fake, with this backfill window; answers the connection and the fake. */
  async function connected(options: { backfillDays: number; permissions?: string[]; permissionsShape?: 'object' | 'list' }) {
    const garmin = await startFakeGarmin({ permissions: options.permissions });
    if (options.permissionsShape) garmin.permissionsShape = options.permissionsShape;
    const t = await startTestServer('pglite', {
      env: {
        GARMIN_CLIENT_ID: GARMIN_CLIENT.id,
        GARMIN_CLIENT_SECRET: GARMIN_CLIENT.secret,
        GARMIN_API_URL: garmin.url,
        GARMIN_AUTH_URL: garmin.url,
        GARMIN_TOKEN_URL: garmin.url,
        GARMIN_PUSH_SECRET: PUSH_SECRET,
        SYNC_BACKFILL_DAYS: String(options.backfillDays),
      },
    });
    servers.push({ garmin, t });
    garmin.deliverTo(`${t.url}/v1/providers/garmin/push?secret=${PUSH_SECRET}`);
    await setRedirectUris(t, [APP_RETURN]);
    const userId = (await aUser(t)).id;
    const connectionId = (await connectUser(t, userId, 'garmin')).searchParams.get('connectionId')!;
    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    return { garmin, job, connection };
  }

  // A client asking 90 days at a time (Health API v1.2.2 §8) is refused with 400 for every health summary type.
  it('asks at most 30 days per backfill request, in consecutive ranges that cover the window', async () => {
    const { garmin, job, connection } = await connected({ backfillDays: 70 });
    expect(job.status).toBe('completed');
    const ranges = garmin.acceptedBackfills().map((range) => range.split(':'));
    const dailies = ranges.filter(([resource]) => resource === 'dailies').map(([, from, to]) => [Number(from), Number(to)]);
    expect(dailies).toHaveLength(3);
    expect(ranges.every(([, from, to]) => Number(to) - Number(from) <= 30 * DAY)).toBe(true);
    dailies.sort((a, b) => a[0]! - b[0]!);
    expect(dailies[1]![0]).toBe(dailies[0]![1]);
    expect(dailies[2]![0]).toBe(dailies[1]![1]);
    expect(dailies[2]![1]! - dailies[0]![0]!).toBeGreaterThanOrEqual(70 * DAY - 60);
    expect(connection).toMatchObject({ status: 'active' });
  });

  it('reads the permissions Garmin answers as a plain list as well as in an object', async () => {
    const { connection } = await connected({ backfillDays: 1, permissionsShape: 'list' });
    expect(connection.scopes).toEqual(GARMIN_PERMISSIONS);
  });

  // Without HISTORICAL_DATA_EXPORT Garmin answers 403 to every backfill: the user shared no history, and the
  // token is fine, so the connection must stay active (a client taking 403 for a refused token marks it error).
  it('keeps the connection active when the user did not share history and Garmin refuses the backfill with 403', async () => {
    const { garmin, job, connection } = await connected({ backfillDays: 3, permissions: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'] });
    expect(job.status).toBe('completed');
    expect(garmin.acceptedBackfills()).toEqual([]);
    expect(garmin.requests.filter((r) => r.path.startsWith('/wellness-api/rest/backfill/')).length).toBeGreaterThan(0);
    expect(connection).toMatchObject({ status: 'active', scopes: ['ACTIVITY_EXPORT', 'HEALTH_EXPORT'] });
  });
});
