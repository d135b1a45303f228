import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { fetchProviderJson } from '../../../src/connections/provider-http.js';
import { ProviderError } from '../../../src/providers/provider-error.js';
import { withingsProvider } from '../../../src/providers/withings/index.js';
import { sendWithingsNotification, startFakeWithings, WITHINGS_CLIENT, type FakeWithings } from '../../fakes/withings.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForAnyJob, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const NOTIFY_SECRET = 'withings-callback-secret';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Withings server keeps that state), so the steps do not shuffle.
describe('Withings through its fake server', { shuffle: false }, () => {
  let withings: FakeWithings;
  let t: TestServer;
  let userId: string;
  let connectionId: string;

  const summary = async () =>
    Object.fromEntries((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data.map((m: any) => [m.metricType, m]));
  const samplesOf = async (metricType: string) =>
    (await t.api('GET', `/v1/users/${userId}/health?metricType=${metricType}&limit=100`)).body.data;
  const sleepCount = async () => (await t.api('GET', `/v1/users/${userId}/events?type=sleep`)).body.data.length;

  beforeAll(async () => {
    withings = await startFakeWithings();
    t = await startTestServer('pglite', {
      env: {
        WITHINGS_CLIENT_ID: WITHINGS_CLIENT.id,
        WITHINGS_CLIENT_SECRET: WITHINGS_CLIENT.secret,
        WITHINGS_API_URL: withings.url,
        WITHINGS_AUTH_URL: withings.url,
        WITHINGS_NOTIFY_SECRET: NOTIFY_SECRET,
        SYNC_BACKFILL_DAYS: '3',
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await withings?.close();
  });

  it('lists Withings as configured', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'withings')).toMatchObject({ configured: true, authKind: 'oauth2' });
  });

  it('connects through consent and callback, then backfills measures, daily activity and sleep page by page', async () => {
    const back = await connectUser(t, userId, 'withings');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = withings.requests.find((r) => r.path === '/oauth2_user/authorize2')!;
    expect(Object.fromEntries(authorize.query)).toMatchObject({
      response_type: 'code',
      client_id: WITHINGS_CLIENT.id,
      scope: 'user.info,user.metrics,user.activity',
    });
    const exchange = new URLSearchParams(withings.requests.find((r) => r.path === '/v2/oauth2')!.body);
    expect(Object.fromEntries(exchange)).toMatchObject({
      action: 'requesttoken',
      grant_type: 'authorization_code',
      client_id: WITHINGS_CLIENT.id,
    });

    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.status).toBe('completed');
    // Every endpoint was walked past its first page through `more` + `offset`.
    for (const path of ['/measure', '/v2/measure', '/v2/sleep']) {
      expect(withings.requests.some((r) => r.path === path && new URLSearchParams(r.body).has('offset'))).toBe(true);
    }
    const metrics = await summary();
    expect(metrics.weight).toMatchObject({ unit: 'kg', sources: ['withings'] });
    expect(metrics.weight.count).toBeGreaterThanOrEqual(3);
    expect(metrics.body_fat).toMatchObject({ unit: '%', latestValue: 21.5 });
    expect(metrics.muscle_mass).toMatchObject({ unit: 'kg', latestValue: 55 });
    expect(metrics.blood_pressure_systolic).toMatchObject({ unit: 'mmHg', latestValue: 121 });
    expect(metrics.blood_pressure_diastolic).toMatchObject({ unit: 'mmHg', latestValue: 79 });
    expect(metrics.heart_rate).toMatchObject({ unit: 'bpm', latestValue: 64 });
    expect(metrics.floors_climbed).toMatchObject({ unit: 'count', latestValue: 7 });
    expect(metrics.distance).toMatchObject({ unit: 'm', latestValue: 6100.5 });
    expect(metrics.basal_energy).toMatchObject({ unit: 'kcal', latestValue: 1800 });
    // Seconds of moderate activity become minutes; hydration (kg) becomes a share of the weight.
    expect(metrics.moderate_intensity_minutes).toMatchObject({ unit: 'min', latestValue: 20 });
    expect(metrics.body_water.unit).toBe('%');
    expect(metrics.body_water.latestValue).toBeGreaterThan(50);
    expect(metrics.body_water.latestValue).toBeLessThan(60);
    expect(metrics.respiratory_rate).toMatchObject({ unit: 'breaths/min', latestValue: 14 });
    const weights = await samplesOf('weight');
    expect(weights.length).toBe(metrics.weight.count);
    // value × 10^unit: 72000 + 30 g per day of the month, sent as unit -3.
    for (const sample of weights) expect(sample.value).toBeCloseTo(72 + Number(sample.recordedAt.slice(8, 10)) * 0.03, 6);

    const sleep = await t.api('GET', `/v1/users/${userId}/events?type=sleep`);
    expect(sleep.body.data[0]).toMatchObject({
      source: 'withings',
      connectionId,
      avgHeartRate: 56,
      durationSeconds: 8 * 3600,
      details: { stageSeconds: { deep: 5400, light: 14_400, rem: 5400, awake: 1800 }, efficiency: 87.5, awakenings: 2 },
    });
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({
      id: connectionId,
      status: 'active',
      lastSyncStatus: 'completed',
      externalUserId: String(withings.userId),
    });
  });

  it('subscribes our callback URL, with its secret, to every notification category it reads after connecting', async () => {
    const callbackurl = `${t.server.config.publicUrl}/v1/providers/withings/push?secret=${NOTIFY_SECRET}`;
    const subscribes = withings.requests.filter((r) => r.path === '/notify' && new URLSearchParams(r.body).get('action') === 'subscribe');
    expect(subscribes.map((r) => Number(new URLSearchParams(r.body).get('appli')))).toEqual([1, 2, 4, 16, 44, 46]);
    for (const request of subscribes) {
      expect(new URLSearchParams(request.body).get('callbackurl')).toBe(callbackurl);
      expect(request.headers.authorization).toMatch(/^Bearer withings-access-\d+$/);
    }
    // Withings probed the callback URL before answering each subscription.
    const probed = withings.notifyCalls.filter((c) => c.action === 'subscribe');
    expect(probed).toHaveLength(subscribes.length);
    expect(probed.every((c) => c.headStatus !== null)).toBe(true);
  });

  it('has the answer to Withings’ HEAD probe of the callback URL, and none for a plain GET', async () => {
    const head = { method: 'HEAD', headers: new Headers(), query: new URLSearchParams(), body: '' };
    expect(withingsProvider.pushChallenge!(head, loadConfig({}))).toEqual({ status: 200, body: '' });
    expect(withingsProvider.pushChallenge!({ ...head, method: 'GET' }, loadConfig({}))).toBeNull();
    expect((await fetch(`${t.url}/v1/providers/withings/push`)).status).toBe(404);
  });

  // Withings accepts a subscription only when the callback URL answers its HEAD probe with 2xx: the router serves
  // HEAD as GET without a body, so the probe reaches the subscription check.
  it('has Withings accept the subscriptions, its HEAD probe of the callback URL answered with 2xx', () => {
    expect([...withings.subscriptions.keys()]).toEqual([1, 2, 4, 16, 44, 46]);
  });

  it('stores tokens only encrypted and refreshes them with action=requesttoken', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/withings-access/);
    expect(row.refreshToken).not.toMatch(/withings-refresh/);
    const refreshes = withings.requests.filter(
      (r) => r.path === '/v2/oauth2' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(withings.issued()).toBeGreaterThan(1);
    expect(refreshes.length).toBe(withings.issued() - 1);
    expect(refreshes.every((r) => new URLSearchParams(r.body).get('action') === 'requesttoken')).toBe(true);
    // Data calls carry only the token Withings issued, as a bearer.
    const dataCall = withings.requests.find((r) => r.path === '/measure')!;
    expect(dataCall.headers.authorization).toMatch(/^Bearer withings-access-\d+$/);
  });

  it('starts an incremental sync from a notification and brings the new weigh-in', async () => {
    withings.addWeighIn(new Date(), 80.4);
    const slots = [Math.floor(Date.now() / 60_000)];
    const response = await sendWithingsNotification(t.url, { userId: withings.userId, secret: NOTIFY_SECRET });
    slots.push(Math.floor(Date.now() / 60_000));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 1 });
    const job = await waitForAnyJob(
      t,
      slots.map((slot) => `sync:${connectionId}:push:${slot}`),
    );
    expect(job.status).toBe('completed');
    expect((await samplesOf('weight')).map((s: any) => s.value)).toContain(80.4);
  });

  // Withings notifies body temperature under appli 2: a client subscribed to 4 only never hears of it.
  it('hears of a new body temperature through its category (appli 2) and syncs it', async () => {
    const at = new Date();
    withings.addTemperature(at, 37.4);
    const pushJobs = () => t.server.database.prisma.job.findMany({ where: { id: { startsWith: `sync:${connectionId}:push:` } } });
    const before = new Set((await pushJobs()).map((job) => job.id));
    const response = await withings.notifyCategory(2, at);
    expect(response?.status).toBe(200);
    expect(await response!.json()).toEqual({ syncs: 1 });
    // Were this the minute of the weigh-in's sync, finished by now, the notification would still get a sync of its own.
    const started = (await pushJobs()).filter((job) => !before.has(job.id));
    expect(started).toHaveLength(1);
    expect((await waitForJob(t, started[0]!.id, { expectFound: true })).status).toBe('completed');
    expect((await samplesOf('body_temperature')).map((s: any) => s.value)).toContain(37.4);
  });

  it('answers 401 to a notification with the wrong callback secret and ignores users it does not know', async () => {
    const before = withings.requests.length;
    const forged = await sendWithingsNotification(t.url, { userId: withings.userId, secret: 'guessed' });
    expect(forged.status).toBe(401);
    const stranger = await sendWithingsNotification(t.url, { userId: 99, secret: NOTIFY_SECRET });
    expect(stranger.status).toBe(200);
    expect(await stranger.json()).toEqual({ syncs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(withings.requests.length).toBe(before);
  });

  it('re-syncs without duplicates and honours 429 Retry-After', async () => {
    const before = await summary();
    const sleepBefore = await sleepCount();
    withings.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const after = await summary();
    for (const metric of ['weight', 'steps', 'blood_pressure_systolic', 'respiratory_rate'])
      expect(after[metric].count).toBe(before[metric].count);
    expect(await sleepCount()).toBe(sleepBefore);
  });

  it('reads status 601 inside a 200 answer as the rate limit', async () => {
    withings.throttleNext(1);
    const call = {
      accessToken: 'any',
      externalUserId: null,
      connectionId: 'c',
      connectedAt: new Date(),
      fetchJson: (url: string, init?: RequestInit) => fetchProviderJson(url, 'any', init),
    };
    const window = { from: new Date(Date.now() - 3_600_000), to: new Date() };
    const error = await withingsProvider
      .fetchPage(call, 'measures', window, null, loadConfig({ WITHINGS_API_URL: withings.url }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 60 });
  });

  it('fails the sync attempt with a clear error on a malformed page, answers no 500, and recovers on retry', async () => {
    withings.malformNext();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    const job = await waitForJob(t, sync.body.id, { until: ['retrying', 'failed'] });
    expect(job.lastError).toBe('Withings answered a malformed measuregrps row at index 0');
    const connections = await t.api('GET', `/v1/users/${userId}/connections`);
    expect(connections.status).toBe(200);
    expect(connections.body.data[0]).toMatchObject({ status: 'active', lastSyncStatus: 'failed', lastSyncError: job.lastError });
    expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).status).toBe(200);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
  });

  it('turns the connection to error when the user revoked access at Withings', async () => {
    withings.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/refresh|refused/);
  });

  it('disconnects, revoking the user’s access with a nonce-signed request', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`);
    expect(response.status).toBe(204);
    expect(withings.revoked).toEqual([withings.userId]);
    expect(withings.requests.some((r) => r.path === '/v2/signature')).toBe(true);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
  });

  it('revokes the notification subscriptions of a live connection when the app disconnects it', async () => {
    const back = await connectUser(t, userId, 'withings');
    const id = back.searchParams.get('connectionId')!;
    await waitForJob(t, `sync:${id}:backfill`, { expectFound: true });
    const before = withings.notifyCalls.length;
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${id}`)).status).toBe(204);
    const revokes = withings.notifyCalls.slice(before);
    expect(revokes.map((c) => [c.action, c.appli])).toEqual([
      ['revoke', 1],
      ['revoke', 2],
      ['revoke', 4],
      ['revoke', 16],
      ['revoke', 44],
      ['revoke', 46],
    ]);
    expect(revokes.every((c) => c.callbackurl === `${t.server.config.publicUrl}/v1/providers/withings/push?secret=${NOTIFY_SECRET}`)).toBe(
      true,
    );
  });

  it('disconnects a connection when Withings notifies that the user unlinked the app', async () => {
    const back = await connectUser(t, userId, 'withings');
    const id = back.searchParams.get('connectionId')!;
    await waitForJob(t, `sync:${id}:backfill`, { expectFound: true });
    const response = await sendWithingsNotification(t.url, { userId: withings.userId, secret: NOTIFY_SECRET, action: 'unlink' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ syncs: 0 });
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === id);
    expect(connection).toMatchObject({ status: 'disconnected', statusReason: 'the user revoked access at Withings' });
    expect((await t.api('GET', `/v1/users/${userId}/connections/${id}/schedule`)).status).toBe(404);
  });
});
