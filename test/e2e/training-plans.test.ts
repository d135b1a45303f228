import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, atLocal, aUser, pushEvents, type EventBody } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addDays, localDay } from '../../src/lib/time.js';

const BERLIN = 'Europe/Berlin';

const PLAN_FIELDS = `id userId name goalKind goalDistance goalDescription startDate goalDate asOf status weeks weekNumber daysToGoal
  sessions { dayOfWeek sport durationMinutes distance intensity description }
  currentWeek { weekStart weekEnd planned completed partial missed upcoming plannedMinutes completedMinutes plannedDistance
    completedDistance compliance unplannedWorkouts
    sessions { date dayOfWeek sport durationMinutes distance intensity description status achieved
      workout { id subtype date startAt durationMinutes distance source } } }
  toDate { weeks planned completed partial missed upcoming plannedMinutes completedMinutes plannedDistance completedDistance compliance }`;

/** A 10 km plan of three weeks in Berlin, across the spring DST change (Sunday 30 March 2025). */
const TEN_K = {
  name: '10 km in April',
  goalKind: 'race',
  goalDistance: 10_000,
  startDate: '2025-03-17',
  goalDate: '2025-04-06',
  sessions: [
    { dayOfWeek: 7, sport: 'running', distance: 12_000, intensity: 'easy', description: 'long run' },
    { dayOfWeek: 2, sport: 'running', durationMinutes: 40, intensity: 'easy' },
    { dayOfWeek: 4, sport: 'running', durationMinutes: 45, intensity: 'hard', description: '6 × 3 min at 5 km pace' },
  ],
};

/** A workout starting when a Berlin wall clock shows `hour` (fractions allowed) on a local day. */
function workout(day: string, hour: number, minutes: number, fields: Partial<EventBody> = {}): EventBody {
  const startAt = atLocal(BERLIN, day, hour);
  return {
    type: 'workout',
    subtype: 'running',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + minutes * 60_000).toISOString(),
    ...fields,
  };
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`training plans over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('judges each planned session against the workouts of its week, in the user’s local days across DST', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      // Week 1: Tuesday's run recorded by the watch and again by Strava ("Run", overlapping) counts once; Thursday's
      // hard run done on Friday; Sunday's long run cut short (8 of 12 km).
      await pushEvents(
        t,
        userId,
        [workout('2025-03-18', 7, 42), workout('2025-03-21', 18, 45), workout('2025-03-23', 9, 30, { distance: 8_000 })],
        'garmin',
      );
      await pushEvents(t, userId, [workout('2025-03-18', 7 + 1 / 60, 40, { subtype: 'Run' })], 'strava');
      // Week 2: a ride on Tuesday (not a run), Thursday's run, and the long run at 23:30 on Sunday 30 March (summer
      // time from that morning: 21:30 UTC, still week 2). Week 3: a run at 00:30 on Monday 31 March (22:30 UTC on the
      // 30th), unplanned, and Tuesday's run.
      await pushEvents(
        t,
        userId,
        [
          workout('2025-03-25', 18, 60, { subtype: 'cycling' }),
          workout('2025-03-27', 18, 46),
          workout('2025-03-30', 23.5, 70, { subtype: 'trail_running', distance: 12_500 }),
          workout('2025-03-31', 0.5, 20),
          workout('2025-04-01', 7, 41),
        ],
        'garmin',
      );

      const created = await t.api('POST', `/v1/users/${userId}/training-plans`, { body: TEN_K });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        userId,
        name: '10 km in April',
        goalKind: 'race',
        goalDistance: 10_000,
        goalDescription: null,
        weeks: 3,
      });
      // The planned week comes back in day order, with the default intensity and no figure invented.
      expect(created.body.sessions.map((s: any) => [s.dayOfWeek, s.durationMinutes, s.distance])).toEqual([
        [2, 40, null],
        [4, 45, null],
        [7, null, 12_000],
      ]);

      const week1 = (await t.api('GET', `/v1/users/${userId}/training-plans?asOf=2025-03-23`)).body.data[0];
      expect(week1).toMatchObject({ asOf: '2025-03-23', status: 'active', weekNumber: 1, daysToGoal: 14 });
      expect(week1.currentWeek).toMatchObject({
        weekStart: '2025-03-17',
        weekEnd: '2025-03-23',
        planned: 3,
        completed: 2,
        partial: 1,
        missed: 0,
        upcoming: 0,
        unplannedWorkouts: 0,
        plannedMinutes: 85,
        completedMinutes: 117,
        plannedDistance: 12_000,
        completedDistance: 8_000,
      });
      const [tuesday, thursday, sunday] = week1.currentWeek.sessions;
      expect(tuesday).toMatchObject({ date: '2025-03-18', status: 'completed', achieved: 1 });
      // The longer of the two records of the same run stays.
      expect(tuesday.workout).toMatchObject({ date: '2025-03-18', source: 'garmin', durationMinutes: 42, subtype: 'running' });
      expect(thursday).toMatchObject({ date: '2025-03-20', status: 'completed' });
      expect(thursday.workout.date).toBe('2025-03-21');
      expect(sunday).toMatchObject({ date: '2025-03-23', status: 'partial', achieved: 0.667 });
      // (1 + 1 + 8/12) / 3 sessions due.
      expect(week1.currentWeek.compliance).toBe(88.9);

      // On Saturday Tuesday's session may still be run this week; once Sunday has ended it is missed (the ride met nothing).
      const saturday = (await t.api('GET', `/v1/users/${userId}/training-plans?asOf=2025-03-29`)).body.data[0];
      expect(saturday.currentWeek.sessions.map((s: any) => [s.date, s.status])).toEqual([
        ['2025-03-25', 'upcoming'],
        ['2025-03-27', 'completed'],
        ['2025-03-30', 'upcoming'],
      ]);
      const week2 = (await t.api('GET', `/v1/users/${userId}/training-plans?asOf=2025-03-30`)).body.data[0];
      expect(week2.currentWeek.sessions.map((s: any) => [s.date, s.status])).toEqual([
        ['2025-03-25', 'missed'],
        ['2025-03-27', 'completed'],
        ['2025-03-30', 'completed'],
      ]);
      expect(week2.currentWeek).toMatchObject({ unplannedWorkouts: 1, compliance: 66.7 });
      expect(week2.currentWeek.sessions[2].workout).toMatchObject({ date: '2025-03-30', subtype: 'trail_running', distance: 12_500 });

      const gql = await t.graphql(
        `query ($userId: ID!) { trainingPlans(userId: $userId, asOf: "2025-04-02") { total data { ${PLAN_FIELDS} } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      const week3 = gql.body.data.trainingPlans.data[0];
      expect(week3).toMatchObject({ status: 'active', weekNumber: 3, daysToGoal: 4 });
      expect(week3.currentWeek).toMatchObject({
        weekStart: '2025-03-31',
        completed: 1,
        upcoming: 2,
        unplannedWorkouts: 1,
        compliance: 100,
      });
      expect(week3.currentWeek.sessions[0].workout.date).toBe('2025-04-01');
      // To date: 9 sessions, 5 completed, 1 partial (8/12), 1 missed (week 2's Tuesday), 2 upcoming.
      expect(week3.toDate).toMatchObject({ weeks: 3, planned: 9, completed: 5, partial: 1, missed: 1, upcoming: 2, compliance: 81 });
      // REST answers the same plan GraphQL does.
      const rest = (await t.api('GET', `/v1/users/${userId}/training-plans?asOf=2025-04-02`)).body.data[0];
      const { createdAt: _c, updatedAt: _u, ...restPlan } = rest;
      expect(restPlan).toEqual(week3);

      const finished = (await t.api('GET', `/v1/users/${userId}/training-plans?asOf=2025-04-10`)).body.data[0];
      expect(finished).toMatchObject({ status: 'finished', weekNumber: 3, daysToGoal: 0 });
      // Once Thursday has passed, Monday's short extra run counts for it, partly; Sunday's long run never came.
      expect(finished.currentWeek).toMatchObject({ completed: 1, partial: 1, missed: 1, upcoming: 0, unplannedWorkouts: 0 });
      expect(finished.currentWeek.sessions[1]).toMatchObject({ date: '2025-04-03', status: 'partial', achieved: 0.444 });
    });

    it('shows the current week by default, and nothing due before the plan starts', async () => {
      const userId = (await aUser(t, { timezone: 'Pacific/Kiritimati' })).id;
      const today = localDay('Pacific/Kiritimati', new Date());
      const goalDate = addDays(today, 120);
      const created = await t.graphql(
        `mutation ($userId: ID!, $startDate: String!, $goalDate: String!) {
          createTrainingPlan(userId: $userId, name: "Marathon", goalKind: distance, goalDistance: 42195, startDate: $startDate,
            goalDate: $goalDate, sessions: [{ dayOfWeek: 6, sport: "any", durationMinutes: 90 }]) { ${PLAN_FIELDS} } }`,
        { userId, startDate: today, goalDate },
      );
      expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
      const plan = created.body.data.createTrainingPlan;
      expect(plan).toMatchObject({ asOf: today, status: 'active', weekNumber: 1 });
      expect(plan.currentWeek.compliance).toBeNull();

      const upcoming = await t.api('POST', `/v1/users/${userId}/training-plans`, {
        body: {
          ...TEN_K,
          startDate: '2099-06-01',
          goalDate: '2099-08-30',
          goalKind: 'event',
          goalDistance: null,
          goalDescription: 'Hut-to-hut hike',
        },
      });
      expect(upcoming.status, JSON.stringify(upcoming.body)).toBe(201);
      expect(upcoming.body).toMatchObject({ status: 'upcoming', weekNumber: 1, goalDescription: 'Hut-to-hut hike' });
      expect(upcoming.body.currentWeek).toMatchObject({ weekStart: '2099-06-01', upcoming: 3, compliance: null });
      expect(upcoming.body.toDate).toMatchObject({ weeks: 1, planned: 3, upcoming: 3, compliance: null });

      const listed = await t.api('GET', `/v1/users/${userId}/training-plans?limit=1`);
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ total: 2 });
      expect(listed.body.data.map((p: any) => p.name)).toEqual(['Marathon']);
    });

    it('refuses a plan it could not judge with a 422 naming the field, and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const post = (body: object) => t.api('POST', `/v1/users/${userId}/training-plans`, { body: { ...TEN_K, ...body } });
      const cases: [object, number, RegExp][] = [
        [{ sessions: [] }, 422, /sessions must hold 1 to 14/],
        [{ sessions: [{ dayOfWeek: 2, sport: 'running' }] }, 422, /sessions\[0\] needs durationMinutes or distance/],
        [{ sessions: [{ dayOfWeek: 8, sport: 'running', durationMinutes: 30 }] }, 422, /dayOfWeek/],
        [{ sessions: [{ dayOfWeek: 1, sport: 'Running!', durationMinutes: 30 }] }, 422, /sport/],
        [{ goalDistance: null }, 422, /goalDistance \(metres\) is required for a race goal/],
        [{ goalDate: '2025-03-01' }, 422, /goalDate must not be before startDate/],
        [{ goalDate: '2030-01-01' }, 422, /at most 731 days/],
        [{ goalDate: '2025-02-30' }, 400, /goalDate/],
        [{ goalKind: 'marathon' }, 422, /goalKind/],
      ];
      for (const [body, status, message] of cases) {
        const refused = await post(body);
        expect(refused.status, JSON.stringify([body, refused.body])).toBe(status);
        expect(refused.body.message).toMatch(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/training-plans`)).body.total).toBe(0);
    });

    it('keeps plans to their workspace and needs the write scope to create one', async () => {
      const userId = (await aUser(t)).id;
      expect((await t.api('POST', `/v1/users/${userId}/training-plans`, { body: TEN_K })).status).toBe(201);
      const other = asKey(t, (await t.newWorkspace()).adminKey);
      expect((await other.api('GET', `/v1/users/${userId}/training-plans`)).status).toBe(404);
      expect((await other.api('POST', `/v1/users/${userId}/training-plans`, { body: TEN_K })).status).toBe(404);
      const reader = await aKey(t, { scope: 'read' });
      const refused = await asKey(t, reader.key).api('POST', `/v1/users/${userId}/training-plans`, { body: TEN_K });
      expect(refused.status).toBe(403);
      expect((await asKey(t, reader.key).api('GET', `/v1/users/${userId}/training-plans`)).body.total).toBe(1);
    });
  });
}
