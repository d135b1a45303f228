import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../../src/auth/key-secret.js';
import { OURA_CLIENT, OURA_USER_ID, ouraEnv, sendOuraWebhook, startFakeOura, type FakeOura } from '../../fakes/oura.js';
import { APP_RETURN, connectUser, eventually, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { engineAvailable, postgresUrl } from '../../helpers/engines.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startTemporalHarness, temporalAddress } from '../../helpers/temporal.js';
import { aUser } from '../../factories/index.js';

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Oura server keeps that state), so the steps do not shuffle.
describe('Oura through its fake server', { shuffle: false }, () => {
  let oura: FakeOura;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  let pushUrl: string;
  const pushJobs = () => t.server.database.prisma.job.findMany({ where: { id: { startsWith: `sync:${connectionId}:push:` } } });
  const VERIFICATION_TOKEN = 'oura-verification-token';

  beforeAll(async () => {
    oura = await startFakeOura();
    t = await startTestServer('pglite', {
      env: {
        ...ouraEnv(oura),
        OURA_WEBHOOK_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
        SYNC_BACKFILL_DAYS: '3',
      },
    });
    pushUrl = `${t.url}/v1/providers/oura/push`;
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await oura?.close();
  });

  it('lists Oura as configured', async () => {
    const providers = await t.api('GET', '/v1/providers');
    // Oura documents no history limit, so SYNC_BACKFILL_DAYS (3 here) bounds the backfill; it pushes by webhook.
    expect(providers.body.data.find((p: any) => p.id === 'oura')).toMatchObject({
      configured: true,
      authKind: 'oauth2',
      backfillDays: 3,
      push: true,
      deprecation: null,
    });
  });

  it('connects through consent and callback, then backfills heart rate, activity, sleep and workouts', async () => {
    const back = await connectUser(t, userId, 'oura');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const authorize = oura.requests.find((r) => r.path === '/oauth/authorize')!;
    expect(authorize.query.get('client_id')).toBe(OURA_CLIENT.id);
    expect(authorize.query.get('state')!.length).toBeGreaterThanOrEqual(40);

    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.status).toBe('completed');
    const summary = await t.api('GET', `/v1/users/${userId}/health/summary`);
    const counts = Object.fromEntries(summary.body.data.map((m: any) => [m.metricType, m.count]));
    // Three days of 10-minute heart rate, paged 100 rows at a time by the fake.
    expect(counts.heart_rate).toBeGreaterThanOrEqual(3 * 144);
    expect(counts.steps).toBeGreaterThanOrEqual(3);
    expect(counts.hrv_rmssd).toBeGreaterThanOrEqual(3);
    // equivalent_walking_distance is an energy figure in metres (Oura's DailyActivityModel), not a distance.
    expect(counts.distance).toBeUndefined();
    const sleep = await t.api('GET', `/v1/users/${userId}/events?type=sleep`);
    expect(sleep.body.data[0]).toMatchObject({ source: 'oura', connectionId, details: { stageSeconds: { deep: 5400, rem: 6300 } } });
    const workouts = await t.api('GET', `/v1/users/${userId}/events?type=workout`);
    expect(workouts.body.data[0]).toMatchObject({ subtype: 'running', distance: 7200, energy: 450 });
    const connections = await t.api('GET', `/v1/users/${userId}/connections`);
    expect(connections.body.data[0]).toMatchObject({ id: connectionId, status: 'active', lastSyncStatus: 'completed' });
    expect(JSON.stringify(connections.body)).not.toMatch(/oura-(access|refresh)/);
  });

  it('keeps periods the user rejected as rest, apart from sleep and naps, and drops periods the user deleted', async () => {
    const sleep = (await t.api('GET', `/v1/users/${userId}/events?type=sleep&limit=100`)).body.data as any[];
    expect(sleep.length).toBeGreaterThan(0);
    expect(sleep.filter((e) => e.externalId.startsWith('deleted-'))).toEqual([]);
    const rest = sleep.filter((e) => e.externalId.startsWith('rest-'));
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((e) => e.subtype === 'rest')).toBe(true);
    expect(sleep.filter((e) => e.externalId.startsWith('sleep-')).every((e) => e.subtype === 'main')).toBe(true);
    // A rejected period is no night: its HRV is not stored, and it sets no sleep record.
    const hrv = (await t.api('GET', `/v1/users/${userId}/health?metricType=hrv_rmssd&limit=100`)).body.data as any[];
    expect(hrv.length).toBeGreaterThan(0);
    expect(hrv.every((s) => s.value === 45)).toBe(true);
  });

  it('stores tokens only encrypted and refreshes them before they expire', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/oura-access/);
    expect(row.refreshToken).not.toMatch(/oura-refresh/);
    // The fake's tokens live 60 s, inside the 5-minute margin: every page refreshed them, each refresh token once.
    expect(oura.issued()).toBeGreaterThan(1);
    expect(oura.requests.filter((r) => r.path === '/oauth/token' && r.body.includes('refresh_token')).length).toBe(oura.issued() - 1);
  });

  it('learns the Oura user id from personal info, which webhooks name', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.externalUserId).toBe(OURA_USER_ID);
  });

  it('subscribes the app to Oura webhooks on connect, after Oura verified the push URL', async () => {
    const callback = `${t.server.config.publicUrl}/v1/providers/oura/push`;
    // The fake keeps a subscription only once our push URL echoed its challenge for our verification token.
    expect(oura.subscriptions.map((s) => `${s.event_type}:${s.data_type}`).sort()).toEqual([
      'create:daily_activity',
      'create:sleep',
      'create:workout',
      'update:daily_activity',
      'update:sleep',
      'update:workout',
    ]);
    expect(oura.subscriptions.every((s) => s.callback_url === callback && s.verification_token === VERIFICATION_TOKEN)).toBe(true);
    const created = oura.requests.filter((r) => r.method === 'POST' && r.path === '/v2/webhook/subscription');
    expect(created).toHaveLength(6);
    expect(created.every((r) => r.headers['x-client-id'] === OURA_CLIENT.id && r.headers['x-client-secret'] === OURA_CLIENT.secret)).toBe(
      true,
    );
  });

  it("answers Oura's subscription check with the challenge only for our verification token", async () => {
    const good = await fetch(`${pushUrl}?verification_token=${VERIFICATION_TOKEN}&challenge=ch-123`);
    expect(good.status).toBe(200);
    expect(await good.json()).toEqual({ challenge: 'ch-123' });
    const wrong = await fetch(`${pushUrl}?verification_token=guess&challenge=ch-123`);
    expect(wrong.status).toBe(403);
    expect(await wrong.json()).toMatchObject({ statusCode: 403, message: expect.stringMatching(/verification_token/) });
  });

  // The sync a webhook starts covers minutes of today: a client that sends end_date as today's date (the start of
  // today, for Oura) reads nothing, and the workout would be missed.
  it('starts an incremental sync on a signed webhook that brings the new workout', async () => {
    const workouts = async () => (await t.api('GET', `/v1/users/${userId}/events?type=workout&limit=200`)).body.data as any[];
    const before = (await workouts()).length;
    const workoutId = oura.addWorkout();
    const [response, ...others] = await oura.notify({ event_type: 'create', data_type: 'workout', object_id: workoutId });
    expect(others).toEqual([]);
    expect(response!.status).toBe(200);
    expect(await response!.json()).toEqual({ syncs: 1 });
    const [job] = await pushJobs();
    expect((await waitForJob(t, job!.id, { expectFound: true })).status).toBe('completed');
    const after = await workouts();
    expect(after.length).toBe(before + 1);
    expect(after.find((e) => e.externalId === workoutId)).toMatchObject({ subtype: 'cycling', distance: 15_000, energy: 380 });
  });

  it('refuses unsigned, forged and altered webhooks without syncing, and ignores unknown users, deletions and unread types', async () => {
    const jobsBefore = (await pushJobs()).length;
    const forged = await sendOuraWebhook(pushUrl, { event_type: 'update', data_type: 'sleep' }, { secret: 'not-the-client-secret' });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ statusCode: 401, message: expect.stringMatching(/signature/) });
    const altered = await sendOuraWebhook(
      pushUrl,
      { event_type: 'update', data_type: 'sleep' },
      { tamper: (body) => body.replace('update', 'create') },
    );
    expect(altered.status).toBe(401);
    const unsigned = await fetch(pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'create', data_type: 'sleep', user_id: OURA_USER_ID }),
    });
    expect(unsigned.status).toBe(401);
    expect(await (await sendOuraWebhook(pushUrl, { event_type: 'create', data_type: 'sleep' }, { userId: 'someone-else' })).json()).toEqual(
      { syncs: 0 },
    );
    expect(await (await sendOuraWebhook(pushUrl, { event_type: 'delete', data_type: 'workout' })).json()).toEqual({ syncs: 0 });
    // A data type no sync reads (tags) starts nothing either.
    expect(await (await sendOuraWebhook(pushUrl, { event_type: 'create', data_type: 'tag' })).json()).toEqual({ syncs: 0 });
    expect((await pushJobs()).length).toBe(jobsBefore);
  });

  it('re-syncs without duplicates and honours 429 Retry-After', async () => {
    const before = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data;
    oura.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const after = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data;
    const countOf = (data: any[], metric: string) => data.find((m) => m.metricType === metric)?.count;
    // Only time since the last sync is fetched again; nothing earlier is duplicated.
    expect(countOf(after, 'steps')).toBe(countOf(before, 'steps'));
    expect(countOf(after, 'heart_rate')! - countOf(before, 'heart_rate')!).toBeLessThanOrEqual(2);
  });

  it('refuses a second active connection to the same provider', async () => {
    const back = await connectUser(t, userId, 'oura', { expectCreated: false });
    expect(back.searchParams.get('status')).toBe('error');
    expect(back.searchParams.get('error')).toBe('conflict');
  });

  it('turns the connection to error when the user revoked access at Oura', async () => {
    oura.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/refused|refresh/);
  });

  it('disconnects, revoking at Oura and deleting the data when asked', async () => {
    const response = await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}?deleteData=true`);
    expect(response.status).toBe(204);
    expect(oura.revoked.length).toBe(1);
    expect((await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data).toEqual([]);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
    // Webhooks about a disconnected user start nothing.
    expect(await (await sendOuraWebhook(pushUrl, { event_type: 'create', data_type: 'workout' })).json()).toEqual({ syncs: 0 });
  });

  it('renews subscriptions about to lapse when the next user connects, without duplicating them', async () => {
    const ids = oura.subscriptions.map((s) => s.id).sort();
    oura.expireSubscriptionsIn(86_400_000);
    const other = (await aUser(t)).id;
    expect((await connectUser(t, other, 'oura')).searchParams.get('status')).toBe('connected');
    expect(oura.subscriptions.map((s) => s.id).sort()).toEqual(ids);
    expect(oura.subscriptions.every((s) => Date.parse(s.expiration_time) > Date.now() + 30 * 86_400_000)).toBe(true);
    expect(oura.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/v2/webhook/subscription/renew/')).length).toBe(6);
  });

  it('rejects a reused or forged state at the callback', async () => {
    const callback = await t.api('GET', `/v1/oauth/oura/callback?state=forged&code=x`, { key: null });
    expect(callback.status).toBe(400);
  });
});

// A story in two steps over one data folder: first no one is connected, then someone is and the server restarts
// a day before the subscriptions lapse; the second step needs the first's server and its silence, so no shuffle.
describe('Oura webhook subscriptions with no one connecting', { shuffle: false }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitasync-oura-upkeep-'));
  const adminKey = generateKeySecret();
  let oura: FakeOura;
  let t: TestServer | undefined;
  const env = () => ({
    ...ouraEnv(oura),
    OURA_WEBHOOK_VERIFICATION_TOKEN: 'oura-verification-token',
    SYNC_BACKFILL_DAYS: '1',
  });
  const renewals = () => oura.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/v2/webhook/subscription/renew/'));
  const creations = () => oura.requests.filter((r) => r.method === 'POST' && r.path === '/v2/webhook/subscription');

  beforeAll(async () => {
    oura = await startFakeOura();
  });
  afterAll(async () => {
    await t?.close();
    await oura?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('asks Oura for nothing while no user is connected', async () => {
    t = await startTestServer('pglite', { dataDir, adminKey, env: env() });
    await setRedirectUris(t, [APP_RETURN]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(oura.requests.filter((r) => r.path.startsWith('/v2/webhook/'))).toEqual([]);
  });

  it('renews them at start-up (and daily after) while users are connected, without duplicating them', async () => {
    const userId = (await aUser(t!)).id;
    expect((await connectUser(t!, userId, 'oura')).searchParams.get('status')).toBe('connected');
    expect(oura.subscriptions).toHaveLength(6);
    const ids = oura.subscriptions.map((s) => s.id).sort();
    const port = t!.server.port;
    await t!.close();
    t = undefined;

    // A day before they lapse, with no connect since: the next start (as the daily run) renews all six. The same
    // port keeps the same push URL, as a fixed PUBLIC_URL does in production.
    oura.expireSubscriptionsIn(86_400_000);
    t = await startTestServer('pglite', { dataDir, adminKey, port, env: env() });
    await eventually(
      async () => renewals().length,
      (count) => count >= 6,
    );
    expect(renewals()).toHaveLength(6);
    expect(creations()).toHaveLength(6);
    expect(oura.subscriptions.map((s) => s.id).sort()).toEqual(ids);
    expect(oura.subscriptions.every((s) => Date.parse(s.expiration_time) > Date.now() + 30 * 86_400_000)).toBe(true);
  });
});

const SERVICE_CASES = [
  { name: 'local runner on PostgreSQL', available: engineAvailable('postgres') },
  { name: 'Temporal', available: Boolean(temporalAddress && postgresUrl) },
] as const;

describe.each(SERVICE_CASES)('Oura webhooks on the $name', ({ name, available }) => {
  let oura: FakeOura;
  let t: TestServer;
  let stop: () => Promise<void>;
  let userId: string;

  beforeAll(async () => {
    if (!available) return;
    oura = await startFakeOura();
    const env = {
      ...ouraEnv(oura),
      OURA_WEBHOOK_VERIFICATION_TOKEN: 'oura-verification-token',
      SYNC_BACKFILL_DAYS: '1',
    };
    if (name === 'Temporal') {
      ({ t, stop } = await startTemporalHarness(env));
    } else {
      t = await startTestServer('postgres', { env });
      stop = () => t.close();
    }
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await t.api('POST', '/v1/users', { body: { externalId: `ring-owner-${name}` } })).body.id;
  }, 120_000);
  afterAll(async () => {
    await stop?.();
    await oura?.close();
  });

  // 120 s, as its backfill wait allows 90: a loaded CI machine can take longer than the default 30 s.
  it.skipIf(!available)(
    'subscribes on connect, then syncs the workout a signed notification announces',
    async () => {
      const connectionId = (await connectUser(t, userId, 'oura')).searchParams.get('connectionId')!;
      expect((await waitForJob(t, `sync:${connectionId}:backfill`, { attempts: 900 })).status).toBe('completed');
      expect(oura.subscriptions).toHaveLength(6);
      const workoutId = oura.addWorkout();
      const [response] = await oura.notify({ event_type: 'create', data_type: 'workout', object_id: workoutId });
      expect(await response!.json()).toEqual({ syncs: 1 });
      const workouts = () => t.api('GET', `/v1/users/${userId}/events?type=workout&limit=200`).then((r) => r.body.data as any[]);
      const after = await eventually(workouts, (data) => data.some((e) => e.externalId === workoutId));
      expect(after.find((e) => e.externalId === workoutId)).toMatchObject({ subtype: 'cycling', source: 'oura', connectionId });
    },
    120_000,
  );
});

describe('an unconfigured provider', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('is listed as not configured and refuses a connect link with 422', async () => {
    const providers = await t.api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'oura').configured).toBe(false);
    const user = await aUser(t);
    const link = await t.api('POST', `/v1/users/${user.id}/connect-links`, { body: { providerId: 'oura' } });
    expect(link.status).toBe(422);
    expect(link.body.message).toMatch(/OURA_CLIENT_ID/);
  });
});
