import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEXCOM_CLIENT, startFakeDexcom, type EgvRecord, type FakeDexcom } from '../../fakes/dexcom.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob, type WaitForJobOptions } from '../../helpers/connect.js';
import { startTestServer, type ApiResponse, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const BACKFILL_DAYS = 32;
/** Every poll must find the job, and the 32-day backfill gets 30 s rather than the default 20 s. */
const JOB_POLLING: WaitForJobOptions = { attempts: 300, expectFound: true };

/** A receiver's systemTime has no offset and is UTC; the apps' carry one. */
const instantOf = (record: EgvRecord) => new Date(/[+-]\d\d:\d\d$/.test(record.systemTime) ? record.systemTime : `${record.systemTime}Z`);

/** EGVs the fake served that VitaSync should keep: numeric readings inside the sensor's range, once each. */
function keptReadings(served: EgvRecord[]): number {
  return new Set(served.filter((r) => r.status === 'ok' && (r.value ?? 0) > 0).map((r) => r.recordId)).size;
}

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced,
// refreshed or were pushed (the fake Dexcom server keeps that state), so the steps do not shuffle.
describe('Dexcom through its fake server', { shuffle: false }, () => {
  let dexcom: FakeDexcom;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  const responses: ApiResponse[] = [];
  const api = async (...args: Parameters<TestServer['api']>) => {
    const response = await t.api(...args);
    responses.push(response);
    return response;
  };
  const glucoseCount = async () =>
    (await api('GET', `/v1/users/${userId}/health/summary`)).body.data.find((m: any) => m.metricType === 'blood_glucose')?.count ?? 0;
  const glucoseAt = async (at: Date) =>
    (
      await api(
        'GET',
        `/v1/users/${userId}/health?metricType=blood_glucose&from=${at.toISOString()}&to=${new Date(at.getTime() + 1000).toISOString()}`,
      )
    ).body.data;

  beforeAll(async () => {
    dexcom = await startFakeDexcom();
    t = await startTestServer('pglite', {
      env: {
        DEXCOM_CLIENT_ID: DEXCOM_CLIENT.id,
        DEXCOM_CLIENT_SECRET: DEXCOM_CLIENT.secret,
        DEXCOM_API_URL: dexcom.url,
        DEXCOM_AUTH_URL: dexcom.url,
        SYNC_BACKFILL_DAYS: String(BACKFILL_DAYS),
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await dexcom?.close();
  });

  it('lists Dexcom as a configured OAuth provider of blood glucose and workouts', async () => {
    const providers = await api('GET', '/v1/providers');
    expect(providers.body.data.find((p: any) => p.id === 'dexcom')).toMatchObject({
      configured: true,
      authKind: 'oauth2',
      dataTypes: ['blood_glucose', 'workout'],
    });
  });

  it('connects through the Dexcom login and callback, then backfills in slices of at most 30 days', async () => {
    const back = await connectUser({ api }, userId, 'dexcom');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    const login = dexcom.requests.find((r) => r.path === '/v2/oauth2/login')!;
    expect(Object.fromEntries(login.query)).toMatchObject({ client_id: DEXCOM_CLIENT.id, scope: 'offline_access', response_type: 'code' });
    expect(login.query.get('state')!.length).toBeGreaterThanOrEqual(40);
    const exchange = new URLSearchParams(dexcom.requests.find((r) => r.path === '/v2/oauth2/token')!.body);
    expect(Object.fromEntries(exchange)).toMatchObject({
      grant_type: 'authorization_code',
      client_id: DEXCOM_CLIENT.id,
      client_secret: DEXCOM_CLIENT.secret,
    });

    const job = await waitForJob(t, `sync:${connectionId}:backfill`, JOB_POLLING);
    expect(job).toMatchObject({ status: 'completed' });
    const windows = dexcom.requests
      .filter((r) => r.path === '/v3/users/self/egvs')
      .map((r) => [r.query.get('startDate')!, r.query.get('endDate')!]);
    // 32 days need two requests; each within Dexcom's 30-day limit, in its documented date format.
    expect(windows.length).toBe(2);
    for (const [start, end] of windows) {
      expect(start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(Date.parse(`${end}Z`) - Date.parse(`${start}Z`)).toBeLessThanOrEqual(30 * 86_400_000);
    }
    expect(windows[1]![0]).toBe(windows[0]![1]);
    const connections = await api('GET', `/v1/users/${userId}/connections`);
    expect(connections.body.data[0]).toMatchObject({ id: connectionId, status: 'active', lastSyncStatus: 'completed' });
    expect(JSON.stringify(connections.body)).not.toMatch(/dexcom-(access|refresh)/);
  });

  it('stores every real reading once as blood_glucose in mg/dL, timed by systemTime', async () => {
    expect(await glucoseCount()).toBe(keptReadings(dexcom.served));
    const receiver = dexcom.served.find((r) => r.displayDevice === 'receiver' && r.status === 'ok')!;
    const [sample] = await glucoseAt(instantOf(receiver));
    expect(sample).toMatchObject({
      value: receiver.value,
      unit: 'mg/dL',
      source: 'dexcom',
      device: 'Dexcom G7',
      externalId: receiver.recordId,
      connectionId,
    });
    expect(sample.recordedAt).toBe(instantOf(receiver).toISOString());
  });

  it('converts mmol/L readings to mg/dL', async () => {
    const app = dexcom.served.find((r) => r.unit === 'mmol/L')!;
    const [sample] = await glucoseAt(instantOf(app));
    expect(sample.unit).toBe('mg/dL');
    expect(sample.value).toBeCloseTo(app.value! * 18.016, 6);
  });

  it('skips high and low sentinels and slots without a reading', async () => {
    for (const status of ['low', 'high']) {
      const sentinel = dexcom.served.find((r) => r.status === status)!;
      expect(await glucoseAt(instantOf(sentinel))).toEqual([]);
    }
    const empty = dexcom.served.find((r) => r.value === 0)!;
    expect(await glucoseAt(instantOf(empty))).toEqual([]);
  });

  it('maps exercise entries to workouts and leaves out carbs, insulin and deleted entries', async () => {
    const workouts = (await api('GET', `/v1/users/${userId}/events?type=workout&limit=100`)).body.data;
    expect(workouts.length).toBeGreaterThanOrEqual(BACKFILL_DAYS - 1);
    expect(workouts.every((w: any) => w.externalId.startsWith('exercise-'))).toBe(true);
    expect(workouts[0]).toMatchObject({
      type: 'workout',
      source: 'dexcom',
      connectionId,
      durationSeconds: 1800,
      details: { intensity: 'medium' },
    });
    expect(workouts[0].startAt).toMatch(/T17:00:00\.000Z$/);
    expect((await api('GET', `/v1/users/${userId}/events?limit=100`)).body.data.length).toBe(workouts.length);
  });

  // getEventsV3 types `value` as a string: a client reading only numbers drops every app-recorded exercise in
  // silence. An exercise whose value is no number is not stored, and the sync says so in its counts.
  it('reads exercise minutes sent as numeric strings, and counts an unreadable value as a rejection', async () => {
    const workouts = (await api('GET', `/v1/users/${userId}/events?type=workout&limit=100`)).body.data as any[];
    expect(workouts.length).toBeGreaterThan(0);
    expect(workouts.every((w) => w.durationSeconds === 1800)).toBe(true);
    expect(workouts.some((w) => w.externalId.startsWith('unreadable-'))).toBe(false);
    const job = await waitForJob(t, `sync:${connectionId}:backfill`);
    expect(job.result.events).toMatchObject({ events: workouts.length, rejected: workouts.length });
  });

  it('stores tokens only encrypted and spends each rotating refresh token once', async () => {
    const row = await t.server.database.prisma.connection.findUniqueOrThrow({ where: { id: connectionId } });
    expect(row.accessToken).not.toMatch(/dexcom-access/);
    expect(row.refreshToken).not.toMatch(/dexcom-refresh/);
    const refreshes = dexcom.requests.filter(
      (r) => r.path === '/v2/oauth2/token' && new URLSearchParams(r.body).get('grant_type') === 'refresh_token',
    );
    expect(dexcom.issued()).toBeGreaterThan(1);
    expect(refreshes.length).toBe(dexcom.issued() - 1);
    expect(new Set(refreshes.map((r) => new URLSearchParams(r.body).get('refresh_token'))).size).toBe(refreshes.length);
  });

  it('has no push endpoint, because Dexcom sends no push notifications', async () => {
    const push = await api('POST', '/v1/providers/dexcom/push', { key: null, body: { userId: 'x' } });
    expect(push.status).toBe(404);
    expect((await api('GET', '/v1/providers/dexcom/push', { key: null })).status).toBe(404);
  });

  it('brings new readings on a manual sync without duplicating old ones, after honouring 429 Retry-After', async () => {
    const before = await glucoseCount();
    const reading = new Date();
    dexcom.addEgv(reading, 187);
    dexcom.rateLimitNext(1, 1);
    const started = Date.now();
    const sync = await api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect(sync.status).toBe(202);
    expect((await waitForJob(t, sync.body.id, JOB_POLLING)).status).toBe('completed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const added = (await glucoseCount()) - before;
    // The new reading, plus at most a regular five-minute reading that came due meanwhile.
    expect(added).toBeGreaterThanOrEqual(1);
    expect(added).toBeLessThanOrEqual(2);
    expect(await glucoseCount()).toBe(keptReadings(dexcom.served));
    const sync2 = await api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    await waitForJob(t, sync2.body.id, JOB_POLLING);
    expect((await glucoseCount()) - before - added).toBeLessThanOrEqual(1);
  });

  it('fails the sync with a clear lastError on a malformed page, then recovers on retry', async () => {
    dexcom.malformed(true);
    const sync = await api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    const failed = await waitForJob(t, sync.body.id, { ...JOB_POLLING, until: ['retrying', 'failed'] });
    expect(failed.lastError).toMatch(/Dexcom egvs record 0 has no recordId or no readable systemTime/);
    const connection = (await api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection).toMatchObject({ status: 'active', lastSyncStatus: 'failed' });
    expect(connection.lastSyncError).toMatch(/Dexcom egvs/);
    dexcom.malformed(false);
    expect((await waitForJob(t, sync.body.id, JOB_POLLING)).status).toBe('completed');
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
  });

  it('turns the connection to error when the user withdrew access at Dexcom', async () => {
    dexcom.revokeAll();
    const sync = await api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    await waitForJob(t, sync.body.id, JOB_POLLING);
    const connection = (await api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(connection.status).toBe('error');
    expect(connection.statusReason).toMatch(/refused|refresh/);
  });

  it('disconnects without a revocation call (Dexcom documents none) and deletes the data when asked', async () => {
    const response = await api('DELETE', `/v1/users/${userId}/connections/${connectionId}?deleteData=true`);
    expect(response.status).toBe(204);
    expect(
      dexcom.requests.every((r) =>
        ['/v2/oauth2/login', '/v2/oauth2/token', '/v3/users/self/egvs', '/v3/users/self/events'].includes(r.path),
      ),
    ).toBe(true);
    expect((await api('GET', `/v1/users/${userId}/health/summary`)).body.data).toEqual([]);
    expect((await api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
    expect(responses.filter((r) => r.status >= 500)).toEqual([]);
  });
});
