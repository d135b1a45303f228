import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser, localDays, pushEvents } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const BERLIN = 'Europe/Berlin';
const SYMPTOM_FIELDS = 'id userId type severity bodyLocation durationMinutes triggers notes at localDate localTime createdAt';
const PATTERN_FIELDS = `from to total sleepDays byType { type count days meanSeverity maxSeverity } byWeekday { weekday name count }
  byTimeOfDay { period count } coOccurrences { types days }
  sleep { type symptomDays otherDays meanSleepMinutesBefore meanSleepMinutesOtherDays differenceMinutes reason }`;

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`symptoms over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const logSymptom = async (userId: string, body: Record<string, unknown>) => {
      const created = await t.api('POST', `/v1/users/${userId}/symptoms`, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    };

    it('keeps each log on the local day and time it happened: around midnight, on the DST day and after a zone change', async () => {
      const userId = (await aUser(t, { timezone: BERLIN })).id;
      const before = await logSymptom(userId, {
        type: 'headache',
        severity: 6,
        bodyLocation: ' forehead ',
        durationMinutes: 90,
        triggers: ['screen time', 'screen time', 'coffee'],
        notes: 'after a long call',
        at: '2025-03-29T22:59:00.000Z',
      });
      expect(before).toMatchObject({
        userId,
        type: 'headache',
        severity: 6,
        bodyLocation: 'forehead',
        durationMinutes: 90,
        triggers: ['screen time', 'coffee'],
        notes: 'after a long call',
        at: '2025-03-29T22:59:00.000Z',
        localDate: '2025-03-29',
        localTime: '23:59',
      });
      // Two minutes later it is 00:01 on the 30th in Berlin; at 01:30 UTC the clocks have jumped to summer time (03:30).
      expect(await logSymptom(userId, { type: 'headache', severity: 4, at: '2025-03-29T23:01:00.000Z' })).toMatchObject({
        localDate: '2025-03-30',
        localTime: '00:01',
      });
      expect(await logSymptom(userId, { type: 'nausea', severity: 2, at: '2025-03-30T01:30:00.000Z' })).toMatchObject({
        localDate: '2025-03-30',
        localTime: '03:30',
        bodyLocation: null,
        durationMinutes: null,
        triggers: [],
        notes: null,
      });
      // Moving to New York keeps the stored days; a new log takes the new zone.
      expect((await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: 'America/New_York' } })).status).toBe(200);
      expect(await logSymptom(userId, { type: 'nausea', severity: 3, at: '2025-03-31T02:00:00.000Z' })).toMatchObject({
        localDate: '2025-03-30',
        localTime: '22:00',
      });

      const onThe30th = await t.api('GET', `/v1/users/${userId}/symptoms?from=2025-03-30&to=2025-03-30&limit=2`);
      expect(onThe30th.status).toBe(200);
      expect(onThe30th.body.total).toBe(3);
      expect(onThe30th.body.data.map((s: any) => s.localTime)).toEqual(['22:00', '03:30']);
      const rest = await t.api('GET', `/v1/users/${userId}/symptoms?from=2025-03-30&to=2025-03-30&limit=2&offset=2`);
      expect(rest.body.data.map((s: any) => s.localTime)).toEqual(['00:01']);
      const byCursor = await t.api('GET', `/v1/users/${userId}/symptoms?limit=3&cursor=`);
      expect(byCursor.status).toBe(400);
      const firstPage = await t.api('GET', `/v1/users/${userId}/symptoms?type=nausea&limit=1`);
      const all = await t.api('GET', `/v1/users/${userId}/symptoms`);
      expect(all.body.data).toHaveLength(4);
      expect(all.body.data[3]).toEqual(before);
      expect(firstPage.body.data).toEqual([all.body.data[0]]);

      const gql = await t.graphql(
        `query ($userId: ID!) { symptoms(userId: $userId, from: "2025-03-29", to: "2025-03-30") { total data { ${SYMPTOM_FIELDS} } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.symptoms).toEqual({ total: 4, data: all.body.data });
      const events = await t.api('GET', '/v1/domain-events?type=symptom.created&limit=500');
      expect(events.body.data.filter((e: any) => e.payload.id === before.id).map((e: any) => e.payload)).toEqual([before]);
    });

    it('refuses invalid logs naming the field, and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, string][] = [
        [{ type: 'headache', severity: 0 }, 422, 'body field severity must be an integer from 1 to 10'],
        [{ type: 'headache', severity: 11 }, 422, 'body field severity must be an integer from 1 to 10'],
        [{ type: 'headache', severity: 2.5 }, 400, 'body field severity'],
        [{ type: 'Head ache', severity: 3 }, 422, 'body field type must be a lower-case slug'],
        [{ type: 'headache', severity: 3, durationMinutes: -1 }, 422, 'body field durationMinutes'],
        [{ type: 'headache', severity: 3, triggers: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 422, 'triggers must hold at most 10'],
        [{ type: 'headache', severity: 3, notes: 'x'.repeat(1001) }, 422, 'body field notes'],
        [{ type: 'headache', severity: 3, at: 'yesterday' }, 400, 'at'],
        [{ type: 'headache', severity: 3, triggers: 'coffee' }, 400, 'body field triggers must be a list'],
        [{ type: 'headache' }, 400, 'severity is required'],
      ];
      for (const [body, status, message] of cases) {
        const refused = await t.api('POST', `/v1/users/${userId}/symptoms`, { body });
        expect(refused.status, JSON.stringify([body, refused.body])).toBe(status);
        expect(refused.body.message).toContain(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/symptoms`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/symptoms?from=2025-06-02&to=2025-06-01`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/symptoms/patterns?from=2024-01-01&to=2025-06-01`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/01ARZ3NDEKTSV4RRFFQ69G5FAV/symptoms`)).status).toBe(404);
      const other = await t.newWorkspace();
      expect((await t.api('GET', `/v1/users/${userId}/symptoms/patterns`, { key: other.adminKey })).status).toBe(404);
    });

    it('finds patterns by type, weekday and time of day, co-occurrences and shorter sleep before headaches', async () => {
      const userId = (await aUser(t, { timezone: 'UTC' })).id;
      const days = localDays('2025-06-01', 14);
      const headacheDays = ['2025-06-03', '2025-06-06', '2025-06-09', '2025-06-12'];
      const nauseaDays = ['2025-06-06', '2025-06-09', '2025-06-13'];
      // Every night from 23:00; it ends at 04:00 (300 min) before a headache day, at 07:00 (480 min) otherwise.
      const sleepOf = (day: string) => (headacheDays.includes(day) ? 300 : 480);
      await pushEvents(
        t,
        userId,
        days.map((day) => {
          const endAt = new Date(Date.parse(`${day}T00:00:00Z`) + (sleepOf(day) - 60) * 60_000);
          return { type: 'sleep', startAt: new Date(Date.parse(`${day}T00:00:00Z`) - 3_600_000).toISOString(), endAt: endAt.toISOString() };
        }),
      );
      const headaches = [
        ['2025-06-03T07:30:00.000Z', 6],
        ['2025-06-06T07:30:00.000Z', 8],
        ['2025-06-09T19:00:00.000Z', 4],
        ['2025-06-12T02:00:00.000Z', 7],
      ] as const;
      for (const [at, severity] of headaches) await logSymptom(userId, { type: 'headache', severity, at });
      for (const [i, day] of nauseaDays.entries())
        await logSymptom(userId, { type: 'nausea', severity: [3, 3, 5][i], at: `${day}T13:00:00.000Z` });

      const patterns = await t.api('GET', `/v1/users/${userId}/symptoms/patterns?from=2025-06-01&to=2025-06-14`);
      expect(patterns.status, JSON.stringify(patterns.body)).toBe(200);
      const otherNausea = days.filter((day) => !nauseaDays.includes(day)).map(sleepOf);
      const nauseaBefore = nauseaDays.map(sleepOf);
      expect(patterns.body).toEqual({
        from: '2025-06-01',
        to: '2025-06-14',
        total: 7,
        sleepDays: 14,
        byType: [
          { type: 'headache', count: 4, days: 4, meanSeverity: 25 / 4, maxSeverity: 8 },
          { type: 'nausea', count: 3, days: 3, meanSeverity: 11 / 3, maxSeverity: 5 },
        ],
        // 3 June is a Tuesday, 6 and 13 Fridays, 9 a Monday, 12 a Thursday.
        byWeekday: [
          { weekday: 0, name: 'sunday', count: 0 },
          { weekday: 1, name: 'monday', count: 2 },
          { weekday: 2, name: 'tuesday', count: 1 },
          { weekday: 3, name: 'wednesday', count: 0 },
          { weekday: 4, name: 'thursday', count: 1 },
          { weekday: 5, name: 'friday', count: 3 },
          { weekday: 6, name: 'saturday', count: 0 },
        ],
        byTimeOfDay: [
          { period: 'night', count: 1 },
          { period: 'morning', count: 2 },
          { period: 'afternoon', count: 3 },
          { period: 'evening', count: 1 },
        ],
        coOccurrences: [{ types: ['headache', 'nausea'], days: 2 }],
        sleep: [
          {
            type: 'headache',
            symptomDays: 4,
            otherDays: 10,
            meanSleepMinutesBefore: 300,
            meanSleepMinutesOtherDays: 480,
            differenceMinutes: -180,
            reason: null,
          },
          {
            type: 'nausea',
            symptomDays: 3,
            otherDays: 11,
            meanSleepMinutesBefore: mean(nauseaBefore),
            meanSleepMinutesOtherDays: mean(otherNausea),
            differenceMinutes: mean(nauseaBefore) - mean(otherNausea),
            reason: null,
          },
        ],
      });
      const gql = await t.graphql(
        `query ($userId: ID!) { symptomPatterns(userId: $userId, from: "2025-06-01", to: "2025-06-14") { ${PATTERN_FIELDS} } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.symptomPatterns).toEqual(patterns.body);

      // Past the sleep data: no association, and the reason says why.
      const later = await t.api('GET', `/v1/users/${userId}/symptoms/patterns?from=2025-06-10&to=2025-06-20&type=nausea`);
      expect(later.body).toMatchObject({ total: 1, sleepDays: 5, byType: [{ type: 'nausea', count: 1 }], coOccurrences: [] });
      expect(later.body.sleep).toEqual([
        {
          type: 'nausea',
          symptomDays: 1,
          otherDays: 4,
          meanSleepMinutesBefore: null,
          meanSleepMinutesOtherDays: null,
          differenceMinutes: null,
          reason: 'needs sleep data on at least 3 days with nausea and 3 without (has 1 and 4)',
        },
      ]);
    });
  });
}
