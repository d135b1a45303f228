import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUltrahuman, ULTRAHUMAN_CLIENT, ULTRAHUMAN_USER_ID, type FakeUltrahuman } from '../../fakes/ultrahuman.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const DAY = 86_400_000;

// A story, told in order: one user connects once, and each step goes on from what the steps before it synced (the
// fake Ultrahuman server keeps that state), so the steps do not shuffle.
describe('Ultrahuman through its fake server', { shuffle: false }, () => {
  let uh: FakeUltrahuman;
  let t: TestServer;
  let userId: string;
  let connectionId: string;
  const samples = async (metricType: string, window?: { start: Date; end: Date }) => {
    const range = window ? `&from=${window.start.toISOString()}&to=${window.end.toISOString()}` : '';
    return (await t.api('GET', `/v1/users/${userId}/health?metricType=${metricType}&limit=500${range}`)).body.data as any[];
  };
  const yesterday = () => new Date(Date.parse(`${uh.localToday()}T00:00:00Z`) - DAY).toISOString().slice(0, 10);

  beforeAll(async () => {
    uh = await startFakeUltrahuman();
    t = await startTestServer('pglite', {
      env: {
        ULTRAHUMAN_CLIENT_ID: ULTRAHUMAN_CLIENT.id,
        ULTRAHUMAN_CLIENT_SECRET: ULTRAHUMAN_CLIENT.secret,
        ULTRAHUMAN_API_URL: uh.url,
        ULTRAHUMAN_AUTH_URL: uh.url,
        ULTRAHUMAN_TOKEN_URL: uh.url,
        SYNC_BACKFILL_DAYS: '5',
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await aUser(t)).id;
  });
  afterAll(async () => {
    await t?.close();
    await uh?.close();
  });

  it('lists Ultrahuman as a configured OAuth provider of ring metrics that does not push', async () => {
    const listed = (await t.api('GET', '/v1/providers')).body.data.find((p: any) => p.id === 'ultrahuman');
    expect(listed).toMatchObject({
      configured: true,
      authKind: 'oauth2',
      dataTypes: ['heart_rate', 'steps', 'skin_temperature', 'vo2max'],
      push: false,
      backfillDays: 5,
    });
  });

  it('connects with the profile and ring_data scopes, naming the user by the user_info id, then backfills', async () => {
    const back = await connectUser(t, userId, 'ultrahuman');
    expect(back.searchParams.get('status')).toBe('connected');
    connectionId = back.searchParams.get('connectionId')!;
    expect(uh.requests.find((r) => r.path === '/authorize')!.query.get('scope')).toBe('profile ring_data');
    const token = uh.requests.find((r) => r.path === '/api/partners/oauth/token')!;
    expect(new URLSearchParams(token.body).get('client_id')).toBe(ULTRAHUMAN_CLIENT.id);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0]).toMatchObject({ externalUserId: ULTRAHUMAN_USER_ID });
    expect((await waitForJob(t, `sync:${connectionId}:backfill`)).status).toBe('completed');
    // Every metrics call names one date only (date with start_epoch/end_epoch is refused).
    const calls = uh.requests.filter((r) => r.path === '/api/partners/v1/user_data/metrics');
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.query.get('date')!) && !r.query.has('start_epoch'))).toBe(true);
  });

  it('stores heart rate in bpm, skin temperature in °C and VO2 max at their epoch-second times', async () => {
    const day = uh.localDay(yesterday());
    const hr = await samples('heart_rate', day);
    expect(hr.length).toBe(24);
    // The fake's reading at local hour h is 55 + h % 12 bpm; local 13:00 is the 14th hour of the day.
    const at13 = hr.find((s) => Date.parse(s.recordedAt) === day.start.getTime() + 13 * 3_600_000);
    expect(at13).toMatchObject({ value: 56, source: 'ultrahuman' });
    const temp = await samples('skin_temperature', day);
    expect(temp.find((s) => Date.parse(s.recordedAt) === day.start.getTime() + 2 * 3_600_000)?.value).toBeCloseTo(35.4, 6);
    expect((await samples('vo2max', day)).map((s) => s.value)).toEqual([44]);
  });

  // The edges a wrong client fails: a steps value is one interval's count and `total` their sum, so storing both
  // (or reading the values as a running count) doubles the day; and `date` is the user's local day, which in UTC+14
  // is already tomorrow for most of the UTC day, so asking only the window's UTC dates misses the day in progress.
  it('stores each interval’s steps once, summing to the day’s total, and reads the local day in progress', async () => {
    const day = yesterday();
    const steps = await samples('steps', uh.localDay(day));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.reduce((sum, s) => sum + s.value, 0)).toBe(uh.stepsTotal(day));
    const today = uh.localToday();
    expect(uh.requests.some((r) => r.path === '/api/partners/v1/user_data/metrics' && r.query.get('date') === today)).toBe(true);
    expect((await samples('heart_rate', uh.localDay(today))).length).toBeGreaterThan(0);
  });

  it('re-syncs without duplicates', async () => {
    const day = uh.localDay(yesterday());
    const before = { hr: (await samples('heart_rate', day)).length, steps: (await samples('steps', day)).length };
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
    expect((await waitForJob(t, sync.body.id)).status).toBe('completed');
    expect({ hr: (await samples('heart_rate', day)).length, steps: (await samples('steps', day)).length }).toEqual(before);
  });

  it('disconnects; Ultrahuman documents no revocation, so the tokens are forgotten', async () => {
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${connectionId}`)).status).toBe(204);
    expect((await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0].status).toBe('disconnected');
  });

  it('turns a new connection to error when the user withdraws consent at Ultrahuman', async () => {
    const again = (await connectUser(t, userId, 'ultrahuman', { expectCreated: false })).searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${again}:backfill`)).status).toBe('completed');
    uh.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${again}/sync`);
    await waitForJob(t, sync.body.id);
    const connection = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data.find((c: any) => c.id === again);
    expect(connection.status).toBe('error');
  });
});
