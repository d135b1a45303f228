import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, atLocal, aUser, events, localDays, pushEvents, pushSamples } from '../factories/index.js';
import { eventually } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BERLIN = 'Europe/Berlin';
const KIRITIMATI = 'Pacific/Kiritimati';

const GOAL_FIELDS = `id userId name metricType unit target direction period startDate endDate status
  progress { asOf periodStart periodEnd value daysWithData percent met completed elapsed projected onTrack streak startValue }`;

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`goals over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const steps = (zone: string, day: string, hour: number, value: number) => ({
      metricType: 'steps',
      value,
      recordedAt: atLocal(zone, day, hour).toISOString(),
    });

    async function achievedOf(userId: string): Promise<any[]> {
      const listed = await t.api('GET', '/v1/domain-events?type=goal.achieved&limit=500');
      expect(listed.status).toBe(200);
      return listed.body.data.filter((event: any) => event.payload.userId === userId).map((event: any) => event.payload);
    }

    it('counts a weekly goal in the user’s local ISO week across the spring DST change', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      // Monday 24 to Sunday 30 March 2025; Berlin moves to summer time on the 30th, so that week has 167 hours.
      const week = localDays('2025-03-24', 6).map((day) => steps(BERLIN, day, 12, 10_000));
      await pushSamples(t, userId, [
        ...week,
        // 23:30 on Sunday is still this week (21:30 UTC); 00:30 on Monday (22:30 UTC, still Sunday in UTC) is the next.
        { metricType: 'steps', value: 5_000, recordedAt: '2025-03-30T21:30:00.000Z' },
        { metricType: 'steps', value: 7_000, recordedAt: '2025-03-30T22:30:00.000Z' },
      ]);
      const created = await t.api('POST', `/v1/users/${userId}/goals`, {
        body: { metricType: 'steps', target: 70_000, period: 'weekly', startDate: '2025-03-24' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        userId,
        metricType: 'steps',
        unit: 'count',
        direction: 'at_least',
        status: 'active',
        endDate: null,
      });

      const onSaturday = await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-03-29`);
      expect(onSaturday.status, JSON.stringify(onSaturday.body)).toBe(200);
      const saturday = onSaturday.body.data[0].progress;
      expect(saturday).toMatchObject({
        periodStart: '2025-03-24',
        periodEnd: '2025-03-30',
        value: 60_000,
        daysWithData: 6,
        met: false,
        completed: false,
      });
      // Six days are 144 of the week's 167 hours: 60,000 / (144 / 167) = 69,583 steps, short of 70,000.
      expect(saturday.elapsed).toBeCloseTo(144 / 167, 12);
      expect(saturday.projected).toBeCloseTo((60_000 * 167) / 144, 6);
      expect(saturday.onTrack).toBe(false);

      const onSunday = (await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-03-30`)).body.data[0].progress;
      expect(onSunday).toMatchObject({ value: 65_000, percent: 92.9, met: false, completed: true, elapsed: 1, onTrack: false, streak: 0 });
      const nextMonday = (await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-03-31`)).body.data[0].progress;
      expect(nextMonday).toMatchObject({ periodStart: '2025-03-31', periodEnd: '2025-04-06', value: 7_000 });

      const gql = await t.graphql(`query ($userId: ID!) { goals(userId: $userId, asOf: "2025-03-29") { data { ${GOAL_FIELDS} } } }`, {
        userId,
      });
      expect(gql.body.errors).toBeUndefined();
      const { createdAt: _c, updatedAt: _u, ...restGoal } = onSaturday.body.data[0];
      expect(gql.body.data.goals.data[0]).toEqual(restGoal);
      expect(await achievedOf(userId)).toEqual([]);
    });

    it('announces goal.achieved once per local day for a user in UTC+14, however often data arrives', async () => {
      const userId = (await aUser(t, { timezone: KIRITIMATI })).id;
      const goal = await t.api('POST', `/v1/users/${userId}/goals`, {
        body: { name: 'Daily 10k', metricType: 'steps', target: 10_000, period: 'daily', startDate: '2025-06-01' },
      });
      expect(goal.status, JSON.stringify(goal.body)).toBe(201);
      // 10:30 UTC on 1 June is 00:30 on 2 June in Kiritimati.
      const batch = [
        steps(KIRITIMATI, '2025-06-01', 9, 12_000),
        { metricType: 'steps', value: 12_000, recordedAt: '2025-06-01T10:30:00.000Z' },
      ];
      await pushSamples(t, userId, batch);
      const first = await eventually(
        () => achievedOf(userId),
        (found) => found.length >= 2,
      );
      expect(first.map((p) => [p.periodStart, p.periodEnd, p.value, p.target])).toEqual([
        ['2025-06-01', '2025-06-01', 12_000, 10_000],
        ['2025-06-02', '2025-06-02', 12_000, 10_000],
      ]);
      expect(first[0]).toMatchObject({ goalId: goal.body.id, metricType: 'steps', period: 'daily', direction: 'at_least' });

      // The same samples again (duplicates), a second source on a day already met, then a day newly met.
      await pushSamples(t, userId, batch);
      await pushSamples(t, userId, [steps(KIRITIMATI, '2025-06-01', 15, 3_000)], 'watch');
      await pushSamples(t, userId, [steps(KIRITIMATI, '2025-06-03', 9, 11_000)]);
      const all = await eventually(
        () => achievedOf(userId),
        (found) => found.length >= 3,
      );
      expect(all.map((p) => p.periodStart)).toEqual(['2025-06-01', '2025-06-02', '2025-06-03']);

      const progress = (await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-06-03`)).body.data[0].progress;
      expect(progress).toMatchObject({ periodStart: '2025-06-03', value: 11_000, percent: 110, met: true, streak: 3, onTrack: true });
      const dayAfter = (await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-06-04`)).body.data[0].progress;
      expect(dayAfter).toMatchObject({ value: null, met: false, completed: true, streak: 3, percent: 0 });
    });

    it('records the periods data already met when the goal is created, and counts workouts from events', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      await pushEvents(t, userId, events(3, { startAt: '2025-06-02T06:00:00.000Z', every: '2d' }));
      const created = await t.api('POST', `/v1/users/${userId}/goals`, {
        body: { metricType: 'workouts', target: 3, period: 'weekly', startDate: '2025-06-02', endDate: '2025-06-15' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      // Committed with the goal: no relay needed to see it.
      expect((await achievedOf(userId)).map((p) => [p.periodStart, p.periodEnd, p.value])).toEqual([['2025-06-02', '2025-06-08', 3]]);
      await pushEvents(t, userId, events(3, { startAt: '2025-06-09T06:00:00.000Z', every: '1d' }));
      const both = await eventually(
        () => achievedOf(userId),
        (found) => found.length >= 2,
      );
      expect(both.map((p) => p.periodStart)).toEqual(['2025-06-02', '2025-06-09']);
      const progress = (await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-06-20`)).body.data[0].progress;
      // Past the end date, the goal shows its last period.
      expect(progress).toMatchObject({
        periodStart: '2025-06-09',
        periodEnd: '2025-06-15',
        value: 3,
        met: true,
        streak: 2,
        completed: true,
      });
    });

    it('tracks a reach goal from the value before its start, with a straight-line projection', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const weigh = (day: string, kg: number) => ({ metricType: 'weight', value: kg, recordedAt: atLocal(BERLIN, day, 7).toISOString() });
      await pushSamples(t, userId, [weigh('2025-05-30', 80), weigh('2025-06-10', 77)]);
      const created = await t.api('POST', `/v1/users/${userId}/goals`, {
        body: { metricType: 'weight', target: 75, direction: 'reach', period: 'by_date', startDate: '2025-06-01', endDate: '2025-06-30' },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const progress = (await t.api('GET', `/v1/users/${userId}/goals?asOf=2025-06-15`)).body.data[0].progress;
      // 80 → 77 kg is 3 of the 5 kg; 15 of 30 days gone, so the line ends at 80 − 3 / 0.5 = 74 kg.
      expect(progress).toMatchObject({
        startValue: 80,
        value: 77,
        percent: 60,
        met: false,
        periodStart: '2025-06-01',
        periodEnd: '2025-06-30',
      });
      expect(progress.elapsed).toBeCloseTo(0.5, 12);
      expect(progress.projected).toBeCloseTo(74, 9);
      expect(progress.onTrack).toBe(true);
    });

    it('updates a goal over REST and GraphQL, and archives it', async () => {
      const userId = (await aUser(t)).id;
      const created = (
        await t.api('POST', `/v1/users/${userId}/goals`, { body: { metricType: 'sleep_duration', target: 420, period: 'daily' } })
      ).body;
      const patched = await t.api('PATCH', `/v1/users/${userId}/goals/${created.id}`, { body: { target: 450, name: 'Sleep 7.5 h' } });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(patched.body).toMatchObject({ id: created.id, target: 450, name: 'Sleep 7.5 h', metricType: 'sleep_duration', unit: 'min' });
      const gql = await t.graphql(
        `mutation ($userId: ID!, $goalId: ID!) { updateGoal(userId: $userId, goalId: $goalId, status: archived) { id status target } }`,
        { userId, goalId: created.id },
      );
      expect(gql.body.data.updateGoal).toEqual({ id: created.id, status: 'archived', target: 450 });
      expect((await t.api('GET', `/v1/users/${userId}/goals?status=active`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/goals?status=archived`)).body.data.map((g: any) => g.id)).toEqual([created.id]);
    });

    it('pages goals by offset and by cursor', async () => {
      const userId = (await aUser(t)).id;
      const ids: string[] = [];
      for (const target of [1, 2, 3])
        ids.push((await t.api('POST', `/v1/users/${userId}/goals`, { body: { metricType: 'steps', target, period: 'daily' } })).body.id);
      const first = await t.api('GET', `/v1/users/${userId}/goals?limit=2`);
      expect(first.body).toMatchObject({ total: 3, offset: 0, limit: 2 });
      const second = await t.api('GET', `/v1/users/${userId}/goals?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect([...first.body.data, ...second.body.data].map((g: any) => g.id)).toEqual(ids);
      expect(second.body.nextCursor).toBeNull();
    });

    it('refuses bad goals with the parameter named', async () => {
      const userId = (await aUser(t)).id;
      const post = (body: object) => t.api('POST', `/v1/users/${userId}/goals`, { body });
      const unknown = await post({ metricType: 'happiness', target: 1, period: 'daily' });
      expect(unknown.status).toBe(422);
      expect(unknown.body.message).toMatch(/metricType/);
      const noEnd = await post({ metricType: 'steps', target: 1, period: 'by_date' });
      expect(noEnd).toMatchObject({ status: 422, body: { message: 'endDate is required for a by_date goal' } });
      const backwards = await post({ metricType: 'steps', target: 1, period: 'daily', startDate: '2025-06-10', endDate: '2025-06-01' });
      expect(backwards.status).toBe(422);
      const badDay = await post({ metricType: 'steps', target: 1, period: 'daily', startDate: '2025-02-30' });
      expect(badDay.status).toBe(400);
      expect(badDay.body.message).toMatch(/startDate/);
      const badPeriod = await post({ metricType: 'steps', target: 1, period: 'hourly' });
      expect(badPeriod.status).toBe(422);
      expect(badPeriod.body.message).toMatch(/period/);
    });

    it('answers 404 for another workspace’s user or goal, and for a goal of another user', async () => {
      const other = await t.newWorkspace();
      const theirUser = (await asKey(t, other.adminKey).api('POST', '/v1/users', { body: { externalId: 'theirs' } })).body;
      const theirGoal = (
        await t.api('POST', `/v1/users/${theirUser.id}/goals`, {
          key: other.adminKey,
          body: { metricType: 'steps', target: 5, period: 'daily' },
        })
      ).body;
      expect(theirGoal.id).toBeTruthy();
      const mine = (await aUser(t)).id;
      expect((await t.api('GET', `/v1/users/${theirUser.id}/goals`)).status).toBe(404);
      expect((await t.api('PATCH', `/v1/users/${theirUser.id}/goals/${theirGoal.id}`, { body: { target: 1 } })).status).toBe(404);
      expect((await t.api('PATCH', `/v1/users/${mine}/goals/${theirGoal.id}`, { body: { target: 1 } })).status).toBe(404);
      const gql = await t.graphql(`query ($userId: ID!) { goals(userId: $userId) { total } }`, { userId: theirUser.id });
      expect(gql.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });

    it('lets a read key list goals but not create them', async () => {
      const userId = (await aUser(t)).id;
      const reader = asKey(t, (await aKey(t, { scope: 'read' })).key);
      expect((await reader.api('GET', `/v1/users/${userId}/goals`)).status).toBe(200);
      expect(
        (await reader.api('POST', `/v1/users/${userId}/goals`, { body: { metricType: 'steps', target: 1, period: 'daily' } })).status,
      ).toBe(403);
    });
  });
}
