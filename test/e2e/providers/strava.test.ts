import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STRAVA_ATHLETE_ID,
  STRAVA_CLIENT,
  STRAVA_WEBHOOK,
  checkStravaSubscription,
  sendStravaPush,
  startFakeStrava,
  stravaActivity,
  type FakeStrava,
} from '../../fakes/strava.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Strava server keeps that state), so the steps do not shuffle.
describe('Strava through its fake server', { shuffle: false }, () => {
  let strava: FakeStrava;
  let t: TestServer;
  let userId: string;
  let connectionId: string;

  const workouts = async () => (await t.api('GET', `/v1/users/${userId}/events?type=workout&limit=100`)).body.data as any[];
  const counts = async () =>
    Object.fromEntries((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => [m.metricType, m.count]));
  const activityRequests = () => strava.requests.filter((r) => r.path === '/api/v3/athlete/activities');
  const prisma = () => t.server.database.prisma;
  /** Every notice read and every job of the connection finished: a push is answered first, its data stored after. */
  const quiet = async () => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const notices = await prisma().providerNotice.count({ where: { connectionId } });
      const running = await prisma().job.count({
        where: { id: { startsWith: `sync:${connectionId}:` }, status: { in: ['queued', 'running', 'retrying'] } },
      });
      if (notices === 0 && running === 0) return;
      if (Date.now() > deadline) throw new Error(`still ${notices} notices and ${running} jobs`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const samplesOf = async (metricType: string) =>
    (await t.api('GET', `/v1/users/${userId}/health?metricType=${metricType}&limit=200`)).body.data as any[];
  /** The day's total of a metric as GET …/daily-summaries answers it (0 when the day has none). */
  const dayTotal = async (metricType: string, day: string) => {
    const response = await t.api('GET', `/v1/users/${userId}/health/daily-summaries?metricType=${metricType}&from=${day}&to=${day}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    const rows = response.body.data as any[];
    return rows.reduce((sum, row) => sum + row.value, 0) as number;
  };
  const domainEvents = async (type: string) =>
    (await prisma().domainEvent.findMany({ where: { type }, orderBy: { sequence: 'asc' } })).map((e) => e.payload as any);

  beforeAll(async () => {
    strava = await startFakeStrava({ maxPerPage: 2 });
    t = await startTestServer('pglite', {
      env: {
        STRAVA_CLIENT_ID: STRAVA_CLIENT.id,
        STRAVA_CLIENT_SECRET: STRAVA_CLIENT.secret,
        STRAVA_API_URL: strava.url,
        STRAVA_AUTH_URL: strava.url,
        STRAVA_WEBHOOK_SUBSCRIPTION_ID: STRAVA_WEBHOOK.subscriptionId,
        STRAVA_WEBHOOK_VERIFY_TOKEN: STRAVA_WEBHOOK.verifyToken,
        SYNC_BACKFILL_DAYS: '3',
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await strava?.close();
  });

  it('lists Strava as configured, delivering workouts and distance metrics', async () => {
    const providers = await t.api('GET', '/v1/providers');
    const listed = providers.body.data.find((p: any) => p.id === 'strava');
    expect(listed).toMatchObject({ configured: true, authKind: 'oauth2' });
    expect(listed.dataTypes).toEqual(expect.arrayContaining(['workout', 'cycling_distance', 'active_energy']));
  });

  it('answers Strava’s subscription check with the challenge only for the configured verify token', async () => {
    const ok = await checkStravaSubscription(t.url, STRAVA_WEBHOOK.verifyToken, 'abc123');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/application\/json/);
    expect(await ok.json()).toEqual({ 'hub.challenge': 'abc123' });
    expect((await checkStravaSubscription(t.url, 'guessed')).status).toBe(403);
  });

  it('connects through consent and callback, taking the athlete id and expires_at from the token response', async () => {
    const back = await connectUser(t, userId, 'strava');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;

    const authorize = strava.requests.find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query.get('scope')).toBe('read,activity:read_all');
    expect(authorize.query.get('approval_prompt')).toBe('auto');
    expect(authorize.query.get('code_challenge')).toBeNull();
    const exchange = new URLSearchParams(strava.requests.find((r) => r.path === '/oauth/token')!.body);
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(exchange.get('client_secret')).toBe(STRAVA_CLIENT.secret);

    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({
      id: connectionId,
      status: 'active',
      externalUserId: String(STRAVA_ATHLETE_ID),
      scopes: ['read', 'activity:read_all'],
    });
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(Math.abs(row.tokenExpiresAt!.getTime() - Date.now())).toBeLessThan(65_000);
  });

  it('backfills the window’s activities as workouts and samples in canonical units, walking pages until an empty one', async () => {
    const job = await waitForJob(t, `sync:${connectionId}:backfill`, { expectFound: true });
    expect(job.status).toBe('completed');
    const pages = activityRequests().map((r) => r.query);
    expect(pages.map((q) => q.get('page'))).toEqual(['1', '2', '3', '4']);
    expect(pages.every((q) => q.get('per_page') === '100' && /^\d+$/.test(q.get('after')!) && /^\d+$/.test(q.get('before')!))).toBe(true);

    const stored = await workouts();
    // Five activities within the window; the one twenty days old is left out.
    expect(stored.map((w) => w.externalId).sort()).toEqual(['9002', '9003', '9004', '9005', '9006']);
    expect(stored.find((w) => w.externalId === '9006')).toMatchObject({
      source: 'strava',
      connectionId,
      subtype: 'mountain_bike_ride',
      durationSeconds: 5400,
      distance: 42_195.3,
      energy: 1234.5,
      avgHeartRate: 142.3,
      maxHeartRate: 171,
      elevationGain: 412,
      device: 'Garmin Edge 530',
      details: { movingSeconds: 5100, workKilojoules: 1234.5 },
    });
    expect(stored.find((w) => w.externalId === '9002')).toMatchObject({ subtype: 'trail_run', distance: 12_500.5, energy: null });
    expect(stored.find((w) => w.externalId === '9005')).toMatchObject({ subtype: 'weight_training', distance: null, avgHeartRate: 110 });

    expect(await counts()).toEqual({ distance: 2, swimming_distance: 1, cycling_distance: 1, active_energy: 1, elevation_gain: 3 });
    const ride = (await t.api('GET', `/v1/users/${userId}/health?metricType=cycling_distance`)).body.data[0];
    expect(ride).toMatchObject({ value: 42_195.3, unit: 'm', source: 'strava', device: 'Strava' });
    const energy = (await t.api('GET', `/v1/users/${userId}/health?metricType=active_energy`)).body.data[0];
    expect(energy).toMatchObject({ value: 1234.5, unit: 'kcal' });
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].lastSyncStatus).toBe('completed');
  });

  it('stores tokens only encrypted and refreshes them with the refresh_token grant before they expire', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/strava-access/);
    expect(row.refreshToken).not.toMatch(/strava-refresh/);
    expect(strava.issued()).toBeGreaterThan(1);
    const refreshes = strava.requests.filter(
      (r) => r.path === '/oauth/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(refreshes.length).toBe(strava.issued() - 1);
    // The externalUserId from the code grant survives refreshes, whose answers carry no athlete.
    expect(row.externalUserId).toBe(String(STRAVA_ATHLETE_ID));
  });

  it('syncs on a push for our subscription and brings the new activity, even one started before the last sync', async () => {
    strava.activities.push(
      stravaActivity(9007, 'Ride', Date.now() - 2 * 3_600_000, { distance: 25_000, kilojoules: 600, total_elevation_gain: 150 }),
    );
    const push = await sendStravaPush(t.url, { ownerId: STRAVA_ATHLETE_ID, objectId: 9007 });
    expect(push.status).toBe(200);
    expect(await push.json()).toEqual({ syncs: 1 });
    await quiet();
    const job = await prisma().job.findFirstOrThrow({ where: { id: { startsWith: `sync:${connectionId}:notice:` } } });
    expect(job.status).toBe('completed');
    // The create event names the activity: Get Activity fetches it by id, the list is not walked again.
    expect(strava.requests.filter((r) => r.path === '/api/v3/activities/9007').length).toBe(1);
    // The detailed representation's `calories` (660) is left aside: the list, which re-reads the last days, has only kJ.
    expect((await workouts()).find((w) => w.externalId === '9007')).toMatchObject({ subtype: 'ride', distance: 25_000, energy: 600 });
    expect((await counts()).cycling_distance).toBe(2);
  });

  it('updates the stored workout in place when Strava sends an activity update, moving its distance to the new sport', async () => {
    const run = (await workouts()).find((w) => w.externalId === '9004');
    expect(run).toMatchObject({ subtype: 'run', details: { name: 'Run 9004' } });
    const day = run.startAt.slice(0, 10);
    const [runDistance, rideDistance] = [await dayTotal('distance', day), await dayTotal('cycling_distance', day)];
    const countsBefore = await counts();
    // The athlete renames the activity and changes its type; Strava's event names what changed (title, type).
    strava.editActivity(9004, { name: 'Commute home', sport_type: 'Ride' });
    const push = await sendStravaPush(t.url, {
      ownerId: STRAVA_ATHLETE_ID,
      objectId: 9004,
      aspectType: 'update',
      updates: { title: 'Commute home', type: 'Ride' },
    });
    expect(await push.json()).toEqual({ syncs: 1 });
    await quiet();

    const stored = (await workouts()).filter((w) => w.externalId === '9004');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: run.id,
      subtype: 'ride',
      distance: 10_012.4,
      details: { name: 'Commute home', sportType: 'Ride' },
    });
    // Its 10,012.4 m left running distance for cycling distance; its climb is still counted once.
    expect(await dayTotal('distance', day)).toBeCloseTo(runDistance - 10_012.4, 6);
    expect(await dayTotal('cycling_distance', day)).toBeCloseTo(rideDistance + 10_012.4, 6);
    expect(await counts()).toEqual({
      ...countsBefore,
      distance: countsBefore.distance - 1,
      cycling_distance: countsBefore.cycling_distance + 1,
    });
    expect((await samplesOf('elevation_gain')).filter((s) => s.value === 35)).toHaveLength(1);
    expect((await domainEvents('health_event.updated')).filter((e) => e.externalId === '9004').at(-1)).toMatchObject({
      id: run.id,
      subtype: 'ride',
    });
  });

  it('removes the workout, its samples and what they added to the day when Strava sends an activity delete', async () => {
    const ride = (await workouts()).find((w) => w.externalId === '9007');
    const day = ride.startAt.slice(0, 10);
    const before = {
      cycling: await dayTotal('cycling_distance', day),
      energy: await dayTotal('active_energy', day),
      climb: await dayTotal('elevation_gain', day),
    };
    const records = async () => (await t.api('GET', `/v1/users/${userId}/personal-records`)).body.data as any[];
    // The 25 km ride holds the ride distance record; the 10,012.4 m ride (the former run) is the next best.
    expect((await records()).find((r) => r.qualifier === 'ride' && r.kind === 'longest_distance')).toMatchObject({
      value: 25_000,
      eventId: ride.id,
    });
    const countsBefore = await counts();
    strava.deleteActivity(9007);
    const push = await sendStravaPush(t.url, { ownerId: STRAVA_ATHLETE_ID, objectId: 9007, aspectType: 'delete' });
    expect(await push.json()).toEqual({ syncs: 1 });
    await quiet();

    expect((await workouts()).find((w) => w.externalId === '9007')).toBeUndefined();
    expect((await t.api('GET', `/v1/users/${userId}/events/${ride.id}`)).status).toBe(404);
    expect(await counts()).toEqual({
      ...countsBefore,
      cycling_distance: countsBefore.cycling_distance - 1,
      active_energy: countsBefore.active_energy - 1,
      elevation_gain: countsBefore.elevation_gain - 1,
    });
    expect(await dayTotal('cycling_distance', day)).toBeCloseTo(before.cycling - 25_000, 6);
    expect(await dayTotal('active_energy', day)).toBeCloseTo(before.energy - 600, 6);
    expect(await dayTotal('elevation_gain', day)).toBeCloseTo(before.climb - 150, 6);
    // No request for a deleted activity: Strava would answer 404.
    expect(strava.requests.filter((r) => r.path === '/api/v3/activities/9007').length).toBe(1);
    expect((await domainEvents('health_event.deleted')).map((e) => e.id)).toEqual([ride.id]);
    const rideRecord = (await records()).find((r) => r.qualifier === 'ride' && r.kind === 'longest_distance');
    expect(rideRecord).toMatchObject({ value: 10_012.4, eventId: (await workouts()).find((w) => w.externalId === '9004').id });

    // A full re-sync afterwards brings nothing back and stores nothing twice.
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect((await waitForJob(t, sync.body.id, { expectFound: true })).status).toBe('completed');
    expect((await workouts()).map((w) => w.externalId).sort()).toEqual(['9002', '9003', '9004', '9005', '9006']);
    expect((await workouts()).find((w) => w.externalId === '9004')).toMatchObject({ id: expect.any(String), subtype: 'ride' });
    expect(await dayTotal('cycling_distance', day)).toBeCloseTo(before.cycling - 25_000, 6);
  });

  it('drops an update for an activity Strava no longer serves (404), storing nothing and blocking nothing', async () => {
    const countsBefore = await counts();
    const push = await sendStravaPush(t.url, {
      ownerId: STRAVA_ATHLETE_ID,
      objectId: 424242,
      aspectType: 'update',
      updates: { private: 'true' },
    });
    expect(await push.json()).toEqual({ syncs: 1 });
    await quiet();
    expect(strava.requests.filter((r) => r.path === '/api/v3/activities/424242').length).toBe(1);
    expect(await counts()).toEqual(countsBefore);
  });

  it('refuses with 401 a push naming another subscription or no readable event, and starts no sync', async () => {
    const requestsBefore = activityRequests().length;
    const forged = await sendStravaPush(t.url, { ownerId: STRAVA_ATHLETE_ID, objectId: 9008 }, { forged: true });
    expect(forged.status).toBe(401);
    expect((await forged.json()).message).toMatch(/subscription_id/);
    const garbage = await fetch(`${t.url}/v1/providers/strava/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(garbage.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(activityRequests().length).toBe(requestsBefore);
  });

  it('re-syncs without duplicates and waits out a 429 for its Retry-After', async () => {
    const [eventsBefore, countsBefore] = [(await workouts()).length, await counts()];
    strava.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id, { expectFound: true })).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await workouts()).length).toBe(eventsBefore);
    expect(await counts()).toEqual(countsBefore);
  });

  it('fails a sync on a malformed page with a clear lastError and no 500, then recovers on the retry', async () => {
    strava.malformNext(1);
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    const failed = await waitForJob(t, sync.body.id, { until: ['retrying', 'failed'], expectFound: true });
    expect(failed.lastError).toMatch(/Strava activity #0 .* lacks .*start_date/);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({ status: 'active', lastSyncStatus: 'failed' });
    expect(connection.lastSyncError).toMatch(/Strava activity/);
    // The job runner retries after its backoff; the fake answers well again by then.
    expect((await waitForJob(t, sync.body.id, { expectFound: true })).status).toBe('completed');
  });

  it('disconnects, deauthorizing the athlete at Strava', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`);
    expect(response.status).toBe(204);
    expect(strava.deauthorized).toEqual([`strava-access-${strava.issued()}`]);
    expect(strava.requests.filter((r) => r.path === '/oauth/deauthorize').length).toBe(1);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
    expect((await workouts()).length).toBeGreaterThan(0);
  });

  it('disconnects the connection and stops its schedule when Strava sends the athlete’s deauthorization', async () => {
    const back = await connectUser(t, userId, 'strava', { expectCreated: false });
    const id = back.searchParams.get('connectionId')!;
    await waitForJob(t, `sync:${id}:backfill`, { expectFound: true });
    const deauthorized = await sendStravaPush(t.url, {
      ownerId: STRAVA_ATHLETE_ID,
      objectId: STRAVA_ATHLETE_ID,
      objectType: 'athlete',
      aspectType: 'update',
      updates: { authorized: 'false' },
    });
    expect(deauthorized.status).toBe(200);
    expect(await deauthorized.json()).toEqual({ syncs: 0 });
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === id);
    expect(connection).toMatchObject({ status: 'disconnected', statusReason: 'the user revoked access at Strava' });
    expect((await t.api('GET', `/v1/users/${userId}/connections/${id}/schedule`)).status).toBe(404);
    // The athlete's later events start nothing, and no deauthorize call went out: Strava already ended the access.
    expect(await (await sendStravaPush(t.url, { ownerId: STRAVA_ATHLETE_ID, objectId: 9010 })).json()).toEqual({ syncs: 0 });
    expect(strava.requests.filter((r) => r.path === '/oauth/deauthorize').length).toBe(1);
  });

  it('turns a new connection to error when the athlete revoked access at Strava', async () => {
    const back = await connectUser(t, userId, 'strava', { expectCreated: false });
    const id = back.searchParams.get('connectionId')!;
    await waitForJob(t, `sync:${id}:backfill`, { expectFound: true });
    strava.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${id}/sync`);
    await waitForJob(t, sync.body.id, { expectFound: true });
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === id);
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/refused|refresh/);
  });
});
