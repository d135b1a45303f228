import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeSuunto,
  SUUNTO_CLIENT,
  SUUNTO_NOTIFICATION_SECRET,
  SUUNTO_SUBSCRIPTION_KEY,
  SUUNTO_USERNAME,
  type FakeSuunto,
} from '../../fakes/suunto.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const DAY = 86_400_000;
const BACKFILL_DAYS = 35;

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced or
// were notified (the fake Suunto server keeps that state), so the steps do not shuffle.
describe('Suunto through its fake server', { shuffle: false }, () => {
  let suunto: FakeSuunto;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  let pushUrl: string;
  const workouts = async () => (await t.api('GET', `/v1/users/${userId}/events?type=workout&limit=100`)).body.data as any[];
  const steps = async () => (await t.api('GET', `/v1/users/${userId}/health?metricType=steps&limit=100`)).body.data as any[];
  const pushJobs = () => t.server.database.prisma.job.findMany({ where: { id: { startsWith: `sync:${connectionId}:push:` } } });

  beforeAll(async () => {
    suunto = await startFakeSuunto();
    t = await startTestServer('pglite', {
      env: {
        SUUNTO_CLIENT_ID: SUUNTO_CLIENT.id,
        SUUNTO_CLIENT_SECRET: SUUNTO_CLIENT.secret,
        SUUNTO_SUBSCRIPTION_KEY,
        SUUNTO_NOTIFICATION_SECRET,
        SUUNTO_API_URL: suunto.url,
        SUUNTO_AUTH_URL: suunto.url,
        SYNC_BACKFILL_DAYS: String(BACKFILL_DAYS),
      },
    });
    pushUrl = `${t.url}/v1/providers/suunto/push`;
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await suunto?.close();
  });

  it('lists Suunto as a configured OAuth provider of workouts and steps that pushes', async () => {
    const listed = (await t.api('GET', '/v1/providers')).body.data.find((p: any) => p.id === 'suunto');
    expect(listed).toMatchObject({
      configured: true,
      authKind: 'oauth2',
      dataTypes: ['workout', 'steps'],
      push: true,
      backfillDays: BACKFILL_DAYS,
    });
  });

  it('connects with HTTP Basic at the token endpoint, naming the user by the token’s user claim, then backfills', async () => {
    const back = await connectUser(t, userId, 'suunto');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    expect(suunto.requests.find((r) => r.path === '/oauth/authorize')!.query.has('scope')).toBe(false);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0]).toMatchObject({ externalUserId: SUUNTO_USERNAME });
    expect((await waitForJob(t, `sync:${connectionId}:backfill`)).status).toBe('completed');
    // Every data call carried the subscription key (the gateway refuses any without it).
    const dataCalls = suunto.requests.filter((r) => r.path.startsWith('/v2/') || r.path.startsWith('/247samples/'));
    expect(dataCalls.length).toBeGreaterThan(0);
    expect(dataCalls.every((r) => r.headers['ocp-apim-subscription-key'] === SUUNTO_SUBSCRIPTION_KEY)).toBe(true);
    // The ten days of runs, all inside the window (since and until in milliseconds).
    const since = Number(suunto.requests.find((r) => r.path === '/v2/workouts')!.query.get('since'));
    expect(since).toBeGreaterThan(Date.now() - (BACKFILL_DAYS + 1) * DAY);
    expect((await workouts()).length).toBeGreaterThanOrEqual(9);
  });

  it('reads a run’s distance, energy, ascent and its own heart rates, not the user’s maximum from settings', async () => {
    const [run] = await workouts();
    // totalTime 3000.4 s, totalDistance 10234.5 m, energyConsumption 612 kcal, hrdata 151/178 (userMaxHR is 200).
    expect(run).toMatchObject({
      source: 'suunto',
      distance: 10234.5,
      energy: 612,
      avgHeartRate: 151,
      maxHeartRate: 178,
      elevationGain: 88.5,
    });
    expect(run.durationSeconds).toBeCloseTo(3000.4, 0);
    expect(run.details).toMatchObject({ activityId: 3, steps: 8500 });
  });

  // The edge a wrong client fails: the statistics refuse an interval over 28 days, so a 35-day backfill must be
  // asked in two pieces; and a day whose Value is null is a day without data, not a day of zero steps.
  it('backfills 35 days of steps in pieces of at most 28 days, leaving the day without data out', async () => {
    const calls = suunto.requests.filter((r) => r.path === '/247samples/daily-activity-statistics');
    expect(calls.length).toBe(2);
    for (const call of calls)
      expect(Date.parse(`${call.query.get('enddate')}Z`) - Date.parse(`${call.query.get('startdate')}Z`)).toBeLessThanOrEqual(28 * DAY);
    const stored = await steps();
    const today = Math.floor(Date.now() / DAY) * DAY;
    const missing = new Date(today - 3 * DAY).toISOString().slice(0, 10);
    expect(stored.find((s) => s.recordedAt.startsWith(missing))).toBeUndefined();
    const yesterday = new Date(today - DAY).toISOString().slice(0, 10);
    expect(stored.find((s) => s.recordedAt.startsWith(yesterday))?.value).toBe(suunto.stepsOn(yesterday));
    // 36 calendar days touch the 35-day window; one of them has no data.
    expect(stored.length).toBeGreaterThanOrEqual(34);
    expect(stored.length).toBeLessThanOrEqual(35);
  });

  it('refreshes the access token by its exp claim (the token answer has no expires_in)', async () => {
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(
      suunto.requests.some((r) => r.path === '/oauth/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token'),
    ).toBe(true);
  });

  it('syncs a run recorded days ago when the watch uploads it and its signed notification arrives', async () => {
    const key = suunto.uploadLate(5);
    const response = await suunto.notify(pushUrl, { type: 'WORKOUT_CREATED', username: SUUNTO_USERNAME, workout: { workoutKey: key } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const [job] = await pushJobs();
    expect((await waitForJob(t, job!.id, { expectFound: true })).status).toBe('completed');
    expect((await workouts()).find((w) => w.externalId === key)).toMatchObject({ details: { activityId: 11 } });
  });

  it('refuses a notification signed with another secret, and starts nothing for routes or unknown users', async () => {
    const forged = await suunto.notify(pushUrl, { type: 'WORKOUT_CREATED', username: SUUNTO_USERNAME }, { secret: 'guessed' });
    expect(forged.status).toBe(401);
    const route = await suunto.notify(pushUrl, { type: 'ROUTE_CREATED', username: SUUNTO_USERNAME });
    expect(await route.json()).toEqual({ syncs: 0 });
    const stranger = await suunto.notify(pushUrl, { type: 'WORKOUT_CREATED', username: 'someone-else' });
    expect(await stranger.json()).toEqual({ syncs: 0 });
  });

  it('re-syncs without duplicates and waits out a 429 with Retry-After', async () => {
    const before = { workouts: (await workouts()).length, steps: (await steps()).length };
    suunto.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect({ workouts: (await workouts()).length, steps: (await steps()).length }).toEqual(before);
  });

  it('disconnects, after which a notification for the user starts nothing', async () => {
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`)).status).toBe(204);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
    const after = await suunto.notify(pushUrl, { type: 'WORKOUT_CREATED', username: SUUNTO_USERNAME });
    expect(await after.json()).toEqual({ syncs: 0 });
  });

  it('turns a new connection to error when the user withdraws consent at Suunto', async () => {
    const again = (await connectUser(t, userId, 'suunto', { expectCreated: false })).searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${again}:backfill`)).status).toBe('completed');
    suunto.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${again}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === again);
    expect(connection.status).toBe('error');
  });
});

describe('Suunto without an API subscription key', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer('pglite', { env: { SUUNTO_CLIENT_ID: SUUNTO_CLIENT.id, SUUNTO_CLIENT_SECRET: SUUNTO_CLIENT.secret } });
    await setRedirectUris(t, [APP_RETURN]);
  });
  afterAll(() => t?.close());

  it('is listed as not configured and refuses a connect link with 422 naming the missing key', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'suunto').configured).toBe(false);
    const user = await aUser(t);
    const link = await t.api('POST', `/v1/users/${user.id}/connect-links`, { body: { providerId: 'suunto', redirectUri: APP_RETURN } });
    expect(link.status).toBe(422);
    expect(link.body.message).toBe(
      'provider "suunto" is not configured in this install: set SUUNTO_CLIENT_ID, SUUNTO_CLIENT_SECRET and SUUNTO_SUBSCRIPTION_KEY',
    );
  });
});
