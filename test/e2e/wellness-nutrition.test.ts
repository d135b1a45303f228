import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, atLocal, aUser, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { localDay } from '../../src/lib/time.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const MEAL_FIELDS =
  'id userId mealType at localDate foods { name portion } note energy protein carbohydrates fat fiber sugar sodium createdAt';
const DAY_FIELDS =
  'date timezone meals nutrients { field metricType unit total target targetSource goalId direction percent met sources samples }';
const WEEK_FIELDS =
  'from to timezone meals averages { field metricType unit total daysWithData averagePerDay target targetSource goalId direction percentOfTarget } days { date meals energy protein carbohydrates fat fiber sugar sodium }';

/** The defaults written out from their sources (EU Regulation 1169/2011 Annex XIII Part B; EFSA 2010 for fibre). */
const DEFAULT_TARGETS = { energy: 2000, protein: 50, carbohydrates: 260, fat: 70, fiber: 25, sugar: 90, sodium: 2400 };

const byField = (nutrients: any[]) => Object.fromEntries(nutrients.map((entry) => [entry.field, entry]));

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`meal logs over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const post = (userId: string, body: Record<string, unknown>) => t.api('POST', `/v1/users/${userId}/nutrition`, { body });
    const logged = async (userId: string, body: Record<string, unknown>) => {
      const answer = await post(userId, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    };
    const daily = async (userId: string, query: string) => {
      const answer = await t.api('GET', `/v1/users/${userId}/nutrition/summary/daily?${query}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };

    it('logs meals with foods and macros and totals the day against the default targets, the same over REST and GraphQL', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const breakfast = await logged(userId, {
        mealType: 'breakfast',
        at: '2025-06-10T06:30:00.000Z',
        foods: [{ name: ' Oats ', portion: '60 g' }, { name: 'Milk' }],
        energy: 350,
        protein: 14,
        carbohydrates: 50,
        fat: 9,
        fiber: 6,
        sugar: 8,
        sodium: 120,
      });
      expect(breakfast).toMatchObject({
        userId,
        mealType: 'breakfast',
        localDate: '2025-06-10',
        foods: [
          { name: 'Oats', portion: '60 g' },
          { name: 'Milk', portion: null },
        ],
        energy: 350,
        sodium: 120,
      });
      const gql = await t.graphql(
        `mutation ($userId: ID!) { logMeal(userId: $userId, mealType: dinner, at: "2025-06-10T18:00:00Z", foods: [{ name: "Pasta" }], energy: 900, protein: 30, carbohydrates: 120, fat: 30, sugar: 12, sodium: 1500) { ${MEAL_FIELDS} } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.logMeal.fiber).toBeNull();
      // Foods only: no nutrient samples, but a meal of the day.
      await logged(userId, { mealType: 'snack', at: '2025-06-10T15:00:00.000Z', foods: [{ name: 'Apple' }] });

      const rest = await t.api('GET', `/v1/users/${userId}/nutrition?from=2025-06-10&to=2025-06-10`);
      expect(rest.body.data.map((meal: any) => meal.mealType)).toEqual(['breakfast', 'snack', 'dinner']);
      const listed = await t.graphql(
        `query ($userId: ID!) { meals(userId: $userId, from: "2025-06-10", to: "2025-06-10") { total data { ${MEAL_FIELDS} } } }`,
        { userId },
      );
      expect(listed.body.data.meals.data).toEqual(rest.body.data);

      const day = await daily(userId, 'date=2025-06-10');
      expect(day.meals).toBe(3);
      const totals = byField(day.nutrients);
      const expected = { energy: 1250, protein: 44, carbohydrates: 170, fat: 39, fiber: 6, sugar: 20, sodium: 1620 };
      for (const [field, total] of Object.entries(expected)) {
        const target = DEFAULT_TARGETS[field as keyof typeof DEFAULT_TARGETS];
        expect(totals[field], field).toMatchObject({
          total,
          target,
          targetSource: 'default',
          percent: Math.round((total / target) * 1000) / 10,
        });
      }
      expect(totals.energy).toMatchObject({
        metricType: 'dietary_energy',
        unit: 'kcal',
        direction: 'reference',
        met: false,
        samples: 2,
        sources: ['vitasync'],
      });
      expect(totals.sodium).toMatchObject({ unit: 'mg', direction: 'at_most', met: true });
      expect(totals.fiber).toMatchObject({ direction: 'at_least', met: false, samples: 1 });
      const gqlDay = await t.graphql(`query ($userId: ID!) { nutritionDaily(userId: $userId, date: "2025-06-10") { ${DAY_FIELDS} } }`, {
        userId,
      });
      expect(gqlDay.body.data.nutritionDaily).toEqual(day);
      // The health routes see the same energy.
      const summaries = await t.api(
        'GET',
        `/v1/users/${userId}/health/daily-summaries?metricType=dietary_energy&from=2025-06-10&to=2025-06-10`,
      );
      expect(summaries.body.data.map((row: any) => row.value)).toEqual([1250]);
    });

    it('counts a meal logged here and pushed by an app once; logs only and pushes only at their true totals', async () => {
      const both = (await aUser(t)).id;
      await logged(both, { mealType: 'lunch', at: '2025-06-10T12:00:00.000Z', energy: 600, protein: 35 });
      await pushSamples(
        t,
        both,
        [
          { metricType: 'dietary_energy', value: 600, recordedAt: '2025-06-10T12:03:00.000Z' },
          { metricType: 'protein', value: 35, recordedAt: '2025-06-10T12:03:00.000Z' },
        ],
        'myfitnesspal',
      );
      const bothDay = byField((await daily(both, 'date=2025-06-10')).nutrients);
      expect([bothDay.energy.total, bothDay.protein.total]).toEqual([600, 35]);

      const logsOnly = (await aUser(t)).id;
      await logged(logsOnly, { mealType: 'lunch', at: '2025-06-10T12:00:00.000Z', energy: 600 });
      await logged(logsOnly, { mealType: 'snack', at: '2025-06-10T12:10:00.000Z', energy: 150 });
      expect(byField((await daily(logsOnly, 'date=2025-06-10')).nutrients).energy.total).toBe(750);

      const pushedOnly = (await aUser(t)).id;
      await pushSamples(t, pushedOnly, [
        { metricType: 'dietary_energy', value: 2.0, unit: 'kJ', recordedAt: '2025-06-10T08:00:00.000Z' },
        { metricType: 'dietary_energy', value: 700, recordedAt: '2025-06-10T19:00:00.000Z' },
      ]);
      const pushedDay = await daily(pushedOnly, 'date=2025-06-10');
      expect(pushedDay.meals).toBe(0);
      expect(byField(pushedDay.nutrients).energy.total).toBeCloseTo(700 + 2 / 4.184, 9);
    });

    it('averages each nutrient over the week’s days with data, with meals just before and after local midnight on a DST day', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const midnight = atLocal(BERLIN, '2025-03-30', 0).getTime();
      const late = await logged(userId, { mealType: 'snack', at: new Date(midnight - 60_000).toISOString(), energy: 200, sodium: 100 });
      const early = await logged(userId, { mealType: 'snack', at: new Date(midnight + 60_000).toISOString(), energy: 300 });
      // 23:30 CEST on the 23-hour day, and 00:30 the next morning.
      const lastOfDst = await logged(userId, { mealType: 'dinner', at: '2025-03-30T21:30:00.000Z', energy: 1000, protein: 40 });
      const nextMorning = await logged(userId, { mealType: 'breakfast', at: '2025-03-30T22:30:00.000Z', energy: 500, protein: 20 });
      expect([late, early, lastOfDst, nextMorning].map((meal) => meal.localDate)).toEqual([
        '2025-03-29',
        '2025-03-30',
        '2025-03-30',
        '2025-03-31',
      ]);

      const week = await t.api('GET', `/v1/users/${userId}/nutrition/summary/weekly?to=2025-03-31&proteinTarget=60`);
      expect(week.status, JSON.stringify(week.body)).toBe(200);
      expect(week.body).toMatchObject({ from: '2025-03-25', to: '2025-03-31', timezone: BERLIN, meals: 4 });
      const days = Object.fromEntries(week.body.days.map((day: any) => [day.date, day]));
      expect(days['2025-03-29']).toMatchObject({ meals: 1, energy: 200, sodium: 100, protein: null });
      expect(days['2025-03-30']).toMatchObject({ meals: 2, energy: 1300, protein: 40 });
      expect(days['2025-03-31']).toMatchObject({ meals: 1, energy: 500, protein: 20 });
      expect(days['2025-03-25']).toMatchObject({ meals: 0, energy: null });
      const averages = byField(week.body.averages);
      // Energy on three days: (200 + 1300 + 500) / 3; protein on two: (40 + 20) / 2 against the 60 g asked for.
      expect(averages.energy).toMatchObject({ total: 2000, daysWithData: 3, target: 2000, targetSource: 'default' });
      expect(averages.energy.averagePerDay).toBeCloseTo(2000 / 3, 9);
      expect(averages.protein).toMatchObject({
        total: 60,
        daysWithData: 2,
        averagePerDay: 30,
        target: 60,
        targetSource: 'parameter',
        percentOfTarget: 50,
      });
      expect(averages.fiber).toMatchObject({ total: 0, daysWithData: 0, averagePerDay: null, percentOfTarget: null });
      const gql = await t.graphql(
        `query ($userId: ID!) { nutritionWeekly(userId: $userId, to: "2025-03-31", proteinTarget: 60) { ${WEEK_FIELDS} } }`,
        { userId },
      );
      expect(gql.body.data.nutritionWeekly).toEqual(week.body);
    });

    it('keeps a meal on its day after the user changes zone, while the totals follow the health data into the new zone', async () => {
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      const dinner = await logged(userId, { mealType: 'dinner', at: atLocal(NEW_YORK, '2025-06-10', 21).toISOString(), energy: 800 });
      expect(dinner.localDate).toBe('2025-06-10');
      expect((await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: BERLIN } })).status).toBe(200);
      const listed = await t.api('GET', `/v1/users/${userId}/nutrition?from=2025-06-10&to=2025-06-10`);
      expect(listed.body.data.map((meal: any) => meal.id)).toEqual([dinner.id]);
      const before = await daily(userId, 'date=2025-06-10');
      expect([before.meals, byField(before.nutrients).energy.total]).toEqual([1, 0]);
      const after = await daily(userId, 'date=2025-06-11');
      expect([after.meals, byField(after.nutrients).energy.total]).toEqual([0, 800]);
    });

    it('takes targets from parameters, else daily goals on the metric types, for today in the user’s zone', async () => {
      const userId = (await aUser(t, { timezone: 'Asia/Kathmandu' })).id;
      await logged(userId, { mealType: 'lunch', energy: 900, sodium: 3000 });
      const goal = await t.api('POST', `/v1/users/${userId}/goals`, {
        body: { metricType: 'dietary_energy', target: 1800, period: 'daily' },
      });
      expect(goal.status).toBe(201);
      const day = await daily(userId, 'sodiumTarget=2000');
      expect(day.date).toBe(localDay('Asia/Kathmandu', new Date()));
      const totals = byField(day.nutrients);
      expect(totals.energy).toMatchObject({ total: 900, target: 1800, targetSource: 'goal', goalId: goal.body.id, percent: 50 });
      expect(totals.sodium).toMatchObject({ total: 3000, target: 2000, targetSource: 'parameter', met: false, percent: 150 });
      expect(totals.protein).toMatchObject({ target: 50, targetSource: 'default' });
    });

    it('refuses bad meals with a 400 or 422 naming the field, and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, RegExp][] = [
        [{ energy: 100 }, 400, /mealType/],
        [{ mealType: 'brunch', energy: 100 }, 422, /mealType/],
        [{ mealType: 'lunch' }, 422, /food or one nutrient/],
        [{ mealType: 'lunch', energy: -1 }, 422, /energy/],
        [{ mealType: 'lunch', protein: 5000 }, 422, /protein/],
        [{ mealType: 'lunch', carbohydrates: 10, sugar: 20 }, 422, /sugar/],
        [{ mealType: 'lunch', foods: [{ name: '  ' }] }, 422, /name/],
        [{ mealType: 'lunch', foods: Array.from({ length: 51 }, () => ({ name: 'pea' })) }, 422, /foods/],
        [{ mealType: 'lunch', energy: 100, at: '2999-01-01T00:00:00Z' }, 422, /at/],
        [{ mealType: 'lunch', energy: 'a lot' }, 400, /energy/],
      ];
      for (const [body, status, message] of cases) {
        const answer = await post(userId, body);
        expect(answer.status, JSON.stringify([body, answer.body])).toBe(status);
        expect(answer.body.message).toMatch(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/nutrition`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/health`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/nutrition/summary/daily?energyTarget=0`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/nutrition/summary/weekly?to=2025-02-30`)).status).toBe(400);
    });

    it('answers 404 for another workspace’s user, lets a read key read but not write, announces meals and drops them with the user', async () => {
      const other = await t.newWorkspace();
      const theirs = (await asKey(t, other.adminKey).api('POST', '/v1/users', { body: { externalId: 'theirs' } })).body;
      expect((await t.api('GET', `/v1/users/${theirs.id}/nutrition`)).status).toBe(404);
      expect((await post(theirs.id, { mealType: 'lunch', energy: 1 })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${theirs.id}/nutrition/summary/weekly`)).status).toBe(404);

      const userId = (await aUser(t)).id;
      const reader = asKey(t, (await aKey(t, { scope: 'read' })).key);
      expect((await reader.api('GET', `/v1/users/${userId}/nutrition/summary/daily`)).status).toBe(200);
      expect((await reader.api('POST', `/v1/users/${userId}/nutrition`, { body: { mealType: 'lunch', energy: 1 } })).status).toBe(403);

      const meal = await logged(userId, { mealType: 'lunch', energy: 500 });
      const events = await t.api('GET', '/v1/domain-events?type=meal.created&limit=500');
      expect(events.body.data.filter((event: any) => event.payload.userId === userId).map((event: any) => event.payload)).toEqual([meal]);
      expect((await t.api('DELETE', `/v1/users/${userId}`)).status).toBe(204);
      expect(await t.server.database.prisma.meal.count({ where: { userId } })).toBe(0);
    });
  });
}
