import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WHOOP_CLIENT, startFakeWhoop, type FakeWhoop } from '../../fakes/whoop.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { aUser } from '../../factories/index.js';

const DAY = 86_400_000;
/** WHOOP windows reach two days back before their start (src/providers/whoop: scores arrive after records start). */
const WHOOP_LOOKBACK_DAYS = 2;
const BACKFILL_DAYS = 10;

// A story in order: the fake WHOOP keeps one account whose band uploads the last three days only after the first
// connect; users connect, lose the connection and connect again.
describe('gap-only backfill when a user connects a provider again', { shuffle: false }, () => {
  let whoop: FakeWhoop;
  let t: TestServer;

  beforeAll(async () => {
    whoop = await startFakeWhoop();
    t = await startTestServer('pglite', {
      env: {
        WHOOP_CLIENT_ID: WHOOP_CLIENT.id,
        WHOOP_CLIENT_SECRET: WHOOP_CLIENT.secret,
        WHOOP_API_URL: whoop.url,
        WHOOP_AUTH_URL: whoop.url,
        SYNC_BACKFILL_DAYS: String(BACKFILL_DAYS),
      },
    });
    await setRedirectUris(t, [APP_RETURN]);
  });
  afterAll(async () => {
    await t?.close();
    await whoop?.close();
  });

  /** Connects the user, waits for the backfill and answers the connection id and the spans (days) of the data requests it made. */
  async function connectAndBackfill(userId: string): Promise<{ connectionId: string; spans: number[] }> {
    const before = whoop.requests.length;
    const back = await connectUser(t, userId, 'whoop');
    expect(back.searchParams.get('status'), back.search).toBe('connected');
    const connectionId = back.searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${connectionId}:backfill`, { expectFound: true })).status).toBe('completed');
    const spans = whoop.requests
      .slice(before)
      .filter((request) => request.query.has('start'))
      .map((request) => (Date.parse(request.query.get('end')!) - Date.parse(request.query.get('start')!)) / DAY);
    expect(spans.length).toBeGreaterThan(0);
    return { connectionId, spans };
  }

  /** What a user holds: sample counts per metric and the events, as a client reads them. */
  async function held(userId: string) {
    const summary = (await t.api('GET', `/v1/users/${userId}/health/summary`)).body.data as { metricType: string; count: number }[];
    const events = (await t.api('GET', `/v1/users/${userId}/events?limit=500`)).body.data as { type: string; startAt: string }[];
    return {
      samples: Object.fromEntries(summary.map((metric) => [metric.metricType, metric.count])),
      events: events.map((event) => `${event.type}@${event.startAt}`).sort(),
    };
  }

  let control: Awaited<ReturnType<typeof held>>;

  it('backfills the whole window on a first connect', async () => {
    const userId = (await aUser(t)).id;
    const { spans } = await connectAndBackfill(userId);
    expect(spans.every((span) => span > BACKFILL_DAYS + WHOOP_LOOKBACK_DAYS - 0.01)).toBe(true);
    control = await held(userId);
    expect(control.events.length).toBeGreaterThan(0);
  });

  it('fetches only the three days since the data held after a disconnect, and stores nothing twice', async () => {
    const userId = (await aUser(t)).id;
    whoop.holdBack(new Date(Date.now() - 3 * DAY));
    const first = await connectAndBackfill(userId);
    expect((await t.api('DELETE', `/v1/users/${userId}/connections/${first.connectionId}`)).status).toBe(204);
    whoop.release();

    const again = await connectAndBackfill(userId);
    // Three days since the newest record held (its last workout began an hour before the gap), plus WHOOP's look-back.
    for (const span of again.spans) {
      expect(span - WHOOP_LOOKBACK_DAYS).toBeGreaterThan(3);
      expect(span - WHOOP_LOOKBACK_DAYS).toBeLessThan(3.5);
    }
    // The same data as a user who connected once with everything uploaded: nothing missing, nothing twice.
    expect(await held(userId)).toEqual(control);
  });

  it('replaces a connection whose token was refused and fetches only the gap', async () => {
    const userId = (await aUser(t)).id;
    whoop.holdBack(new Date(Date.now() - 3 * DAY));
    const first = await connectAndBackfill(userId);
    whoop.revokeAll();
    const sync = await t.api('POST', `/v1/users/${userId}/connections/${first.connectionId}/sync`);
    await waitForJob(t, sync.body.id);
    const errored = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data[0];
    expect(errored).toMatchObject({ id: first.connectionId, status: 'error' });
    whoop.release();

    const again = await connectAndBackfill(userId);
    for (const span of again.spans) expect(span - WHOOP_LOOKBACK_DAYS).toBeLessThan(3.5);
    const connections = (await t.api('GET', `/v1/users/${userId}/connections`)).body.data;
    expect(connections.map((c: any) => [c.id, c.status])).toEqual([
      [first.connectionId, 'disconnected'],
      [again.connectionId, 'active'],
    ]);
    expect(await held(userId)).toEqual(control);
  });
});
