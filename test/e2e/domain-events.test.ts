import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOMAIN_EVENT_TYPES } from '../../src/domain-events/catalogue.js';
import { connectUser, eventually, setRedirectUris, APP_RETURN, waitForJob } from '../helpers/connect.js';
import { ENGINES, engineAvailable, type Engine } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey } from '../factories/index.js';

const at = (minute: number) => new Date(Date.UTC(2025, 5, 10, 6) + minute * 60_000).toISOString();

describe.each(ENGINES)('domain events over REST on %s', (engine: Engine) => {
  describe.skipIf(!engineAvailable(engine))(`domain event routes on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine, { env: { SYNC_BACKFILL_DAYS: '2' } });
    }, 60_000);
    afterAll(() => t?.close());

    /** The newest event of a type about one resource, once the relay has dispatched it. */
    const latest = async (type: string, about: (payload: any) => boolean) => {
      const found = await eventually(
        async () => {
          const page = await t.api('GET', `/v1/domain-events?type=${type}&limit=500`);
          expect(page.status).toBe(200);
          return (page.body.data as any[]).filter((event) => about(event.payload));
        },
        (events) => events.length > 0 && events.at(-1).dispatchedAt !== null,
      );
      return found.at(-1);
    };

    it('lists the catalogue to any key, each type with its description and payload schema', async () => {
      const reader = (await aKey(t, { scope: 'read' })).key;
      const response = await t.api('GET', '/v1/event-types?limit=500', { key: reader });
      expect(response.status).toBe(200);
      expect(response.body.data.map((info: any) => info.type).sort()).toEqual(DOMAIN_EVENT_TYPES.map((info) => info.type).sort());
      const ingested = response.body.data.find((info: any) => info.type === 'health_data.ingested');
      expect(ingested.description).toMatch(/one event per ingest/);
      expect(Object.keys(ingested.payload.properties)).toEqual(expect.arrayContaining(['userId', 'metrics', 'inserted', 'from', 'to']));
      expect(response.body.data.find((info: any) => info.type === 'user.created').payload).toEqual({ $ref: '#/components/schemas/User' });
      const document = await t.api('GET', '/v1/openapi.json');
      expect(document.body['x-domain-event-types'].map((info: any) => info.type)).toContain('connection.revoked');
    });

    it('carries in a user event exactly what GET of the user returns at that moment', async () => {
      const created = await t.api('POST', '/v1/users', { body: { externalId: 'payload-user', timezone: 'Europe/Rome' } });
      const updated = await t.api('PATCH', `/v1/users/${created.body.id}`, { body: { metadata: { plan: 'gold' } } });
      expect(updated.status).toBe(200);
      const got = await t.api('GET', `/v1/users/${created.body.id}`);
      const event = await latest('user.updated', (payload) => payload.id === created.body.id);
      expect(event.payload).toEqual(scalarFields(got.body));
      const first = await latest('user.created', (payload) => payload.id === created.body.id);
      expect(first.payload).toEqual(scalarFields(created.body));
    });

    it('carries in health event and personal record events what their GET routes return', async () => {
      const user = await t.api('POST', '/v1/users', { body: { externalId: 'payload-events' } });
      const pushed = await t.api('POST', `/v1/users/${user.body.id}/events`, {
        body: { events: [{ type: 'workout', subtype: 'running', startAt: at(0), endAt: at(30), distance: 5000, externalId: 'run-1' }] },
      });
      expect(pushed.status).toBe(201);
      const listed = await t.api('GET', `/v1/users/${user.body.id}/events`);
      const workout = listed.body.data[0];
      const got = await t.api('GET', `/v1/users/${user.body.id}/events/${workout.id}`);
      expect((await latest('health_event.created', (payload) => payload.id === workout.id)).payload).toEqual(got.body);
      const records = await t.api('GET', `/v1/users/${user.body.id}/personal-records?limit=500`);
      expect(records.body.data.length).toBeGreaterThan(0);
      for (const record of records.body.data) {
        expect((await latest('personal_record.created', (payload) => payload.id === record.id)).payload).toEqual(record);
      }
    });

    it('carries in connection events what the connection list returns, and announces the sync and its data', async () => {
      await setRedirectUris(t, [APP_RETURN]);
      const user = await t.api('POST', '/v1/users', { body: { externalId: 'payload-connection' } });
      const back = await connectUser(t, user.body.id, 'demo');
      const connectionId = back.searchParams.get('connectionId')!;
      await waitForJob(t, `sync:${connectionId}:backfill`);
      const updated = await latest(
        'connection.updated',
        (payload) => payload.id === connectionId && payload.lastSyncStatus === 'completed',
      );
      const listed = await t.api('GET', `/v1/users/${user.body.id}/connections`);
      expect(updated.payload).toEqual(listed.body.data[0]);
      expect((await latest('connection.created', (payload) => payload.id === connectionId)).payload).toMatchObject({
        id: connectionId,
        status: 'active',
      });
      const completed = await latest('sync.completed', (payload) => payload.connectionId === connectionId);
      expect(completed.payload).toMatchObject({ userId: user.body.id, providerId: 'demo', jobId: `sync:${connectionId}:backfill` });
      const ingested = await latest('health_data.ingested', (payload) => payload.connectionId === connectionId);
      expect(ingested.payload).toMatchObject({ userId: user.body.id, source: 'demo', metrics: expect.any(Array) });
      expect(ingested.payload.inserted).toBeGreaterThan(0);
    });

    it("pages the stream after a given id, and reports no backlog and the live consumer's receipts once dispatched", async () => {
      const user = await t.api('POST', '/v1/users', { body: { externalId: 'paging' } });
      const created = await latest('user.created', (payload) => payload.id === user.body.id);
      await t.api('PATCH', `/v1/users/${user.body.id}`, { body: { email: 'paging@example.com' } });
      await latest('user.updated', (payload) => payload.id === user.body.id);
      const after = await t.api('GET', `/v1/domain-events?after=${created.id}&type=user.updated&type=user.deleted`);
      expect(after.status).toBe(200);
      expect(after.body.data.length).toBeGreaterThan(0);
      expect(after.body.data.every((event: any) => event.id > created.id && event.type === 'user.updated')).toBe(true);
      const stats = await eventually(
        () => t.api('GET', '/v1/domain-events/stats'),
        (response) => response.body.backlog === 0,
      );
      expect(stats.body).toMatchObject({ backlog: 0, oldestUndispatchedAt: null, lagSeconds: 0 });
      expect(stats.body.consumers.find((consumer: any) => consumer.name === 'live-updates').received).toBeGreaterThan(0);
    });

    it('answers bad filters with a 4xx naming the parameter, and keeps the stream to admin keys', async () => {
      const badType = await t.api('GET', '/v1/domain-events?type=user.exploded');
      expect(badType.status).toBe(422);
      expect(badType.body.message).toMatch(/^query parameter type must be one of user.created, /);
      const badAfter = await t.api('GET', '/v1/domain-events?after=yesterday');
      expect(badAfter.status).toBe(400);
      expect(badAfter.body.message).toMatch(/^query parameter after must be a ULID/);
      const writer = (await aKey(t, { scope: 'write' })).key;
      expect((await t.api('GET', '/v1/domain-events', { key: writer })).status).toBe(403);
      expect((await t.api('GET', '/v1/domain-events/stats', { key: writer })).status).toBe(403);
      expect((await t.api('GET', '/v1/domain-events', { key: null })).status).toBe(401);
    });

    it("shows a workspace none of another workspace's events", async () => {
      const other = await t.newWorkspace();
      await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'elsewhere' } });
      const mine = await t.api('GET', '/v1/domain-events?type=user.created&limit=500');
      expect(mine.body.data.some((event: any) => event.payload.externalId === 'elsewhere')).toBe(false);
      const theirs = await eventually(
        () => t.api('GET', '/v1/domain-events?type=user.created', { key: other.adminKey }),
        (response) => response.body.data.length === 1,
      );
      expect(theirs.body.data[0].payload.externalId).toBe('elsewhere');
    });
  });
});

/** The scalar fields of a REST resource body: its relation fields (lists of other resources) are not in the event. */
function scalarFields(body: Record<string, unknown>) {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => !Array.isArray(value)));
}
