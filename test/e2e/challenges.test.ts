import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localDay } from '../../src/lib/time.js';
import { aUser, pushSamples } from '../factories/index.js';
import { eventually } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const KIRITIMATI = 'Pacific/Kiritimati'; // UTC+14
const PAGO_PAGO = 'Pacific/Pago_Pago'; // UTC−11

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`challenges over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const aChallenge = async (body: Record<string, unknown> = {}) => {
      const created = await t.api('POST', '/v1/challenges', {
        body: { name: 'June steps', metricType: 'steps', startDate: '2025-06-01', endDate: '2025-06-03', ...body },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    };
    const join = (challengeId: string, userId: string, key?: string) =>
      t.api('POST', `/v1/challenges/${challengeId}/join`, { body: { userId }, ...(key ? { key } : {}) });
    const board = async (challengeId: string, query = '') => {
      const got = await t.api('GET', `/v1/challenges/${challengeId}/leaderboard${query}`);
      expect(got.status, JSON.stringify(got.body)).toBe(200);
      return got.body;
    };

    it('ranks members in UTC+14 and UTC−11 by their own local days, ties sharing a rank, over both page styles', async () => {
      // A window still open (joining after its end is a 409), starting five UTC days ago.
      const start = addDays(localDay('UTC', new Date()), -5);
      const challenge = await aChallenge({ startDate: start, endDate: addDays(start, 10) });
      expect(challenge).toMatchObject({ metricType: 'steps', unit: 'count', aggregation: 'sum', visibility: 'public', members: 0 });
      const east = (await aUser(t, { timezone: KIRITIMATI })).id;
      const west = (await aUser(t, { timezone: PAGO_PAGO })).id;
      const walker = (await aUser(t)).id;
      const idle = (await aUser(t)).id;
      for (const userId of [east, west, walker, idle]) expect((await join(challenge.id, userId)).status).toBe(201);
      const again = await join(challenge.id, east);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ challengeId: challenge.id, userId: east, value: 0, days: 0 });

      const dayBefore = addDays(start, -1);
      await pushSamples(t, east, [
        // 11:00 UTC the day before the start is 01:00 on the first day in Kiritimati; 09:00 UTC is still the day before.
        { metricType: 'steps', value: 5_000, recordedAt: `${dayBefore}T11:00:00.000Z` },
        { metricType: 'steps', value: 9_000, recordedAt: `${dayBefore}T09:00:00.000Z` },
      ]);
      await pushSamples(t, west, [
        // 05:00 UTC on the first day is 18:00 the day before in Pago Pago; 12:00 UTC is 01:00 on the first day.
        { metricType: 'steps', value: 3_000, recordedAt: `${start}T05:00:00.000Z` },
        { metricType: 'steps', value: 5_000, recordedAt: `${start}T12:00:00.000Z` },
      ]);
      await pushSamples(t, walker, [{ metricType: 'steps', value: 8_000, recordedAt: `${addDays(start, 1)}T12:00:00.000Z` }]);

      const tied = [east, west].sort();
      const expected = [
        { rank: 1, userId: walker, value: 8_000, days: 1 },
        { rank: 2, userId: tied[0], value: 5_000, days: 1 },
        { rank: 2, userId: tied[1], value: 5_000, days: 1 },
        { rank: 4, userId: idle, value: 0, days: 0 },
      ];
      const whole = await eventually(
        () => board(challenge.id),
        (page) => page.data[0]?.value === 8_000 && page.data[2]?.value === 5_000,
      );
      expect(whole).toMatchObject({ total: 4, offset: 0, nextCursor: null });
      expect(whole.data).toMatchObject(expected);

      const first = await board(challenge.id, '?limit=2');
      const second = await board(challenge.id, `?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
      expect([...first.data, ...second.data]).toEqual(whole.data);
      expect(second.nextCursor).toBeNull();
      expect((await board(challenge.id, '?limit=2&offset=1')).data.map((e: any) => e.rank)).toEqual([2, 2]);

      const gql = await t.graphql(
        `query ($id: ID!) { challengeLeaderboard(challengeId: $id, limit: 2, offset: 2) { total data { rank userId externalId value days joinedAt } } }`,
        { id: challenge.id },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.challengeLeaderboard).toEqual({ total: 4, data: whole.data.slice(2) });
      expect((await t.api('GET', '/v1/challenges?limit=500')).body.data.find((c: any) => c.id === challenge.id).members).toBe(4);
    });

    it('refuses a join after the last day in the user’s own zone with 409', async () => {
      // The last day is today in Pago Pago (UTC−11), which is already over in Kiritimati (UTC+14).
      const today = localDay(PAGO_PAGO, new Date());
      const challenge = await aChallenge({ startDate: addDays(today, -10), endDate: today });
      const west = (await aUser(t, { timezone: PAGO_PAGO })).id;
      const east = (await aUser(t, { timezone: KIRITIMATI })).id;
      expect((await join(challenge.id, west)).status).toBe(201);
      const late = await join(challenge.id, east);
      expect(late.status).toBe(409);
      expect(late.body.message).toMatch(/ended on/);
      const gql = await t.graphql(`mutation ($c: ID!, $u: String!) { joinChallenge(challengeId: $c, userId: $u) { userId } }`, {
        c: challenge.id,
        u: east,
      });
      expect(gql.body.errors[0].extensions.code).toBe('CONFLICT');
    });

    it('never shows one workspace’s challenges, members or users to another', async () => {
      const mine = await aChallenge({ name: 'mine' });
      const other = await t.newWorkspace();
      const theirUser = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body;
      const theirs = (
        await t.api('POST', '/v1/challenges', {
          key: other.adminKey,
          body: { name: 'theirs', metricType: 'steps', startDate: '2025-06-01', endDate: '2025-06-03' },
        })
      ).body;
      expect((await join(mine.id, theirUser.id)).status).toBe(404);
      expect((await join(theirs.id, (await aUser(t)).id)).status).toBe(404);
      expect((await join(mine.id, theirUser.id, other.adminKey)).status).toBe(404);
      expect((await t.api('GET', `/v1/challenges/${theirs.id}/leaderboard`)).status).toBe(404);
      const listed = (await t.api('GET', '/v1/challenges?limit=500')).body.data.map((c: any) => c.id);
      expect(listed).toContain(mine.id);
      expect(listed).not.toContain(theirs.id);
      expect((await t.api('GET', `/v1/challenges/${mine.id}/leaderboard`)).body.data).toEqual([]);
    });

    it('lists private challenges only when asked for', async () => {
      const hidden = await aChallenge({ name: 'hidden', visibility: 'private' });
      expect((await t.api('GET', '/v1/challenges?limit=500')).body.data.map((c: any) => c.id)).not.toContain(hidden.id);
      expect((await t.api('GET', '/v1/challenges?visibility=private&limit=500')).body.data.map((c: any) => c.id)).toContain(hidden.id);
    });

    it('refuses bad challenges with the parameter named', async () => {
      const post = (body: object) =>
        t.api('POST', '/v1/challenges', {
          body: { name: 'x', metricType: 'steps', startDate: '2025-06-01', endDate: '2025-06-03', ...body },
        });
      expect((await post({ aggregation: 'median' })).status).toBe(422);
      expect((await post({ endDate: '2025-05-01' })).body).toMatchObject({
        statusCode: 422,
        message: 'endDate must not be before startDate',
      });
      expect((await post({ endDate: '2026-06-03' })).status).toBe(422);
      const day = await post({ startDate: '2025-06-31' });
      expect(day.status).toBe(400);
      expect(day.body.message).toMatch(/startDate/);
    });
  });
}
