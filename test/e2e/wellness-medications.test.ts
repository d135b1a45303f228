import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const NEW_YORK = 'America/New_York';
const STATS_FIELDS = `medicationId from to onTimeWindowMinutes scheduled taken onTime early late skipped missed pending adherence onTimeRate
  days { date scheduled taken onTime early late skipped missed pending adherence onTimeRate fullyAdherent }
  streak { current longest } streakFrom`;

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`medications over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    const medication = async (userId: string, body: Record<string, unknown>) => {
      const created = await t.api('POST', `/v1/users/${userId}/medications`, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      return created.body;
    };
    const log = (userId: string, medId: string, body: Record<string, unknown>) =>
      t.api('POST', `/v1/users/${userId}/medications/${medId}/log`, { body });

    async function missedEventsOf(userId: string): Promise<any[]> {
      const listed = await t.api('GET', '/v1/domain-events?type=medication.dose_missed&limit=500');
      expect(listed.status).toBe(200);
      return listed.body.data.filter((event: any) => event.payload.userId === userId).map((event: any) => event.payload);
    }

    it('adds a medication with its schedule and lists it, over REST and GraphQL alike', async () => {
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      const created = await medication(userId, {
        name: ' Metformin ',
        dosage: '500 mg',
        times: ['20:00', '08:00', '08:00'],
        daysOfWeek: [5, 1, 1],
        startDate: '2025-03-01',
      });
      expect(created).toMatchObject({
        userId,
        name: 'Metformin',
        dosage: '500 mg',
        form: 'tablet',
        times: ['08:00', '20:00'],
        daysOfWeek: [1, 5],
        startDate: '2025-03-01',
        endDate: null,
        onTimeWindowMinutes: 60,
        reminders: false,
      });
      const listed = await t.api('GET', `/v1/users/${userId}/medications?limit=10&offset=0`);
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({ total: 1, data: [created] });
      const gql = await t.graphql(
        `query ($userId: ID!) { medications(userId: $userId) { data { id userId name dosage form times daysOfWeek startDate endDate
          onTimeWindowMinutes reminders createdAt updatedAt } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.medications.data).toEqual([created]);
      const events = await t.api('GET', '/v1/domain-events?type=medication.created&limit=500');
      expect(events.body.data.filter((e: any) => e.payload.id === created.id).map((e: any) => e.payload)).toEqual([created]);
    });

    it('refuses invalid medications naming the field, and stores nothing', async () => {
      const userId = (await aUser(t)).id;
      const cases: [Record<string, unknown>, number, string][] = [
        [{ name: 'A', times: ['25:00'] }, 422, 'body field times[0] must be a local time HH:MM'],
        [{ name: '   ', times: ['08:00'] }, 422, 'body field name'],
        [{ name: 'A', times: ['08:00'], onTimeWindowMinutes: 1 }, 422, 'body field onTimeWindowMinutes must be an integer from 5 to 720'],
        [{ name: 'A', times: ['08:00'], startDate: '2025-02-30' }, 400, 'startDate must be a date'],
        [{ name: 'A', times: ['08:00'], daysOfWeek: [7] }, 422, 'body field daysOfWeek[0]'],
        [{ name: 'A', times: ['08:00'], form: 'pill' }, 422, 'form'],
        [{ name: 'A', times: [] }, 422, 'times must hold 1 to 12 dose times'],
        [{ name: 'A', times: '08:00' }, 400, 'body field times must be a list'],
        [{ name: 'A', times: ['08:00'], startDate: '2025-03-02', endDate: '2025-03-01' }, 422, 'endDate must not be before startDate'],
        [{ times: ['08:00'] }, 400, 'name is required'],
      ];
      for (const [body, status, message] of cases) {
        const refused = await t.api('POST', `/v1/users/${userId}/medications`, { body });
        expect(refused.status, JSON.stringify([body, refused.body])).toBe(status);
        expect(refused.body.message).toContain(message);
      }
      expect((await t.api('GET', `/v1/users/${userId}/medications`)).body.data).toEqual([]);
      const unknown = await t.api('POST', `/v1/users/01ARZ3NDEKTSV4RRFFQ69G5FAV/medications`, { body: { name: 'A', times: ['08:00'] } });
      expect(unknown.status).toBe(404);
    });

    it('counts adherence per local day and overall across the New York spring-forward night and local midnight', async () => {
      const userId = (await aUser(t, { timezone: NEW_YORK })).id;
      // 02:30 does not exist on 2025-03-09 in New York (02:00 EST jumps to 03:00 EDT): that dose is at 03:30 EDT, 07:30 UTC.
      const med = await medication(userId, {
        name: 'Levothyroxine',
        times: ['02:30', '08:00', '23:30'],
        startDate: '2025-03-08',
        endDate: '2025-03-10',
      });
      const taken = async (at: string, dose: Record<string, unknown> = {}) => {
        const logged = await log(userId, med.id, { at, ...dose });
        expect(logged.status, JSON.stringify(logged.body)).toBe(201);
        return logged.body;
      };
      // 2025-03-08 (EST, UTC−5): every dose on time.
      expect(await taken('2025-03-08T07:45:00.000Z', { date: '2025-03-08', time: '02:30' })).toMatchObject({
        date: '2025-03-08',
        time: '02:30',
        scheduledAt: '2025-03-08T07:30:00.000Z',
        outcome: 'on_time',
        localDate: '2025-03-08',
      });
      // Without date and time, the nearest dose: 08:00 EST is 13:00 UTC.
      expect(await taken('2025-03-08T13:00:00.000Z')).toMatchObject({ date: '2025-03-08', time: '08:00', outcome: 'on_time' });
      // 00:10 on the 9th, local: the 23:30 dose of the 8th, 40 minutes late, still within the 60-minute window.
      expect(await taken('2025-03-09T05:10:00.000Z')).toMatchObject({
        date: '2025-03-08',
        time: '23:30',
        scheduledAt: '2025-03-09T04:30:00.000Z',
        localDate: '2025-03-09',
        outcome: 'on_time',
      });
      // 2025-03-09, the DST day: the 02:30 dose at 03:30 EDT = 07:30 UTC; 08:00 EDT = 12:00 UTC taken at 14:00 (late); 23:30 skipped.
      expect(await taken('2025-03-09T07:40:00.000Z')).toMatchObject({
        date: '2025-03-09',
        time: '02:30',
        scheduledAt: '2025-03-09T07:30:00.000Z',
        outcome: 'on_time',
      });
      expect(await taken('2025-03-09T14:00:00.000Z', { date: '2025-03-09', time: '08:00' })).toMatchObject({ outcome: 'late' });
      const skip = await log(userId, med.id, { status: 'skipped', at: '2025-03-10T03:00:00.000Z', date: '2025-03-09', time: '23:30' });
      expect(skip.body).toMatchObject({ status: 'skipped', outcome: 'skipped' });
      expect(await missedEventsOf(userId)).toEqual([]);
      // 2025-03-10 (EDT, UTC−4): 02:30 never logged; 08:00 (12:00 UTC) taken 90 minutes early; 23:30 on time.
      expect(await taken('2025-03-10T10:30:00.000Z', { date: '2025-03-10', time: '08:00' })).toMatchObject({ outcome: 'early' });
      expect(await taken('2025-03-11T03:30:00.000Z', { date: '2025-03-10', time: '23:30' })).toMatchObject({ outcome: 'on_time' });

      // The 08:00 log of the 10th found the 02:30 dose before it missed: announced once.
      const missed = {
        userId,
        medicationId: med.id,
        name: 'Levothyroxine',
        date: '2025-03-10',
        time: '02:30',
        scheduledAt: '2025-03-10T06:30:00.000Z',
        onTimeWindowMinutes: 60,
      };
      expect(await missedEventsOf(userId)).toEqual([missed]);

      const stats = await t.api('GET', `/v1/users/${userId}/medications/${med.id}/stats?from=2025-03-07&to=2025-03-11`);
      expect(stats.status, JSON.stringify(stats.body)).toBe(200);
      const day = (date: string, c: number[], fully: boolean) => {
        const [scheduled, taken, onTime, early, late, skipped, missedN] = c as [number, number, number, number, number, number, number];
        return {
          date,
          scheduled,
          taken,
          onTime,
          early,
          late,
          skipped,
          missed: missedN,
          pending: 0,
          adherence: taken / scheduled,
          onTimeRate: onTime / scheduled,
          fullyAdherent: fully,
        };
      };
      expect(stats.body).toEqual({
        medicationId: med.id,
        from: '2025-03-07',
        to: '2025-03-11',
        onTimeWindowMinutes: 60,
        // 9 doses: 7 taken (5 on time, 1 early, 1 late), 1 skipped, 1 missed.
        scheduled: 9,
        taken: 7,
        onTime: 5,
        early: 1,
        late: 1,
        skipped: 1,
        missed: 1,
        pending: 0,
        adherence: 7 / 9,
        onTimeRate: 5 / 9,
        days: [
          day('2025-03-08', [3, 3, 3, 0, 0, 0, 0], true),
          day('2025-03-09', [3, 2, 1, 0, 1, 1, 0], false),
          day('2025-03-10', [3, 2, 1, 1, 0, 0, 1], false),
        ],
        streak: { current: 0, longest: 1 },
        streakFrom: '2025-03-08',
      });
      const gql = await t.graphql(
        `query ($userId: ID!, $medId: ID!) { medicationStats(userId: $userId, medId: $medId, from: "2025-03-07", to: "2025-03-11") { ${STATS_FIELDS} } }`,
        { userId, medId: med.id },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.medicationStats).toEqual(stats.body);
      expect(await missedEventsOf(userId)).toEqual([missed]);

      // A move to Berlin moves no logged dose: the stats read the same.
      expect((await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: 'Europe/Berlin' } })).status).toBe(200);
      const after = await t.api('GET', `/v1/users/${userId}/medications/${med.id}/stats?from=2025-03-07&to=2025-03-11`);
      expect(after.body).toEqual(stats.body);
    });

    it('refuses a second log of a dose, a time off the schedule and a day outside it', async () => {
      const userId = (await aUser(t, { timezone: 'UTC' })).id;
      const med = await medication(userId, {
        name: 'Vitamin D',
        times: ['09:00'],
        daysOfWeek: [1],
        startDate: '2025-06-02',
        endDate: '2025-06-30',
      });
      expect((await log(userId, med.id, { at: '2025-06-02T09:10:00.000Z' })).status).toBe(201);
      const again = await log(userId, med.id, { at: '2025-06-02T09:20:00.000Z' });
      expect(again.status).toBe(409);
      expect(again.body.message).toContain('the dose of 2025-06-02 at 09:00 is already logged');
      expect((await log(userId, med.id, { date: '2025-06-09', time: '10:00' })).body.message).toContain(
        "time must be one of the medication's dose times: 09:00",
      );
      // 2025-06-10 is a Tuesday; 2025-07-07 is after the end.
      expect((await log(userId, med.id, { date: '2025-06-10', time: '09:00' })).status).toBe(422);
      expect((await log(userId, med.id, { date: '2025-07-07', time: '09:00' })).status).toBe(422);
      expect((await log(userId, med.id, { date: '2025-06-09' })).body.message).toContain('date and time name a dose together');
      expect((await log(userId, med.id, { at: '2025-06-04T09:00:00.000Z' })).body.message).toContain('no scheduled dose within 12 hours');
      expect((await log(userId, med.id, { status: 'forgot', date: '2025-06-09', time: '09:00' })).status).toBe(422);
      expect((await log(userId, med.id, { date: '2025-06-09', time: '9:00' })).status).toBe(422);
      expect((await log(userId, '01ARZ3NDEKTSV4RRFFQ69G5FAV', { date: '2025-06-09', time: '09:00' })).status).toBe(404);
      const stats = await t.api('GET', `/v1/users/${userId}/medications/${med.id}/stats?from=2025-06-01&to=2025-06-10`);
      // Mondays 2 and 9 June: one taken on time, one missed.
      expect(stats.body).toMatchObject({
        scheduled: 2,
        taken: 1,
        onTime: 1,
        missed: 1,
        adherence: 0.5,
        streak: { current: 0, longest: 1 },
      });
      expect((await t.api('GET', `/v1/users/${userId}/medications/${med.id}/stats?from=2025-06-10&to=2025-06-01`)).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${userId}/medications/${med.id}/stats?from=2025-06-31`)).status).toBe(400);
    });

    it('hides another workspace’s medications and deletes them with the user', async () => {
      const userId = (await aUser(t)).id;
      const med = await medication(userId, { name: 'Ibuprofen', times: ['12:00'], startDate: '2025-06-01' });
      const other = await t.newWorkspace();
      expect((await t.api('GET', `/v1/users/${userId}/medications`, { key: other.adminKey })).status).toBe(404);
      expect((await t.api('GET', `/v1/users/${userId}/medications/${med.id}/stats`, { key: other.adminKey })).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${userId}`)).status).toBe(204);
      const db = t.server.database;
      expect(await db.query(`SELECT id FROM "Medication" WHERE "userId" = $1`, [userId])).toEqual([]);
    });
  });
}
