import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEvent, asKey, aUser, pushEvents, pushSamples, type EventBody } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const minutesAfter = (at: string, minutes: number) => new Date(Date.parse(at) + minutes * 60_000).toISOString();
const workout = (subtype: string, startAt: string, minutes: number, distance?: number, extra: Partial<EventBody> = {}): EventBody =>
  anEvent({ subtype, startAt, lasting: `${minutes}min`, ...(distance === undefined ? {} : { distance }), ...extra });
const stage = (name: string, startAt: string, minutes: number) => ({ stage: name, startAt, endAt: minutesAfter(startAt, minutes) });
const restingHeartRate = (recordedAt: string, bpm: number) => ({ metricType: 'resting_heart_rate', value: bpm, recordedAt });
const steps = (recordedAt: string, count: number) => ({ metricType: 'steps', value: count, recordedAt });

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`events and personal records on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    async function read(path: string): Promise<any> {
      const response = await t.api('GET', path);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body;
    }
    const records = async (userId: string, metricType?: string) =>
      (await read(`/v1/users/${userId}/personal-records${metricType ? `/${metricType}` : ''}`)).data;
    const brief = (record: any) => [record.kind, record.qualifier, record.value, record.previousValue];

    it('stores a workout with its sport in lower case, a sleep session with stage totals and an activity', async () => {
      const userId = (await aUser(t)).id;
      const night = '2025-06-09T22:00:00.000Z';
      const sleep: EventBody = {
        type: 'sleep',
        subtype: 'main',
        startAt: night,
        endAt: minutesAfter(night, 480),
        details: {
          stages: [
            stage('light', night, 60),
            stage('deep', minutesAfter(night, 60), 90),
            stage('rem', minutesAfter(night, 150), 30),
            stage('light', minutesAfter(night, 180), 240),
            stage('awake', minutesAfter(night, 420), 60),
          ],
          efficiency: 88,
        },
      };
      const activity: EventBody = {
        type: 'activity',
        subtype: 'daily',
        startAt: '2025-06-10T00:00:00.000Z',
        endAt: '2025-06-11T00:00:00.000Z',
        energy: 540,
      };
      const pushed = await pushEvents(t, userId, [
        workout('Running', '2025-06-10T06:00:00.000Z', 45, 8200, { avgHeartRate: 151, externalId: 'run-1' }),
        sleep,
        activity,
      ]);
      expect(pushed).toMatchObject({ inserted: 3, updated: 0, duplicates: 0, rejected: [] });

      const events = (await read(`/v1/users/${userId}/events`)).data;
      expect(events.map((e: any) => e.type)).toEqual(['sleep', 'activity', 'workout']);
      const [storedSleep, storedActivity, storedWorkout] = events;
      expect(storedWorkout).toMatchObject({
        subtype: 'running',
        durationSeconds: 2700,
        distance: 8200,
        avgHeartRate: 151,
        externalId: 'run-1',
        source: 'api',
      });
      expect(storedSleep.durationSeconds).toBe(28_800);
      expect(storedSleep.details).toMatchObject({ efficiency: 88, stageSeconds: { light: 18_000, deep: 5400, rem: 1800, awake: 3600 } });
      expect(storedActivity).toMatchObject({ subtype: 'daily', durationSeconds: 86_400, energy: 540 });
    });

    it('lists events by type with offset pages and cursor pages', async () => {
      const userId = (await aUser(t)).id;
      const runs = [0, 1, 2, 3, 4].map((day) => workout('running', `2025-06-1${day}T06:00:00.000Z`, 30, 5000));
      await pushEvents(t, userId, [...runs, { type: 'sleep', startAt: '2025-06-10T22:00:00.000Z', endAt: '2025-06-11T06:00:00.000Z' }]);

      const page = await read(`/v1/users/${userId}/events?type=workout&limit=2&offset=2`);
      expect(page).toMatchObject({ total: 5, limit: 2, offset: 2 });
      expect(page.data.map((e: any) => e.startAt)).toEqual([runs[2]!.startAt, runs[3]!.startAt]);
      expect((await read(`/v1/users/${userId}/events?type=sleep`)).data.map((e: any) => e.type)).toEqual(['sleep']);
      expect((await read(`/v1/users/${userId}/events?type=sleep&type=workout&limit=1&offset=0`)).total).toBe(6);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const next: any = await read(
          `/v1/users/${userId}/events?type=workout&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        seen.push(...next.data.map((e: any) => e.id));
        cursor = next.nextCursor;
      } while (cursor && seen.length < 20);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
      expect((await t.api('GET', `/v1/users/${userId}/events?type=meditation`)).status).toBe(422);
    });

    it('gets one event by id and answers 404 for an unknown event id or an event of another user', async () => {
      const userId = (await aUser(t)).id;
      const otherUser = (await aUser(t)).id;
      await pushEvents(t, userId, [workout('cycling', '2025-06-10T17:00:00.000Z', 90, 40_000)]);
      const [listed] = (await read(`/v1/users/${userId}/events`)).data;
      expect(await read(`/v1/users/${userId}/events/${listed.id}`)).toEqual(listed);
      const unknown = await t.api('GET', `/v1/users/${userId}/events/01ARZ3NDEKTSV4RRFFQ69G5FAV`);
      expect(unknown.status).toBe(404);
      expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('01ARZ3NDEKTSV4RRFFQ69G5FAV') });
      expect((await t.api('GET', `/v1/users/${otherUser}/events/${listed.id}`)).status).toBe(404);
    });

    it('counts a re-pushed externalId with a changed distance as updated and lists it once with the new distance', async () => {
      const userId = (await aUser(t)).id;
      const run = workout('running', '2025-06-10T06:00:00.000Z', 40, 7000, { externalId: 'hk-42' });
      await pushEvents(t, userId, [run]);
      expect(await pushEvents(t, userId, [run])).toMatchObject({ inserted: 0, updated: 0, duplicates: 1 });
      expect(await pushEvents(t, userId, [{ ...run, distance: 7400 }])).toMatchObject({ inserted: 0, updated: 1, duplicates: 0 });
      const events = (await read(`/v1/users/${userId}/events`)).data;
      expect(events.map((e: any) => [e.externalId, e.distance])).toEqual([['hk-42', 7400]]);
    });

    it('rejects an event ending before it starts, of an unknown type or with a sleep stage outside the session, with a reason each', async () => {
      const userId = (await aUser(t)).id;
      const night = '2025-06-09T22:00:00.000Z';
      const pushed = await pushEvents(t, userId, [
        workout('running', '2025-06-10T06:00:00.000Z', 30, 5000),
        { type: 'workout', startAt: '2025-06-10T08:00:00.000Z', endAt: '2025-06-10T07:00:00.000Z' },
        { type: 'meditation', startAt: '2025-06-10T09:00:00.000Z', endAt: '2025-06-10T09:20:00.000Z' },
        {
          type: 'sleep',
          startAt: night,
          endAt: minutesAfter(night, 420),
          details: { stages: [stage('deep', minutesAfter(night, 400), 60)] },
        },
      ]);
      expect(pushed).toMatchObject({ inserted: 1, updated: 0, duplicates: 0 });
      expect(pushed.rejected).toEqual([
        { index: 1, metricType: 'workout', reason: expect.stringContaining('endAt must be after startAt') },
        { index: 2, metricType: 'meditation', reason: expect.stringContaining('meditation') },
        { index: 3, metricType: 'sleep', reason: expect.stringContaining('within the session') },
      ]);
      expect((await read(`/v1/users/${userId}/events`)).data.map((e: any) => e.type)).toEqual(['workout']);
    });

    it('sets a new lowest resting heart rate with the beaten value as previous, and keeps it against a higher one', async () => {
      const userId = (await aUser(t)).id;
      const first = await pushSamples(t, userId, [restingHeartRate('2025-06-10T06:00:00.000Z', 55)]);
      expect(first.records.map(brief)).toEqual([['lowest', null, 55, null]]);
      const lower = await pushSamples(t, userId, [restingHeartRate('2025-06-11T06:00:00.000Z', 52)]);
      expect(lower.records).toEqual([
        expect.objectContaining({
          metricType: 'resting_heart_rate',
          kind: 'lowest',
          value: 52,
          unit: 'bpm',
          previousValue: 55,
          achievedAt: '2025-06-11T06:00:00.000Z',
          previousAchievedAt: '2025-06-10T06:00:00.000Z',
        }),
      ]);
      expect((await pushSamples(t, userId, [restingHeartRate('2025-06-12T06:00:00.000Z', 58)])).records).toEqual([]);
      const stored = await records(userId, 'resting_heart_rate');
      expect(stored.map(brief)).toEqual([['lowest', null, 52, 55]]);
      expect(stored[0].sampleId).toEqual(expect.any(String));
    });

    it("records the most steps in a day as one source's total of a local day", async () => {
      const userId = (await aUser(t, { timezone: 'Europe/Berlin' })).id;
      // 00:30 and 12:00 on 11 June in Berlin (CEST), though the first is still 10 June in UTC.
      await pushSamples(t, userId, [steps('2025-06-10T22:30:00.000Z', 6000), steps('2025-06-11T10:00:00.000Z', 5000)], 'healthkit');
      const [record] = await records(userId, 'steps');
      expect(record).toMatchObject({
        kind: 'highest_daily_total',
        value: 11_000,
        unit: 'count',
        achievedAt: '2025-06-10T22:00:00.000Z',
        source: 'healthkit',
      });

      // Another source's count of the same day is not added to it.
      expect((await pushSamples(t, userId, [steps('2025-06-11T12:00:00.000Z', 8000)], 'garmin')).records).toEqual([]);
      expect((await records(userId, 'steps')).map(brief)).toEqual([['highest_daily_total', null, 11_000, null]]);

      const better = await pushSamples(t, userId, [steps('2025-06-12T08:00:00.000Z', 12_500)], 'garmin');
      expect(better.records).toEqual([
        expect.objectContaining({
          kind: 'highest_daily_total',
          value: 12_500,
          previousValue: 11_000,
          source: 'garmin',
          achievedAt: '2025-06-11T22:00:00.000Z',
        }),
      ]);
    });

    it('sets longest distance and longest duration for running when a longer run comes, with the previous values', async () => {
      const userId = (await aUser(t)).id;
      const first = await pushEvents(t, userId, [workout('running', '2025-06-10T06:00:00.000Z', 30, 5000)]);
      expect(first.records.map(brief).sort()).toEqual([
        ['fastest_speed', 'running', 5000 / 1800, null],
        ['longest_distance', 'running', 5000, null],
        ['longest_duration', 'running', 1800, null],
      ]);
      const longer = await pushEvents(t, userId, [workout('Running', '2025-06-12T06:00:00.000Z', 60, 10_000)]);
      const [listed] = (await read(`/v1/users/${userId}/events?from=2025-06-12T00:00:00.000Z`)).data;
      expect(longer.records.map(brief).sort()).toEqual([
        ['longest_distance', 'running', 10_000, 5000],
        ['longest_duration', 'running', 3600, 1800],
      ]);
      expect(longer.records.every((r: any) => r.eventId === listed.id && r.metricType === 'workout')).toBe(true);

      // A ride is another sport: it sets cycling records and leaves running's alone.
      await pushEvents(t, userId, [workout('cycling', '2025-06-13T06:00:00.000Z', 120, 50_000)]);
      const running = (await records(userId, 'workout')).filter((r: any) => r.qualifier === 'running');
      expect(running.map(brief).sort()).toEqual([
        ['fastest_speed', 'running', 5000 / 1800, null],
        ['longest_distance', 'running', 10_000, 5000],
        ['longest_duration', 'running', 3600, 1800],
      ]);
    });

    it('filters personal records by metric type', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, [restingHeartRate('2025-06-10T06:00:00.000Z', 50), steps('2025-06-10T08:00:00.000Z', 9000)]);
      await pushEvents(t, userId, [
        workout('rowing', '2025-06-10T07:00:00.000Z', 20),
        { type: 'sleep', startAt: '2025-06-10T22:00:00.000Z', endAt: '2025-06-11T05:00:00.000Z' },
      ]);
      const all = await records(userId);
      expect(all.map((r: any) => r.metricType)).toEqual(['resting_heart_rate', 'sleep', 'steps', 'workout']);
      expect((await records(userId, 'sleep')).map(brief)).toEqual([['longest_duration', null, 25_200, null]]);
      expect((await records(userId, 'workout')).map(brief)).toEqual([['longest_duration', 'rowing', 1200, null]]);
      expect(await records(userId, 'heart_rate')).toEqual([]);
    });

    it('answers 404 on every event and record route for a user of another workspace', async () => {
      const other = await t.newWorkspace('Event neighbours');
      const { id } = await aUser(asKey(t, other.adminKey));
      const paths = [
        `/v1/users/${id}/events`,
        `/v1/users/${id}/events/01ARZ3NDEKTSV4RRFFQ69G5FAV`,
        `/v1/users/${id}/personal-records`,
        `/v1/users/${id}/personal-records/steps`,
      ];
      for (const path of paths) expect((await t.api('GET', path)).status, path).toBe(404);
      const push = await t.api('POST', `/v1/users/${id}/events`, {
        body: { events: [workout('running', '2025-06-10T06:00:00.000Z', 30)] },
      });
      expect(push.status).toBe(404);
    });
  });
}
