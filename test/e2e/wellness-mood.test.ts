import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, atLocal, aUser, localDays, pushEvents } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const ENTRY_FIELDS = 'id userId at localDate timezone score mood energy stress tags note createdAt updatedAt';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`mood entries over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const log = (userId: string, body: Record<string, unknown>) => t.api('POST', `/v1/users/${userId}/mood`, { body });

    it('logs an entry with its local day and answers the same over GraphQL', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const at = atLocal(BERLIN, '2025-06-10', 9).toISOString();
      const created = await log(userId, {
        score: 7,
        mood: 'calm',
        energy: 6,
        stress: 3,
        tags: ['Work', ' work', 'Family'],
        note: ' Focus ',
        at,
      });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        userId,
        at,
        localDate: '2025-06-10',
        timezone: BERLIN,
        score: 7,
        mood: 'calm',
        energy: 6,
        stress: 3,
        tags: ['work', 'family'],
        note: 'Focus',
      });
      const gql = await t.graphql(
        `mutation ($userId: ID!, $at: DateTime) { logMood(userId: $userId, score: 4, mood: sad, at: $at) { ${ENTRY_FIELDS} } }`,
        { userId, at: atLocal(BERLIN, '2025-06-11', 20).toISOString() },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.logMood).toMatchObject({
        score: 4,
        mood: 'sad',
        energy: null,
        stress: null,
        tags: [],
        note: null,
        localDate: '2025-06-11',
      });

      const listed = await t.api('GET', `/v1/users/${userId}/mood`);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((e: any) => e.id)).toEqual([gql.body.data.logMood.id, created.body.id]);
      const viaGraphql = await t.graphql(`query ($userId: ID!) { moodEntries(userId: $userId) { data { ${ENTRY_FIELDS} } total } }`, {
        userId,
      });
      expect(viaGraphql.body.data.moodEntries.data).toEqual(listed.body.data);
      expect(viaGraphql.body.data.moodEntries.total).toBe(2);

      const events = await t.api('GET', '/v1/domain-events?type=mood_entry.created&limit=500');
      const mine = events.body.data.filter((e: any) => e.payload.userId === userId);
      expect(mine.map((e: any) => e.payload)).toEqual(expect.arrayContaining([created.body]));
      expect(mine).toHaveLength(2);
    });

    it('refuses bad input with the field named and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, string][] = [
        [{ score: 11 }, 422, 'body field score must be an integer from 1 to 10'],
        [{ score: 0 }, 422, 'body field score must be an integer from 1 to 10'],
        [{ score: 'high' }, 400, 'body field score'],
        [{}, 400, 'body field score is required'],
        [{ score: 5, mood: 'ecstatic' }, 422, 'body field mood must be'],
        [{ score: 5, stress: 12 }, 422, 'body field stress'],
        [{ score: 5, tags: ['   '] }, 422, 'body field tags[0]'],
        [{ score: 5, tags: 'work' }, 400, 'body field tags must be a list of strings'],
        [{ score: 5, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 422, 'tags must hold at most 20'],
        [{ score: 5, note: 'x'.repeat(2001) }, 422, 'body field note'],
        [{ score: 5, at: new Date(Date.now() + 3_600_000).toISOString() }, 422, 'at must not be in the future'],
        [{ score: 5, at: 'yesterday' }, 400, 'body field at'],
      ];
      for (const [body, status, message] of cases) {
        const refused = await log(userId, body);
        expect(refused.status, JSON.stringify(body)).toBe(status);
        expect(refused.body.message).toContain(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/mood?offset=0`)).body.total).toBe(0);
      const badFilter = await t.api('GET', `/v1/users/${userId}/mood?from=2025-02-30`);
      expect(badFilter.status).toBe(400);
      expect(badFilter.body.message).toContain('from must be a date');
      expect((await t.api('GET', `/v1/users/${userId}/mood?from=2025-03-02&to=2025-03-01`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/mood?mood=joyful`)).status).toBe(422);
    });

    it('answers 404 for a user of another workspace and 403 to a read key writing', async () => {
      const other = await t.newWorkspace();
      const theirs = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body.id;
      expect((await log(theirs, { score: 5 })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${theirs}/mood/stats`)).status).toBe(404);
      const userId = (await aUser(t)).id;
      const reader = await aKey(t, { scope: 'read' });
      expect((await t.api('POST', `/v1/users/${userId}/mood`, { key: reader.key, body: { score: 5 } })).status).toBe(403);
      expect((await t.api('GET', `/v1/users/${userId}/mood`, { key: reader.key })).status).toBe(200);
    });

    it('files entries just before and after local midnight, on a DST day and across a zone change by their local day', async () => {
      const user = await aUser(t, { timezone: BERLIN });
      // 23:59 and 00:01 in Berlin (summer, UTC+2) are 21:59 and 22:01 UTC of the same UTC day.
      const before = await log(user.id, { score: 3, at: '2025-06-10T21:59:00.000Z' });
      const after = await log(user.id, { score: 8, at: '2025-06-10T22:01:00.000Z' });
      expect([before.body.localDate, after.body.localDate]).toEqual(['2025-06-10', '2025-06-11']);
      const june10 = await t.api('GET', `/v1/users/${user.id}/mood?from=2025-06-10&to=2025-06-10`);
      expect(june10.body.data.map((e: any) => e.id)).toEqual([before.body.id]);

      // New York springs forward on 9 March 2025: 00:30 EST (05:30 UTC) and 23:30 EDT (03:30 UTC on the 10th) are one local day.
      const newYorker = await aUser(t, { timezone: NEW_YORK });
      const early = await log(newYorker.id, { score: 5, at: '2025-03-09T05:30:00.000Z' });
      const late = await log(newYorker.id, { score: 6, at: '2025-03-10T03:30:00.000Z' });
      const next = await log(newYorker.id, { score: 6, at: '2025-03-10T04:30:00.000Z' });
      expect([early.body.localDate, late.body.localDate, next.body.localDate]).toEqual(['2025-03-09', '2025-03-09', '2025-03-10']);

      // Moving to New York keeps the Berlin entries on their Berlin days; a new entry takes the new zone.
      expect((await t.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: NEW_YORK } })).status).toBe(200);
      const moved = await log(user.id, { score: 6, at: '2025-06-11T03:00:00.000Z' });
      expect(moved.body).toMatchObject({ localDate: '2025-06-10', timezone: NEW_YORK });
      const listed = await t.api('GET', `/v1/users/${user.id}/mood?from=2025-06-10&to=2025-06-10`);
      expect(listed.body.data.map((e: any) => e.id).sort()).toEqual([before.body.id, moved.body.id].sort());
      const stats = await t.api('GET', `/v1/users/${user.id}/mood/stats?from=2025-06-10&to=2025-06-11`);
      // The Berlin entry at 23:59 is evening, the New York one at 23:00 too; 00:01 in Berlin is night.
      const parts = Object.fromEntries(stats.body.byTimeOfDay.map((p: any) => [p.part, p.entries]));
      expect(parts).toEqual({ night: 1, morning: 0, afternoon: 0, evening: 2 });
    });

    it('filters by mood and tag and pages by cursor and offset', async () => {
      const userId = (await aUser(t, { timezone: 'UTC' })).id;
      for (const [i, day] of localDays('2025-05-01', 5).entries()) {
        await log(userId, { score: i + 3, mood: i % 2 ? 'happy' : 'tired', tags: i < 2 ? ['Sport'] : [], at: `${day}T12:00:00.000Z` });
      }
      const happy = await t.api('GET', `/v1/users/${userId}/mood?mood=happy`);
      expect(happy.body.data.map((e: any) => e.localDate)).toEqual(['2025-05-04', '2025-05-02']);
      const sport = await t.api('GET', `/v1/users/${userId}/mood?tag=SPORT`);
      expect(sport.body.data.map((e: any) => e.localDate)).toEqual(['2025-05-02', '2025-05-01']);
      const first = await t.api('GET', `/v1/users/${userId}/mood?limit=2`);
      expect(first.body.data.map((e: any) => e.localDate)).toEqual(['2025-05-05', '2025-05-04']);
      const second = await t.api('GET', `/v1/users/${userId}/mood?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`);
      expect(second.body.data.map((e: any) => e.localDate)).toEqual(['2025-05-03', '2025-05-02']);
      const offset = await t.api('GET', `/v1/users/${userId}/mood?limit=2&offset=4`);
      expect(offset.body).toMatchObject({ total: 5, offset: 4 });
      expect(offset.body.data.map((e: any) => e.localDate)).toEqual(['2025-05-01']);
    });

    it('computes means, the weekly trend, distributions and the association with sleep', async () => {
      const userId = (await aUser(t, { timezone: 'UTC' })).id;
      // Monday 2 June to Sunday 8 June 2025, one morning entry a day, scores 2, 3, …, 8; two entries on the Sunday.
      const days = localDays('2025-06-02', 7);
      for (const [i, day] of days.entries()) {
        await log(userId, { score: i + 2, mood: i < 4 ? 'tired' : 'happy', energy: 5, tags: ['daily'], at: `${day}T08:00:00.000Z` });
      }
      await log(userId, { score: 10, mood: 'excited', stress: 2, at: '2025-06-08T20:00:00.000Z' });
      // The window before (26 May – 1 June) has one entry of 4.
      await log(userId, { score: 4, at: '2025-05-30T12:00:00.000Z' });
      // Sleep of 5 h 00, 5 h 10, … each night ending on the mornings of 2–8 June: more sleep, better mood.
      await pushEvents(
        t,
        userId,
        days.map((day, i) => ({
          type: 'sleep',
          startAt: `${day}T00:00:00.000Z`,
          endAt: new Date(Date.parse(`${day}T05:00:00.000Z`) + i * 600_000).toISOString(),
        })),
      );

      const stats = await t.api('GET', `/v1/users/${userId}/mood/stats?from=2025-06-02&to=2025-06-08`);
      expect(stats.status, JSON.stringify(stats.body)).toBe(200);
      // Scores 2..8 and 10: (35 + 10) / 8 = 5.625 → 5.63.
      expect(stats.body).toMatchObject({
        from: '2025-06-02',
        to: '2025-06-08',
        entries: 8,
        days: 7,
        meanScore: 5.63,
        meanEnergy: 5,
        meanStress: 2,
      });
      // Daily means 2, 3, 4, 5, 6, 7, 9 on days 0..6: slope = Σ(x−3)y / Σ(x−3)² = (−6 − 6 − 4 + 6 + 14 + 27) / 28 = 31 / 28 per day.
      expect(stats.body.trend).toEqual({ slopePerWeek: Math.round((31 / 28) * 7 * 1000) / 1000, days: 7 });
      expect(stats.body.previousPeriod).toEqual({ from: '2025-05-26', to: '2025-06-01', entries: 1, meanScore: 4, change: 1.63 });
      expect(stats.body.byWeek).toEqual([{ weekStart: '2025-06-02', entries: 8, meanScore: 5.63 }]);
      const moods = Object.fromEntries(
        stats.body.byMood.filter((m: any) => m.entries > 0).map((m: any) => [m.mood, [m.entries, m.share, m.meanScore]]),
      );
      expect(moods).toEqual({ tired: [4, 50, 3.5], happy: [3, 37.5, 7], excited: [1, 12.5, 10] });
      expect(stats.body.byTag).toEqual([{ tag: 'daily', entries: 7, meanScore: 5 }]);
      expect(stats.body.byWeekday[0]).toEqual({ weekday: 'monday', entries: 1, meanScore: 2 });
      expect(stats.body.byWeekday[6]).toEqual({ weekday: 'sunday', entries: 2, meanScore: 9 });
      expect(stats.body.byTimeOfDay.map((p: any) => p.entries)).toEqual([0, 7, 0, 1]);
      const sleep = stats.body.associations.find((a: any) => a.series === 'sleep_minutes');
      // Both rise every day: ranks agree exactly, ρ = 1.
      expect(sleep).toMatchObject({ days: 7, rho: 1, p: 0, reason: null, unit: 'min' });
      const steps = stats.body.associations.find((a: any) => a.series === 'steps');
      expect(steps).toMatchObject({ days: 0, rho: null, reason: 'no steps data between 2025-06-02 and 2025-06-08' });

      const gql = await t.graphql(
        `query ($userId: ID!) { moodStats(userId: $userId, from: "2025-06-02", to: "2025-06-08") {
          userId from to entries days meanScore meanEnergy meanStress trend { slopePerWeek days }
          previousPeriod { from to entries meanScore change } byWeek { weekStart entries meanScore }
          byMood { mood share entries meanScore } byTag { tag entries meanScore } byWeekday { weekday entries meanScore }
          byTimeOfDay { part fromHour toHour entries meanScore } associations { series unit days rho p reason } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.moodStats).toEqual(stats.body);
      expect((await t.api('GET', `/v1/users/${userId}/mood/stats?from=2024-01-01&to=2025-06-08`)).status).toBe(422);
      // A window given by its first day alone runs to today, or for the longest window (366 days: 1900 is no leap year).
      const fromOnly = await t.api('GET', `/v1/users/${userId}/mood/stats?from=1900-01-01`);
      expect(fromOnly.body).toMatchObject({ from: '1900-01-01', to: '1901-01-01', entries: 0, meanScore: null });
    });
  });
}
