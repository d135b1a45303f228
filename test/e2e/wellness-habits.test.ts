import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addDays } from '../../src/lib/time.js';

const NEW_YORK = 'America/New_York';
const AUCKLAND = 'Pacific/Auckland';

const HABIT_FIELDS = 'id userId name icon color frequency timesPerWeek weekdays targetPerDay startDate createdAt updatedAt';
const COMPLETION_FIELDS = 'habitId userId date count targetPerDay met at';
const SUMMARY_FIELDS = `date timezone from days dueToday completedToday todayCompletionRate completionRate metPeriods scheduledPeriods
  habits { habitId name frequency targetPerDay todayCount todayMet dueToday currentStreak longestStreak streakUnit completionRate metPeriods scheduledPeriods }`;

/** A clock the test moves: every "today" of the server is read from it. */
const clock = { at: Date.parse('2025-03-20T17:00:00.000Z'), now: () => new Date(clock.at) };
const setNow = (iso: string) => {
  clock.at = Date.parse(iso);
};

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`habits over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine, { clock });
    });
    afterAll(() => t?.close());

    async function aHabit(userId: string, body: Record<string, unknown>): Promise<any> {
      const created = await t.api('POST', `/v1/users/${userId}/habits`, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    }

    async function complete(userId: string, habitId: string, body: Record<string, unknown> = {}) {
      return t.api('POST', `/v1/users/${userId}/habits/${habitId}/complete`, { body });
    }

    async function completeDays(userId: string, habitId: string, days: string[]) {
      for (const date of days) expect((await complete(userId, habitId, { date })).status).toBe(201);
    }

    async function eventsOf(type: string, habitId: string): Promise<any[]> {
      const listed = await t.api('GET', `/v1/domain-events?type=${type}&limit=500`);
      expect(listed.status).toBe(200);
      return listed.body.data.filter((event: any) => event.payload.habitId === habitId || event.payload.id === habitId);
    }

    /** The summary over REST, checked equal to the GraphQL answer. */
    async function summaryOf(userId: string, days?: number): Promise<any> {
      const rest = await t.api('GET', `/v1/users/${userId}/habits/summary${days ? `?days=${days}` : ''}`);
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      const gql = await t.graphql(`query($u: ID!, $d: Int) { habitSummary(userId: $u, days: $d) { ${SUMMARY_FIELDS} } }`, {
        u: userId,
        d: days ?? null,
      });
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.habitSummary).toEqual(rest.body);
      return rest.body;
    }

    it('creates, lists, updates and deletes habits, REST and GraphQL answering alike, with an event for each write', async () => {
      setNow('2025-03-20T17:00:00.000Z');
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      const stretch = await aHabit(userId, {
        name: '  Stretch ',
        icon: '🧘',
        color: '#3A86FF',
        frequency: 'weekdays',
        weekdays: ['friday', 'monday', 'wednesday'],
      });
      expect(stretch).toMatchObject({
        userId,
        name: 'Stretch',
        icon: '🧘',
        color: '#3a86ff',
        frequency: 'weekdays',
        timesPerWeek: null,
        weekdays: ['monday', 'wednesday', 'friday'],
        targetPerDay: 1,
        // 13:00 in New York on 20 March.
        startDate: '2025-03-20',
      });
      const gqlCreated = await t.graphql(
        `mutation($u: ID!) { createHabit(userId: $u, name: "Water", frequency: daily, targetPerDay: 8) { ${HABIT_FIELDS} } }`,
        { u: userId },
      );
      expect(gqlCreated.body.errors).toBeUndefined();
      const water = gqlCreated.body.data.createHabit;
      expect(water).toMatchObject({ frequency: 'daily', targetPerDay: 8, weekdays: null, icon: null });

      const listed = await t.api('GET', `/v1/users/${userId}/habits`);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((h: any) => h.id)).toEqual([stretch.id, water.id]);
      const gqlListed = await t.graphql(`query($u: ID!) { habits(userId: $u) { data { ${HABIT_FIELDS} } total } }`, { u: userId });
      expect(gqlListed.body.data.habits.data).toEqual(listed.body.data);

      // From weekdays to three times a week: the weekdays go, timesPerWeek is needed.
      const patched = await t.api('PATCH', `/v1/users/${userId}/habits/${stretch.id}`, {
        body: { frequency: 'times_per_week', timesPerWeek: 3, name: 'Yoga' },
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body).toMatchObject({ name: 'Yoga', frequency: 'times_per_week', timesPerWeek: 3, weekdays: null, icon: '🧘' });

      expect((await complete(userId, stretch.id)).status).toBe(201);
      const deleted = await t.api('DELETE', `/v1/users/${userId}/habits/${stretch.id}`);
      expect(deleted.status).toBe(204);
      expect((await t.api('DELETE', `/v1/users/${userId}/habits/${stretch.id}`)).status).toBe(404);
      expect((await complete(userId, stretch.id)).status).toBe(404);
      const rows = await t.server.database.prisma.habitCompletion.count({ where: { habitId: stretch.id } });
      expect(rows).toBe(0);
      expect((await t.api('GET', `/v1/users/${userId}/habits`)).body.data.map((h: any) => h.id)).toEqual([water.id]);

      for (const action of ['created', 'updated', 'deleted']) {
        const [event] = await eventsOf(`habit.${action}`, stretch.id);
        expect(event?.payload, action).toMatchObject({ id: stretch.id, userId });
      }
      expect((await eventsOf('habit.deleted', stretch.id))[0].payload.name).toBe('Yoga');
    });

    it('refuses invalid habits with the field named, and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, string][] = [
        [{ name: '   ' }, 422, 'name'],
        [{ name: 'x'.repeat(101) }, 422, 'name'],
        [{ name: 'Read', color: 'blue' }, 422, 'color'],
        [{ name: 'Read', icon: 'i'.repeat(33) }, 422, 'icon'],
        [{ name: 'Read', frequency: 'hourly' }, 422, 'frequency'],
        [{ name: 'Read', frequency: 'times_per_week' }, 422, 'timesPerWeek'],
        [{ name: 'Read', frequency: 'times_per_week', timesPerWeek: 8 }, 422, 'timesPerWeek'],
        [{ name: 'Read', frequency: 'daily', timesPerWeek: 2 }, 422, 'timesPerWeek'],
        [{ name: 'Read', frequency: 'weekdays' }, 422, 'weekdays'],
        [{ name: 'Read', frequency: 'weekdays', weekdays: ['monday', 'monday'] }, 422, 'weekdays'],
        [{ name: 'Read', frequency: 'daily', weekdays: ['monday'] }, 422, 'weekdays'],
        [{ name: 'Read', targetPerDay: 0 }, 422, 'targetPerDay'],
        [{ name: 'Read', startDate: '2025-03-21' }, 422, 'startDate'],
        [{ name: 'Read', startDate: '2025-02-30' }, 400, 'startDate'],
        [{}, 400, 'name'],
      ];
      setNow('2025-03-20T17:00:00.000Z');
      for (const [body, status, field] of cases) {
        const answer = await t.api('POST', `/v1/users/${userId}/habits`, { body });
        expect(answer.status, JSON.stringify([body, answer.body])).toBe(status);
        expect(answer.body.message).toContain(field);
      }
      const gql = await t.graphql(`mutation($u: ID!) { createHabit(userId: $u, name: "R", color: "red") { id } }`, { u: userId });
      expect(gql.body.errors[0].extensions.code).toBe('UNPROCESSABLE_ENTITY');
      const patch = await t.api('PATCH', `/v1/users/${userId}/habits/01JZ0000000000000000000000`, { body: { name: 'x' } });
      expect(patch.status).toBe(404);
      expect((await t.api('GET', `/v1/users/${userId}/habits`)).body.data).toEqual([]);
    });

    it('hides habits of other users and workspaces (404) and needs a write key to write', async () => {
      const mine = (await aUser(t)).id;
      const theirs = (await aUser(t)).id;
      const habit = await aHabit(mine, { name: 'Walk' });
      expect((await t.api('PATCH', `/v1/users/${theirs}/habits/${habit.id}`, { body: { name: 'x' } })).status).toBe(404);
      expect((await complete(theirs, habit.id)).status).toBe(404);
      const other = await t.newWorkspace();
      const foreign = await t.api('GET', `/v1/users/${mine}/habits`, { key: other.adminKey });
      expect(foreign.status).toBe(404);
      const reader = await aKey(t, { scope: 'read' });
      expect((await t.api('POST', `/v1/users/${mine}/habits`, { key: reader.key, body: { name: 'x' } })).status).toBe(403);
      expect((await t.api('GET', `/v1/users/${mine}/habits/summary`, { key: reader.key })).status).toBe(200);
    });

    it('completes a day idempotently, sets its count, refuses days before the start or after today, and undoes', async () => {
      setNow('2025-03-20T17:00:00.000Z');
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      const water = await aHabit(userId, { name: 'Water', targetPerDay: 8, startDate: '2025-03-10' });
      const first = await complete(userId, water.id, { date: '2025-03-12', count: 3 });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ habitId: water.id, userId, date: '2025-03-12', count: 3, targetPerDay: 8, met: false });
      // The same call again: 200, nothing changes, nothing is announced.
      const again = await complete(userId, water.id, { date: '2025-03-12', count: 3 });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      // Without a count the day is set to its target: met.
      const bare = await t.graphql(
        `mutation($u: ID!, $h: ID!) { completeHabit(userId: $u, habitId: $h, date: "2025-03-12") { ${COMPLETION_FIELDS} } }`,
        { u: userId, h: water.id },
      );
      expect(bare.body.data.completeHabit).toMatchObject({ count: 8, met: true });
      const created = await eventsOf('habit_completion.created', water.id);
      const updated = await eventsOf('habit_completion.updated', water.id);
      expect([created.length, updated.length]).toEqual([1, 1]);
      expect(updated[0].payload).toMatchObject({ date: '2025-03-12', count: 8, met: true });

      const refusals: [Record<string, unknown>, number, string][] = [
        [{ date: '2025-03-09' }, 422, "before the habit's startDate 2025-03-10"],
        [{ date: '2025-03-21' }, 422, 'after today (2025-03-20 in America/New_York)'],
        [{ date: '2025-3-12' }, 400, 'date'],
        [{ date: '2025-03-12', count: 0 }, 422, 'count'],
        [{ date: '2025-03-12', count: 101 }, 422, 'count'],
      ];
      for (const [body, status, words] of refusals) {
        const answer = await complete(userId, water.id, body);
        expect(answer.status, JSON.stringify(answer.body)).toBe(status);
        expect(answer.body.message).toContain(words);
      }

      expect((await t.api('DELETE', `/v1/users/${userId}/habits/${water.id}/complete/2025-03-12`)).status).toBe(204);
      const [undone] = await eventsOf('habit_completion.deleted', water.id);
      expect(undone.payload).toMatchObject({ date: '2025-03-12', count: 8 });
      expect((await t.api('DELETE', `/v1/users/${userId}/habits/${water.id}/complete/2025-03-12`)).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${userId}/habits/${water.id}/complete/2025-13-01`)).status).toBe(400);
      const gqlUndo = await t.graphql(`mutation($u: ID!, $h: ID!) { undoHabitCompletion(userId: $u, habitId: $h, date: "2025-03-12") }`, {
        u: userId,
        h: water.id,
      });
      expect(gqlUndo.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });

    it('puts a completion without a date on the local day around midnight, on the spring DST day too', async () => {
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      setNow('2025-03-07T05:00:00.000Z');
      const habit = await aHabit(userId, { name: 'Floss' });
      const at = async (iso: string) => {
        setNow(iso);
        const answer = await complete(userId, habit.id);
        expect(answer.status, JSON.stringify(answer.body)).toBe(201);
        return answer.body.date;
      };
      // 23:59 EST on 8 March is 04:59 UTC on the 9th; 00:00 EST on the 9th is 05:00 UTC.
      expect(await at('2025-03-09T04:59:00.000Z')).toBe('2025-03-08');
      expect(await at('2025-03-09T05:00:00.000Z')).toBe('2025-03-09');
      // The 9th springs forward at 02:00 (23 hours): it ends at 00:00 EDT, 04:00 UTC on the 10th, not 05:00.
      await t.api('DELETE', `/v1/users/${userId}/habits/${habit.id}/complete/2025-03-09`);
      expect(await at('2025-03-10T03:59:00.000Z')).toBe('2025-03-09');
      expect(await at('2025-03-10T04:00:00.000Z')).toBe('2025-03-10');
      // Friday 7th missed, 8, 9 and today 10 done.
      expect((await summaryOf(userId)).habits[0]).toMatchObject({ todayCount: 1, currentStreak: 3, longestStreak: 3 });
    });

    it('keeps completions on the day they were written when the user changes zone; today follows the new zone', async () => {
      // 12:00 UTC on 9 March is 01:00 on the 10th in Auckland (NZDT, +13) and 08:00 on the 9th in New York (EDT).
      setNow('2025-03-09T12:00:00.000Z');
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      const habit = await aHabit(userId, { name: 'Journal', startDate: '2025-03-08' });
      await completeDays(userId, habit.id, ['2025-03-08', '2025-03-09']);
      expect((await complete(userId, habit.id)).body.date).toBe('2025-03-10');
      expect((await summaryOf(userId)).habits[0]).toMatchObject({ todayCount: 1, currentStreak: 3, longestStreak: 3 });

      expect((await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: NEW_YORK } })).status).toBe(200);
      const summary = await summaryOf(userId);
      expect(summary).toMatchObject({ date: '2025-03-09', timezone: NEW_YORK });
      // The 10th is still stored, but lies after today in New York: it counts once the 10th comes there.
      expect(summary.habits[0]).toMatchObject({ todayCount: 1, todayMet: true, currentStreak: 2, longestStreak: 2 });
      setNow('2025-03-10T12:00:00.000Z');
      expect((await summaryOf(userId)).habits[0]).toMatchObject({ todayCount: 1, currentStreak: 3, longestStreak: 3 });
      setNow('2025-03-09T12:00:00.000Z');
      const tomorrow = await complete(userId, habit.id, { date: '2025-03-10' });
      expect(tomorrow.status).toBe(422);
      expect(tomorrow.body.message).toContain('date must not be after today (2025-03-09 in America/New_York)');
    });

    it('summarises today, streaks by each frequency and completion rates, with hand-counted values', async () => {
      // Wednesday 26 March 2025, 12:00 in New York.
      setNow('2025-03-26T16:00:00.000Z');
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      const daily = await aHabit(userId, { name: 'Walk', startDate: '2025-03-17' });
      const mwf = await aHabit(userId, {
        name: 'Gym',
        frequency: 'weekdays',
        weekdays: ['monday', 'wednesday', 'friday'],
        startDate: '2025-03-03',
      });
      const thrice = await aHabit(userId, {
        name: 'Read',
        frequency: 'times_per_week',
        timesPerWeek: 3,
        targetPerDay: 2,
        startDate: '2025-03-05',
      });
      // Walk: 17–21 done, 22 missed, 23–26 done (today included).
      await completeDays(userId, daily.id, ['2025-03-17', '2025-03-18', '2025-03-19', '2025-03-20', '2025-03-21']);
      await completeDays(userId, daily.id, ['2025-03-23', '2025-03-24', '2025-03-25', '2025-03-26']);
      // Gym: Mon 3, Wed 5, Fri 7, Mon 10, (Thu 13 does not count), Mon 17, Wed 19, Fri 21, Mon 24; missed Wed 12, Fri 14; today open.
      await completeDays(userId, mwf.id, ['2025-03-03', '2025-03-05', '2025-03-07', '2025-03-10', '2025-03-13']);
      await completeDays(userId, mwf.id, ['2025-03-17', '2025-03-19', '2025-03-21', '2025-03-24']);
      // Read (two a day): week of 3rd: 5, 7, 8 → met; week of 10th: 10, 11 → missed; week of 17th: 17, 18, 19 → met;
      // this week: 24 (and 25 with one only).
      for (const date of [
        '2025-03-05',
        '2025-03-07',
        '2025-03-08',
        '2025-03-10',
        '2025-03-11',
        '2025-03-17',
        '2025-03-18',
        '2025-03-19',
        '2025-03-24',
      ])
        expect((await complete(userId, thrice.id, { date })).status).toBe(201);
      expect((await complete(userId, thrice.id, { date: '2025-03-25', count: 1 })).status).toBe(201);

      const summary = await summaryOf(userId, 14);
      // Window: 13 to 26 March.
      expect(summary).toMatchObject({ date: '2025-03-26', from: '2025-03-13', days: 14 });
      const [walk, gym, read] = summary.habits;
      // Walk: 17..25 closed: 9 days, 8 met (22 missed); today met: 10 counted, 9 met.
      expect(walk).toMatchObject({ todayCount: 1, todayMet: true, dueToday: true, currentStreak: 4, longestStreak: 5, streakUnit: 'day' });
      expect([walk.metPeriods, walk.scheduledPeriods]).toEqual([9, 10]);
      // Gym: scheduled 3 5 7 10 12 14 17 19 21 24 26; met 3 5 7 10 | 17 19 21 24; today (26) open, not done.
      expect(gym).toMatchObject({ todayCount: 0, dueToday: true, currentStreak: 4, longestStreak: 4, streakUnit: 'scheduled_day' });
      // From the 13th: 14 (missed), 17, 19, 21, 24 (met); 26 open and not done: 4 of 5.
      expect([gym.metPeriods, gym.scheduledPeriods, gym.completionRate]).toEqual([4, 5, 0.8]);
      // Read: weeks met, missed, met, open with one met day (the 25th had 1 of 2): current 1, longest 1; due today.
      expect(read).toMatchObject({ todayCount: 0, dueToday: true, currentStreak: 1, longestStreak: 1, streakUnit: 'week' });
      // Weeks ending on or after the 13th: week of 10th (missed), week of 17th (met); this week open, not met: 1 of 2.
      expect([read.metPeriods, read.scheduledPeriods, read.completionRate]).toEqual([1, 2, 0.5]);
      // Today: three due, Walk done.
      expect(summary).toMatchObject({ dueToday: 3, completedToday: 1, metPeriods: 14, scheduledPeriods: 17 });
      expect(summary.todayCompletionRate).toBeCloseTo(1 / 3, 12);
      expect(summary.completionRate).toBeCloseTo(14 / 17, 12);

      const bad = await t.api('GET', `/v1/users/${userId}/habits/summary?days=0`);
      expect(bad.status).toBe(422);
      expect(bad.body.message).toContain('days');
    });

    it('announces a streak of 7 once per habit, in the completion’s transaction, and keeps it through an undo', async () => {
      setNow('2025-03-20T17:00:00.000Z');
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      const habit = await aHabit(userId, { name: 'Meditate', startDate: '2025-03-01' });
      // 10 to 15 March: six days, then the 17th: no run of seven yet.
      const days = Array.from({ length: 6 }, (_, i) => addDays('2025-03-10', i));
      await completeDays(userId, habit.id, [...days, '2025-03-17']);
      expect(await eventsOf('habit.streak_reached', habit.id)).toEqual([]);
      // The 16th joins them: 10..17 is eight days, past seven.
      await completeDays(userId, habit.id, ['2025-03-16']);
      const reached = await eventsOf('habit.streak_reached', habit.id);
      expect(reached.map((event) => event.payload)).toEqual([
        expect.objectContaining({ habitId: habit.id, userId, milestone: 7, unit: 'day', date: '2025-03-16' }),
      ]);
      // Undo and redo the 16th: reached once only.
      await t.api('DELETE', `/v1/users/${userId}/habits/${habit.id}/complete/2025-03-16`);
      await completeDays(userId, habit.id, ['2025-03-16']);
      expect(await eventsOf('habit.streak_reached', habit.id)).toHaveLength(1);
    });

    it('goes with its user: deleting the user removes habits and completions', async () => {
      setNow('2025-03-20T17:00:00.000Z');
      const userId = (await aUser(t)).id;
      const habit = await aHabit(userId, { name: 'Sleep early' });
      expect((await complete(userId, habit.id)).status).toBe(201);
      expect((await t.api('DELETE', `/v1/users/${userId}`)).status).toBe(204);
      const db = t.server.database.prisma;
      expect([await db.habit.count({ where: { userId } }), await db.habitCompletion.count({ where: { userId } })]).toEqual([0, 0]);
    });
  });
}
