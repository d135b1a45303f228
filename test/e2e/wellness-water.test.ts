import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, atLocal, aUser, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { localDay } from '../../src/lib/time.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
/** Written out here, not read from the code: the US fluid ounce and the US customary cup (8 fl oz) in ml. */
const FL_OZ_ML = 29.5735295625;
const CUP_ML = 8 * FL_OZ_ML;

const LOG_FIELDS = 'id userId at localDate amount unit volumeMl beverage hydrationFactor hydrationMl note createdAt';
const TODAY_FIELDS = 'date timezone totalMl goalMl goalSource goalId percent remainingMl met sources samples logs';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`water logs over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const log = (userId: string, body: Record<string, unknown>) => t.api('POST', `/v1/users/${userId}/water`, { body });
    const logged = async (userId: string, body: Record<string, unknown>) => {
      const answer = await log(userId, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    };
    const today = async (userId: string, query: string) => {
      const answer = await t.api('GET', `/v1/users/${userId}/water/today?${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };

    it('logs drinks in ml, l, fl oz and cups with each beverage’s factor, the same over REST and GraphQL', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const at = '2025-06-10T08:00:00.000Z';
      const glass = await logged(userId, { amount: 250, at });
      expect(glass).toMatchObject({
        userId,
        localDate: '2025-06-10',
        amount: 250,
        unit: 'ml',
        volumeMl: 250,
        beverage: 'water',
        hydrationMl: 250,
      });
      const bottle = await logged(userId, { amount: 0.5, unit: 'l', beverage: 'sparkling_water', at: '2025-06-10T09:00:00.000Z' });
      expect(bottle.volumeMl).toBeCloseTo(500, 9);
      const coffee = await logged(userId, { amount: 1, unit: 'cup', beverage: 'coffee', at: '2025-06-10T10:00:00.000Z' });
      expect(coffee.volumeMl).toBeCloseTo(CUP_ML, 9);
      expect(coffee.hydrationMl).toBeCloseTo(CUP_ML, 9);
      const wine = await logged(userId, { amount: 6, unit: 'fl_oz', beverage: 'wine', at: '2025-06-10T18:00:00.000Z', note: ' dinner ' });
      expect(wine).toMatchObject({ hydrationFactor: 0, hydrationMl: 0, note: 'dinner' });
      expect(wine.volumeMl).toBeCloseTo(6 * FL_OZ_ML, 9);

      const gql = await t.graphql(
        `mutation ($userId: ID!) { logWater(userId: $userId, amount: 2, unit: fl_oz, beverage: tea, at: "2025-06-10T12:00:00Z") { ${LOG_FIELDS} } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.logWater.volumeMl).toBeCloseTo(2 * FL_OZ_ML, 9);

      const rest = await t.api('GET', `/v1/users/${userId}/water?from=2025-06-10&to=2025-06-10`);
      expect(rest.status).toBe(200);
      expect(rest.body.data.map((entry: any) => entry.beverage)).toEqual(['water', 'sparkling_water', 'coffee', 'tea', 'wine']);
      const listed = await t.graphql(
        `query ($userId: ID!) { waterLogs(userId: $userId, from: "2025-06-10", to: "2025-06-10") { total data { ${LOG_FIELDS} } } }`,
        {
          userId,
        },
      );
      expect(listed.body.data.waterLogs.data).toEqual(rest.body.data);
      expect(listed.body.data.waterLogs.total).toBe(5);

      // Wine counts 0; the rest at their volume: 250 + 500 + a cup + 2 fl oz.
      const day = await today(userId, 'date=2025-06-10');
      expect(day.totalMl).toBeCloseTo(250 + 500 + CUP_ML + 2 * FL_OZ_ML, 9);
      expect(day).toMatchObject({ logs: 5, samples: 4, sources: ['vitasync'], goalMl: 2000, goalSource: 'default' });
      const gqlDay = await t.graphql(`query ($userId: ID!) { waterToday(userId: $userId, date: "2025-06-10") { ${TODAY_FIELDS} } }`, {
        userId,
      });
      expect(gqlDay.body.data.waterToday).toEqual(day);
    });

    it('pages logs by offset and by cursor in time order', async () => {
      const userId = (await aUser(t)).id;
      // Logged out of time order: the list is in time order, two drinks at one instant both kept.
      for (const hour of [9, 7, 8, 8]) await logged(userId, { amount: 100 + hour, at: `2025-06-10T0${hour}:00:00.000Z` });
      const byOffset = await t.api('GET', `/v1/users/${userId}/water?limit=3&offset=1`);
      expect(byOffset.body.total).toBe(4);
      expect(byOffset.body.data.map((entry: any) => entry.amount)).toEqual([108, 108, 109]);
      const page1 = await t.graphql(`query ($userId: ID!) { waterLogs(userId: $userId, limit: 2) { nextCursor data { amount } } }`, {
        userId,
      });
      expect(page1.body.data.waterLogs.data.map((entry: any) => entry.amount)).toEqual([107, 108]);
      const cursor = page1.body.data.waterLogs.nextCursor;
      const page2 = await t.api('GET', `/v1/users/${userId}/water?limit=2&cursor=${encodeURIComponent(cursor)}`);
      expect(page2.status, JSON.stringify(page2.body)).toBe(200);
      expect(page2.body.data.map((entry: any) => entry.amount)).toEqual([108, 109]);
      expect(page2.body.nextCursor).toBeNull();
      const day = await today(userId, 'date=2025-06-10');
      expect(day.totalMl).toBe(107 + 108 + 108 + 109);
    });

    it('counts a drink logged here and pushed by an app once; logs only and pushes only at their true totals', async () => {
      const both = (await aUser(t)).id;
      // 250 ml logged at 12:00 and the same glass pushed by HealthKit at 12:05: one quarter hour, one source kept.
      await logged(both, { amount: 250, at: '2025-06-10T12:00:00.000Z' });
      await pushSamples(t, both, [{ metricType: 'water', value: 250, recordedAt: '2025-06-10T12:05:00.000Z' }], 'healthkit');
      const bothDay = await today(both, 'date=2025-06-10');
      expect(bothDay.totalMl).toBe(250);
      expect(bothDay.sources).toHaveLength(1);
      // The health routes agree: the log is a water sample like any other.
      const summaries = await t.api('GET', `/v1/users/${both}/health/daily-summaries?metricType=water&from=2025-06-10&to=2025-06-10`);
      expect(summaries.body.data.map((row: any) => row.value)).toEqual([250]);
      const raw = await t.api('GET', `/v1/users/${both}/health?metricType=water`);
      expect(raw.body.data.map((row: any) => row.source).sort()).toEqual(['healthkit', 'vitasync']);

      const logsOnly = (await aUser(t)).id;
      await logged(logsOnly, { amount: 300, at: '2025-06-10T07:00:00.000Z' });
      await logged(logsOnly, { amount: 200, at: '2025-06-10T07:05:00.000Z' });
      expect((await today(logsOnly, 'date=2025-06-10')).totalMl).toBe(500);

      const pushedOnly = (await aUser(t)).id;
      await pushSamples(t, pushedOnly, [
        { metricType: 'water', value: 400, recordedAt: '2025-06-10T07:00:00.000Z' },
        { metricType: 'water', value: 350, recordedAt: '2025-06-10T15:00:00.000Z' },
      ]);
      const pushedDay = await today(pushedOnly, 'date=2025-06-10');
      expect(pushedDay).toMatchObject({ totalMl: 750, logs: 0, sources: ['api'] });
    });

    it('deletes a log with exactly its sample, announcing it, and 404s a second time', async () => {
      const userId = (await aUser(t)).id;
      const kept = await logged(userId, { amount: 300, at: '2025-06-10T07:00:00.000Z' });
      // Same quarter hour as the kept one: its rollup must be recomputed, not dropped.
      const gone = await logged(userId, { amount: 200, at: '2025-06-10T07:05:00.000Z' });
      const removed = await t.api('DELETE', `/v1/users/${userId}/water/${gone.id}`);
      expect(removed.status).toBe(204);
      expect((await today(userId, 'date=2025-06-10')).totalMl).toBe(300);
      const raw = await t.api('GET', `/v1/users/${userId}/health?metricType=water`);
      expect(raw.body.data.map((row: any) => row.externalId)).toEqual([kept.id]);
      const timeseries = await t.api(
        'GET',
        `/v1/users/${userId}/health/timeseries?metricType=water&from=2025-06-10T00:00:00Z&to=2025-06-11T00:00:00Z&bucket=hour`,
      );
      expect(timeseries.body.data.map((point: any) => point.value)).toEqual([300]);
      expect((await t.api('DELETE', `/v1/users/${userId}/water/${gone.id}`)).status).toBe(404);
      const viaGql = await t.graphql(`mutation ($userId: ID!, $logId: ID!) { deleteWaterLog(userId: $userId, logId: $logId) }`, {
        userId,
        logId: kept.id,
      });
      expect(viaGql.body.data.deleteWaterLog).toBe(true);
      expect((await today(userId, 'date=2025-06-10')).totalMl).toBe(0);

      const events = await t.api('GET', '/v1/domain-events?type=water_log.created&type=water_log.deleted&limit=500');
      const mine = events.body.data.filter((event: any) => event.payload.userId === userId);
      expect(mine.map((event: any) => [event.type, event.payload.id])).toEqual([
        ['water_log.created', kept.id],
        ['water_log.created', gone.id],
        ['water_log.deleted', gone.id],
        ['water_log.deleted', kept.id],
      ]);
      expect(mine[0].payload).toEqual(kept);
    });

    it('puts drinks just before and after local midnight on their own days, on a DST day too', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      // Berlin moves from +01:00 to +02:00 at 02:00 on 2025-03-30: that day has 23 hours.
      const before = await logged(userId, { amount: 100, at: new Date(atLocal(BERLIN, '2025-03-30', 0).getTime() - 60_000).toISOString() });
      const after = await logged(userId, { amount: 200, at: new Date(atLocal(BERLIN, '2025-03-30', 0).getTime() + 60_000).toISOString() });
      const lateOnDstDay = await logged(userId, { amount: 400, at: '2025-03-30T21:59:00.000Z' }); // 23:59 CEST
      const nextDay = await logged(userId, { amount: 800, at: '2025-03-30T22:01:00.000Z' }); // 00:01 on the 31st
      expect([before, after, lateOnDstDay, nextDay].map((entry) => entry.localDate)).toEqual([
        '2025-03-29',
        '2025-03-30',
        '2025-03-30',
        '2025-03-31',
      ]);
      const week = await t.api('GET', `/v1/users/${userId}/water/weekly?to=2025-03-31&goal=500`);
      expect(week.status).toBe(200);
      const totals = Object.fromEntries(week.body.days.map((day: any) => [day.date, day.totalMl]));
      expect(totals).toMatchObject({ '2025-03-29': 100, '2025-03-30': 600, '2025-03-31': 800 });
      expect(week.body).toMatchObject({
        from: '2025-03-25',
        to: '2025-03-31',
        totalMl: 1500,
        daysWithData: 3,
        averageMl: 500,
        daysMet: 2,
        goalMl: 500,
        goalSource: 'parameter',
      });
      expect(week.body.days).toHaveLength(7);
      const gql = await t.graphql(
        `query ($userId: ID!) { waterWeekly(userId: $userId, to: "2025-03-31", goal: 500) { from to timezone goalMl goalSource goalId totalMl averageMl daysWithData daysMet days { date totalMl goalMl percent remainingMl met sources samples logs } } }`,
        { userId },
      );
      expect(gql.body.data.waterWeekly).toEqual(week.body);
      const onDst = await t.api('GET', `/v1/users/${userId}/water?from=2025-03-30&to=2025-03-30`);
      expect(onDst.body.data.map((entry: any) => entry.id)).toEqual([after.id, lateOnDstDay.id]);
    });

    it('keeps a log on its day after the user changes zone, while the totals follow the health data into the new zone', async () => {
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      // 22:00 in New York on 10 June is 04:00 in Berlin on 11 June.
      const late = await logged(userId, { amount: 250, at: atLocal(NEW_YORK, '2025-06-10', 22).toISOString() });
      expect(late.localDate).toBe('2025-06-10');
      expect((await today(userId, 'date=2025-06-10')).totalMl).toBe(250);
      const moved = await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: BERLIN } });
      expect(moved.status).toBe(200);
      const listed = await t.api('GET', `/v1/users/${userId}/water?from=2025-06-10&to=2025-06-10`);
      expect(listed.body.data.map((entry: any) => entry.id)).toEqual([late.id]);
      expect(await today(userId, 'date=2025-06-10')).toMatchObject({ totalMl: 0, logs: 1, timezone: BERLIN });
      expect(await today(userId, 'date=2025-06-11')).toMatchObject({ totalMl: 250, logs: 0 });
    });

    it('judges today (in the user’s zone) against the parameter, else a daily water goal, else 2,000 ml', async () => {
      const userId = (await aUser(t, { timezone: 'Pacific/Auckland' })).id;
      await logged(userId, { amount: 500 });
      const day = localDay('Pacific/Auckland', new Date());
      const byDefault = await today(userId, '');
      expect(byDefault).toMatchObject({
        date: day,
        totalMl: 500,
        goalMl: 2000,
        goalSource: 'default',
        goalId: null,
        percent: 25,
        remainingMl: 1500,
        met: false,
      });
      const goal = await t.api('POST', `/v1/users/${userId}/goals`, { body: { metricType: 'water', target: 2500, period: 'daily' } });
      expect(goal.status).toBe(201);
      expect(await today(userId, '')).toMatchObject({ goalMl: 2500, goalSource: 'goal', goalId: goal.body.id, percent: 20 });
      expect(await today(userId, 'goal=400')).toMatchObject({
        goalMl: 400,
        goalSource: 'parameter',
        percent: 125,
        remainingMl: 0,
        met: true,
      });
    });

    it('refuses bad input with a 400 or 422 naming the field, and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, RegExp][] = [
        [{ amount: 0 }, 422, /amount/],
        [{ amount: -5 }, 422, /amount/],
        [{ amount: 6, unit: 'l' }, 422, /amount/],
        [{ amount: 'lots' }, 400, /amount/],
        [{}, 400, /amount/],
        [{ amount: 100, unit: 'gallon' }, 422, /unit/],
        [{ amount: 100, beverage: 'lemonade' }, 422, /beverage/],
        [{ amount: 100, at: '2999-01-01T00:00:00Z' }, 422, /at/],
        [{ amount: 100, at: 'yesterday' }, 400, /at/],
        [{ amount: 100, note: 'x'.repeat(501) }, 422, /note/],
      ];
      for (const [body, status, message] of cases) {
        const answer = await log(userId, body);
        expect(answer.status, JSON.stringify([body, answer.body])).toBe(status);
        expect(answer.body.message).toMatch(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/water`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/health?metricType=water`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/water?from=2025-02-30`)).status).toBe(400);
      expect((await t.api('GET', `/v1/users/${userId}/water?from=2025-06-10&to=2025-06-01`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/water/today?goal=0`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/water/weekly?to=2025-13-01`)).status).toBe(400);
      const gql = await t.graphql(`mutation ($userId: ID!) { logWater(userId: $userId, amount: 0) { id } }`, { userId });
      expect(gql.body.errors[0].message).toMatch(/amount/);
    });

    it('answers 404 for another workspace’s user or log, lets a read key read but not write, and drops logs with the user’s health data or the user', async () => {
      const other = await t.newWorkspace();
      const theirs = (await asKey(t, other.adminKey).api('POST', '/v1/users', { body: { externalId: 'theirs' } })).body;
      const theirLog = (await t.api('POST', `/v1/users/${theirs.id}/water`, { key: other.adminKey, body: { amount: 100 } })).body;
      const mine = (await aUser(t)).id;
      expect((await t.api('GET', `/v1/users/${theirs.id}/water`)).status).toBe(404);
      expect((await log(theirs.id, { amount: 100 })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${theirs.id}/water/today`)).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${mine}/water/${theirLog.id}`)).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${theirs.id}/water/${theirLog.id}`)).status).toBe(404);

      const reader = asKey(t, (await aKey(t, { scope: 'read' })).key);
      expect((await reader.api('GET', `/v1/users/${mine}/water/weekly`)).status).toBe(200);
      expect((await reader.api('POST', `/v1/users/${mine}/water`, { body: { amount: 100 } })).status).toBe(403);

      const erased = (await aUser(t)).id;
      await logged(erased, { amount: 100 });
      await t.api('POST', `/v1/users/${erased}/nutrition`, { body: { mealType: 'lunch', energy: 500 } });
      expect((await t.api('DELETE', `/v1/users/${erased}/health`)).status).toBe(204);
      expect((await t.api('GET', `/v1/users/${erased}/water`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${erased}/nutrition`)).body.data).toEqual([]);
      expect((await today(erased, '')).totalMl).toBe(0);

      const userId = (await aUser(t)).id;
      await logged(userId, { amount: 100 });
      expect((await t.api('DELETE', `/v1/users/${userId}`)).status).toBe(204);
      expect(await t.server.database.prisma.waterLog.count({ where: { userId } })).toBe(0);
    });
  });
}
