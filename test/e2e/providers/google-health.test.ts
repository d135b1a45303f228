import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GOOGLE_CLIENT,
  GOOGLE_HEALTH_USER_ID,
  NIGHT_STAGES,
  startFakeGoogleHealth,
  type FakeGoogleHealth,
} from '../../fakes/google-health.js';
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
    // In Tokyo (UTC+9, as the fake's user): a night from 23:10 to 06:55 local runs 14:10–21:55 UTC, so the UTC day
    // it ends on is the day before the local morning it belongs to.
    userId = (await aUser(t, { timezone: 'Asia/Tokyo' })).id;
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

  it('backfills sleep by when each night ended, staged, and dates each night by the local morning it ended on', async () => {
    const sleepRequests = google.requests.filter((r) => r.path.endsWith('/sleep/dataPoints'));
    // The documented maximum for sessions is 25 a page; the fake answers 3, so only the token says when it ends.
    expect(sleepRequests.every((r) => r.query.get('pageSize') === '25')).toBe(true);
    expect(sleepRequests.filter((r) => r.query.has('pageToken')).length).toBeGreaterThan(0);
    const filter = sleepRequests[0]!.query.get('filter')!;
    const [, from, to] = /^sleep\.interval\.end_time >= "([^"]+)" AND sleep\.interval\.end_time < "([^"]+)"$/.exec(filter)!;
    // The nights the fake holds ending in that window: each ends at 06:55 Tokyo, 21:55 UTC.
    const ends: number[] = [];
    for (let day = Math.floor(Date.parse(from!) / 86_400_000) * 86_400_000; day < Date.parse(to!); day += 86_400_000) {
      const end = day + (21 * 60 + 55) * 60_000;
      if (end >= Date.parse(from!) && end < Date.parse(to!) && end <= Date.now()) ends.push(end);
    }
    expect(ends.length).toBeGreaterThanOrEqual(3);

    const sleeps = (await t.api('GET', `/v1/users/${userId}/events?type=sleep&limit=100`)).body.data as any[];
    const mains = sleeps.filter((e) => e.subtype === 'main');
    expect(mains.map((e) => Date.parse(e.endAt)).sort()).toEqual(ends);
    const seconds = (stage: string) => NIGHT_STAGES.filter(([s]) => s === stage).reduce((sum, [, m]) => sum + m * 60, 0);
    for (const night of mains) {
      expect(night).toMatchObject({ source: 'google-health', durationSeconds: 465 * 60, device: 'Pixel Watch 3' });
      expect(night.details.stageSeconds).toEqual({
        light: seconds('LIGHT'),
        deep: seconds('DEEP'),
        rem: seconds('REM'),
        awake: seconds('AWAKE'),
      });
    }
    // The classic nap has no stage list to total: its efficiency is Google's minutesAsleep / minutesInSleepPeriod (35 / 40).
    const naps = sleeps.filter((e) => e.subtype === 'nap');
    expect(naps.length).toBeGreaterThan(0);
    expect(naps[0]).toMatchObject({ durationSeconds: 40 * 60, details: { efficiency: 87.5 } });
    expect(naps[0].details.stages).toBeUndefined();

    const tokyoDay = (at: number) => new Date(at + 9 * 3_600_000).toISOString().slice(0, 10);
    const lastMorning = tokyoDay(Math.max(...ends));
    const quality = await t.api('GET', `/v1/users/${userId}/sleep-analysis/quality?asOf=${lastMorning}&days=2`);
    expect(quality.status, JSON.stringify(quality.body)).toBe(200);
    const nights = quality.body.nights as any[];
    expect(nights.map((n) => n.date)).toEqual(ends.slice(-2).map(tokyoDay));
    expect(nights.every((n) => n.asleepMinutes === 430 && n.bedtime === '23:10' && n.wakeTime === '06:55')).toBe(true);
  });

  it('backfills exercise sessions as workouts, filtered on their civil start time, with the summary in our units', async () => {
    const exerciseRequests = google.requests.filter((r) => r.path.endsWith('/exercise/dataPoints'));
    expect(exerciseRequests.every((r) => r.query.get('pageSize') === '25' && /civil_start_time/.test(r.query.get('filter')!))).toBe(true);
    const [, from, to] = /civil_start_time >= "([^"]+)" AND .*civil_start_time < "([^"]+)"$/.exec(
      exerciseRequests[0]!.query.get('filter')!,
    )!;
    // Runs start at 18:00 Tokyo (09:00 UTC), 45 minutes long; the bounds are Tokyo clock readings. The window is the
    // sync's [from, to) widened by 14 hours each side (the zone is unknown): runs that had ended by its `to` are there.
    const asked = Date.parse(`${to}Z`) - 14 * 3_600_000;
    let expected = 0;
    for (let day = Math.floor(Date.parse(`${from}Z`) / 86_400_000) * 86_400_000; day < Date.parse(`${to}Z`); day += 86_400_000) {
      const local = day + 18 * 3_600_000;
      if (local >= Date.parse(`${from}Z`) && local < Date.parse(`${to}Z`) && local - 9 * 3_600_000 + 45 * 60_000 <= asked) expected += 1;
    }
    const workouts = (await t.api('GET', `/v1/users/${userId}/events?type=workout&limit=100`)).body.data as any[];
    expect(workouts).toHaveLength(expected);
    expect(workouts[0]).toMatchObject({
      subtype: 'running',
      durationSeconds: 45 * 60,
      distance: 8012.5,
      energy: 520.5,
      avgHeartRate: 152,
      elevationGain: 45,
      details: { name: 'Evening run', activeSeconds: 2580, steps: 7200 },
    });
    expect(workouts.every((w) => new Date(w.startAt).getUTCHours() === 9)).toBe(true);
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

  it('syncs on a sleep notification too, reading the sessions again without storing any twice', async () => {
    const events = async () => ((await t.api('GET', `/v1/users/${userId}/events?limit=200`)).body.data as any[]).map((e) => e.externalId);
    const [before, jobsBefore, sleepReads] = [
      await events(),
      (await pushJobs()).length,
      google.requests.filter((r) => r.path.endsWith('/sleep/dataPoints')).length,
    ];
    expect(await (await google.notify(pushUrl, { dataType: 'sleep' })).json()).toEqual({ syncs: 1 });
    const jobs = await pushJobs();
    expect(jobs).toHaveLength(jobsBefore + 1);
    const job = jobs.find((j) => j.createdAt.getTime() === Math.max(...jobs.map((x) => x.createdAt.getTime())))!;
    expect((await waitForJob(t, job.id, { expectFound: true })).status).toBe('completed');
    expect(google.requests.filter((r) => r.path.endsWith('/sleep/dataPoints')).length).toBeGreaterThan(sleepReads);
    // Each session once (a night or run that ended meanwhile may be new; none is there twice).
    const after = await events();
    expect(new Set(after).size).toBe(after.length);
    expect(after).toEqual(expect.arrayContaining(before));
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
