import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWahoo, WAHOO_CLIENT, WAHOO_USER_ID, WAHOO_WEBHOOK_TOKEN, type FakeWahoo } from '../../fakes/wahoo.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced or
// were notified (the fake Wahoo server keeps that state), so the steps do not shuffle.
describe('Wahoo through its fake server', { shuffle: false }, () => {
  let wahoo: FakeWahoo;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  let pushUrl: string;
  const workouts = async () => (await t.api('GET', `/v1/users/${userId}/events?type=workout&limit=100`)).body.data as any[];
  const pushJobs = () => t.server.database.prisma.job.findMany({ where: { id: { startsWith: `sync:${connectionId}:push:` } } });

  beforeAll(async () => {
    wahoo = await startFakeWahoo();
    t = await startTestServer('pglite', {
      env: {
        WAHOO_CLIENT_ID: WAHOO_CLIENT.id,
        WAHOO_CLIENT_SECRET: WAHOO_CLIENT.secret,
        WAHOO_API_URL: wahoo.url,
        WAHOO_AUTH_URL: wahoo.url,
        WAHOO_WEBHOOK_TOKEN,
        SYNC_BACKFILL_DAYS: '7',
      },
    });
    pushUrl = `${t.url}/v1/providers/wahoo/push`;
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await wahoo?.close();
  });

  it('lists Wahoo as a configured OAuth provider of workouts that pushes', async () => {
    const listed = (await t.api('GET', '/v1/providers')).body.data.find((p: any) => p.id === 'wahoo');
    expect(listed).toMatchObject({ configured: true, authKind: 'oauth2', dataTypes: ['workout'], push: true, backfillDays: 7 });
  });

  it('connects through consent and callback, naming the user by their Wahoo id, then backfills the window’s rides', async () => {
    const back = await connectUser(t, userId, 'wahoo');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    expect(wahoo.requests.find((r) => r.path === '/oauth/authorize')!.query.get('scope')).toBe('user_read workouts_read offline_data');
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0]).toMatchObject({ externalUserId: String(WAHOO_USER_ID) });
    expect((await waitForJob(t, `sync:${connectionId}:backfill`)).status).toBe('completed');
    const rides = await workouts();
    // Seven days of one ride a day (today's only once it has ended), none older than the window.
    expect(rides.length).toBeGreaterThanOrEqual(6);
    expect(rides.length).toBeLessThanOrEqual(8);
  });

  // The summary's measures are decimal strings (WorkoutSummary in the Cloud API): a client reading numbers only
  // stores rides without distance, energy or heart rate.
  it('reads the summary’s decimal strings as distance, energy, heart rate and duration', async () => {
    const [ride] = await workouts();
    expect(ride).toMatchObject({ source: 'wahoo', distance: 30123.4, energy: 710.5, avgHeartRate: 141, durationSeconds: 3600 });
    expect(ride.details).toMatchObject({ workoutTypeId: 0, ascentMetres: 312, averagePowerWatts: 205 });
  });

  it('syncs a workout uploaded days after it was recorded when its webhook arrives', async () => {
    const id = wahoo.uploadLate();
    const response = await wahoo.notify(pushUrl, id);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const [job] = await pushJobs();
    expect((await waitForJob(t, job!.id, { expectFound: true })).status).toBe('completed');
    expect((await workouts()).find((w) => w.externalId === String(id))).toMatchObject({ details: { name: 'Trail run', workoutTypeId: 1 } });
  });

  it('refuses a webhook with another token, and starts nothing for an unknown user', async () => {
    const forged = await wahoo.notify(pushUrl, 7000, { token: 'guessed' });
    expect(forged.status).toBe(401);
    const stranger = await fetch(pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'workout_summary', user: { id: 1 }, webhook_token: WAHOO_WEBHOOK_TOKEN, workout_summary: {} }),
    });
    expect(await stranger.json()).toEqual({ syncs: 0 });
  });

  it('re-syncs without duplicates and waits out a 429 with Retry-After', async () => {
    const before = (await workouts()).length;
    wahoo.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await workouts()).length).toBe(before);
  });

  it('disconnects, revoking the app’s permissions at Wahoo', async () => {
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`)).status).toBe(204);
    expect(wahoo.permissionsRevoked()).toBe(1);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
  });

  it('turns a new connection to error when the user removes the app at Wahoo', async () => {
    const again = (await connectUser(t, userId, 'wahoo', { expectCreated: false })).searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${again}:backfill`)).status).toBe('completed');
    wahoo.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${again}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === again);
    expect(connection.status).toBe('error');
  });
});
