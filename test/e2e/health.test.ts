import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, anEvent, aSample, asKey, aUser, pushEvents, pushSamples, type SampleBody } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

type Query = Record<string, string | number | string[]>;

const sample = (metricType: string, value: number, recordedAt: string, extra: Partial<SampleBody> = {}): SampleBody =>
  aSample({ metricType, value, recordedAt, ...extra });
const heartRate = (at: string, bpm: number) => sample('heart_rate', bpm, at);
const steps = (at: string, count: number) => sample('steps', count, at);
const JUNE_10 = { from: '2025-06-10T00:00:00.000Z', to: '2025-06-11T00:00:00.000Z' };

function query(params: Query): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) for (const one of [value].flat()) search.append(name, String(one));
  return `?${search}`;
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`health data on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => void (t = await startTestServer(engine)));
    afterAll(() => t?.close());

    /** A push whose answer the test is about (a refusal); `pushSamples` is for pushes that must succeed. */
    const push = (userId: string, samples: SampleBody[]) => t.api('POST', `/v1/users/${userId}/health`, { body: { samples } });
    const get = (userId: string, path: string, params: Query = {}, key?: string) =>
      t.api('GET', `/v1/users/${userId}/health${path}${query(params)}`, { key });
    async function ok(response: Promise<{ status: number; body: any }>): Promise<any> {
      const { status, body } = await response;
      expect(status, JSON.stringify(body)).toBe(200);
      return body;
    }
    const series = (userId: string, params: Query) => ok(get(userId, '/timeseries', params)).then((body) => body.data);
    const days = (userId: string, params: Query) => ok(get(userId, '/daily-summaries', params)).then((body) => body.data);
    const startsAndValues = (points: any[]) => points.map((p) => [p.start, p.value]);

    it('answers a push with 201 and the exact counts per metric type', async () => {
      const userId = (await aUser(t)).id;
      const pushed = await pushSamples(t, userId, [
        heartRate('2025-06-10T08:00:00.000Z', 61),
        heartRate('2025-06-10T08:05:00.000Z', 64),
        heartRate('2025-06-10T08:10:00.000Z', 66),
        steps('2025-06-10T08:00:00.000Z', 500),
        steps('2025-06-10T08:15:00.000Z', 700),
      ]);
      expect(pushed).toMatchObject({ inserted: 5, duplicates: 0, rejected: [] });
      expect(pushed.metrics).toHaveLength(2);
      expect(pushed.metrics).toEqual(
        expect.arrayContaining([
          { metricType: 'heart_rate', inserted: 3 },
          { metricType: 'steps', inserted: 2 },
        ]),
      );
    });

    it('stores nothing for a batch pushed again and leaves every read unchanged', async () => {
      const userId = (await aUser(t, { timezone: 'Europe/Berlin' })).id;
      const batch = [
        heartRate('2025-06-10T08:00:00.000Z', 70),
        heartRate('2025-06-10T20:00:00.000Z', 80),
        steps('2025-06-10T09:00:00.000Z', 1200),
        steps('2025-06-11T09:00:00.000Z', 300),
      ];
      expect((await pushSamples(t, userId, batch)).inserted).toBe(4);
      const window = { from: '2025-06-09T00:00:00.000Z', to: '2025-06-13T00:00:00.000Z' };
      const reads = async () => ({
        raw: await ok(get(userId, '', { limit: 500 })),
        summary: await ok(get(userId, '/summary')),
        steps: await series(userId, { metricType: 'steps', ...window }),
        heartRate: await series(userId, { metricType: 'heart_rate', bucket: 'hour', ...window }),
        daily: await days(userId, {}),
      });
      const before = await reads();
      expect(before.steps.map((point: any) => point.value)).toEqual([1200, 300]);

      const again = await pushSamples(t, userId, batch);
      expect(again).toMatchObject({ inserted: 0, duplicates: 4, rejected: [], metrics: [] });
      expect(await reads()).toEqual(before);
    });

    it('converts pounds, degrees Fahrenheit and mmol/L into the canonical unit and reports that unit', async () => {
      const userId = (await aUser(t)).id;
      const at = '2025-06-10T07:00:00.000Z';
      const pushed = await pushSamples(t, userId, [
        sample('weight', 154.3, at, { unit: 'lb' }),
        sample('body_temperature', 98.6, at, { unit: '°F' }),
        sample('blood_glucose', 5.5, at, { unit: 'mmol/L' }),
      ]);
      expect(pushed).toMatchObject({ inserted: 3, rejected: [] });
      const stored = Object.fromEntries((await ok(get(userId, ''))).data.map((s: any) => [s.metricType, [s.unit, s.value]]));
      expect(stored).toEqual({
        weight: ['kg', expect.closeTo(154.3 * 0.45359237, 9)],
        body_temperature: ['degC', expect.closeTo(37, 9)],
        blood_glucose: ['mg/dL', expect.closeTo(99.088, 9)],
      });
    });

    it('rejects impossible samples with a reason each and stores the valid ones of the same batch', async () => {
      const userId = (await aUser(t)).id;
      const at = '2025-06-10T08:00:00.000Z';
      const pushed = await pushSamples(t, userId, [
        heartRate(at, 62),
        heartRate('2025-06-10T08:01:00.000Z', 900),
        steps(at, -5),
        steps('2025-06-10T09:00:00.000Z', 40),
        sample('blood_sugar', 90, at),
        sample('weight', 70, at, { unit: 'furlong' }),
        heartRate('2099-01-01T00:00:00.000Z', 60),
      ]);
      expect(pushed).toMatchObject({ inserted: 2, duplicates: 0 });
      expect(pushed.rejected).toEqual([
        { index: 1, metricType: 'heart_rate', reason: expect.stringMatching(/900.*range/) },
        { index: 2, metricType: 'steps', reason: expect.stringMatching(/-5.*range/) },
        { index: 4, metricType: 'blood_sugar', reason: expect.stringMatching(/unknown/) },
        { index: 5, metricType: 'weight', reason: expect.stringMatching(/furlong/) },
        { index: 6, metricType: 'heart_rate', reason: expect.stringMatching(/future/) },
      ]);
      const stored = (await ok(get(userId, ''))).data;
      expect(stored.map((s: any) => [s.metricType, s.value])).toEqual([
        ['heart_rate', 62],
        ['steps', 40],
      ]);
    });

    it('keeps both sources of a metric in raw reads but uses one source per timeseries bucket', async () => {
      const userId = (await aUser(t)).id;
      const at = '2025-06-10T08:00:00.000Z';
      await pushSamples(t, userId, [steps(at, 1000)], 'healthkit');
      await pushSamples(t, userId, [steps(at, 1200)], 'garmin');
      const raw = (await ok(get(userId, ''))).data;
      expect(raw.map((s: any) => [s.source, s.value]).sort()).toEqual([
        ['garmin', 1200],
        ['healthkit', 1000],
      ]);
      for (const bucket of ['hour', 'day']) {
        const points = await series(userId, { metricType: 'steps', bucket, ...JUNE_10 });
        // No priority is configured, so the alphabetically first source serves the bucket.
        expect(points, bucket).toEqual([expect.objectContaining({ value: 1200, count: 1, source: 'garmin' })]);
      }
      expect(await days(userId, {})).toEqual([expect.objectContaining({ date: '2025-06-10', value: 1200, source: 'garmin' })]);
    });

    it('merges steps of two sources per quarter hour, names the sources, and keeps them apart with merge=none or source=', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, [steps('2025-06-10T08:00:00.000Z', 1000), steps('2025-06-10T15:00:00.000Z', 3000)], 'phone');
      await pushSamples(t, userId, [steps('2025-06-10T08:05:00.000Z', 1100)], 'garmin');
      const merged = await ok(get(userId, '/timeseries', { metricType: 'steps', ...JUNE_10 }));
      expect(merged).toMatchObject({ mergedBy: 'quarter_hour', sources: ['garmin', 'phone'] });
      expect(merged.data).toEqual([expect.objectContaining({ value: 4100, source: 'garmin', sources: ['garmin', 'phone'] })]);
      const apart = await series(userId, { metricType: 'steps', merge: 'none', ...JUNE_10 });
      expect(apart.map((point: any) => [point.source, point.value])).toEqual([
        ['garmin', 1100],
        ['phone', 4000],
      ]);
      expect((await series(userId, { metricType: 'steps', source: 'phone', ...JUNE_10 })).map((point: any) => point.value)).toEqual([4000]);
      expect(await days(userId, {})).toEqual([
        expect.objectContaining({ value: 4100, sources: ['garmin', 'phone'], mergedBy: 'quarter_hour' }),
      ]);
      expect((await days(userId, { merge: 'none' })).map((day: any) => [day.source, day.value])).toEqual([
        ['garmin', 1100],
        ['phone', 4000],
      ]);
    });

    it('names the parameter when merge or source is invalid', async () => {
      const userId = (await aUser(t)).id;
      for (const path of ['/timeseries', '/daily-summaries']) {
        for (const [name, value] of [
          ['merge', 'both'],
          ['source', 'Not A Source!'],
        ]) {
          const response = await get(userId, path, { metricType: 'steps', ...(path === '/timeseries' ? JUNE_10 : {}), [name!]: value });
          expect(response.status, `${path} ${name}`).toBe(422);
          expect(response.body.message, `${path} ${name}`).toContain(name);
        }
      }
    });

    it('filters raw samples by one metric type and by two', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, [
        heartRate('2025-06-10T08:00:00.000Z', 60),
        steps('2025-06-10T08:00:00.000Z', 10),
        sample('weight', 70, '2025-06-10T08:00:00.000Z'),
      ]);
      const one = await ok(get(userId, '', { metricType: 'heart_rate' }));
      expect(one.data.map((s: any) => s.metricType)).toEqual(['heart_rate']);
      const two = await ok(get(userId, '', { metricType: ['heart_rate', 'weight'] }));
      expect(two.data.map((s: any) => s.metricType).sort()).toEqual(['heart_rate', 'weight']);
    });

    it('returns the samples of a [from, to) window', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(
        t,
        userId,
        ['08', '09', '10', '11'].map((hour, i) => heartRate(`2025-06-10T${hour}:00:00.000Z`, 60 + i)),
      );
      const window = await ok(get(userId, '', { from: '2025-06-10T09:00:00.000Z', to: '2025-06-10T11:00:00.000Z' }));
      expect(window.data.map((s: any) => s.recordedAt)).toEqual(['2025-06-10T09:00:00.000Z', '2025-06-10T10:00:00.000Z']);
      expect(window.total).toBe(2);
    });

    it('walks every sample once with cursor pages and answers 400 for a forged cursor', async () => {
      const userId = (await aUser(t)).id;
      // Samples sharing a timestamp make the id the tie-breaker of the keyset.
      const at = (minute: number) => `2025-06-10T08:0${minute}:00.000Z`;
      await pushSamples(
        t,
        userId,
        [0, 1, 1, 1, 2, 3, 3].map((minute, i) => sample(['heart_rate', 'steps', 'weight', 'spo2'][i % 4]!, 60 + i, at(minute))),
      );
      const all = (await ok(get(userId, '', { limit: 500 }))).data.map((s: any) => s.id);
      expect(all).toHaveLength(7);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(get(userId, '', cursor ? { limit: 3, cursor } : { limit: 3 }));
        seen.push(...page.data.map((s: any) => s.id));
        cursor = page.nextCursor;
      } while (cursor && seen.length < 20);
      expect(seen).toEqual(all);
      expect(new Set(seen).size).toBe(7);

      const first = await ok(get(userId, '', { limit: 3 }));
      const tampered = first.nextCursor.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A'));
      for (const forged of ['forged', tampered]) expect((await get(userId, '', { cursor: forged })).status).toBe(400);
    });

    it('cuts steps into Europe/Berlin days across the 23-hour day of the spring DST change', async () => {
      const userId = (await aUser(t, { timezone: 'Europe/Berlin' })).id;
      await pushSamples(t, userId, [
        steps('2025-03-29T22:30:00.000Z', 50), // 23:30 on the 29th (CET)
        steps('2025-03-29T23:30:00.000Z', 100), // 00:30 on the 30th (CET)
        steps('2025-03-30T21:30:00.000Z', 200), // 23:30 on the 30th (CEST)
        steps('2025-03-30T22:30:00.000Z', 400), // 00:30 on the 31st (CEST)
      ]);
      const points = await series(userId, {
        metricType: 'steps',
        bucket: 'day',
        from: '2025-03-29T12:00:00.000Z',
        to: '2025-03-31T12:00:00.000Z',
      });
      expect(startsAndValues(points)).toEqual([
        ['2025-03-28T23:00:00.000Z', 50],
        ['2025-03-29T23:00:00.000Z', 300],
        ['2025-03-30T22:00:00.000Z', 400],
      ]);
      const daily = await days(userId, { from: '2025-03-29', to: '2025-03-31', metricType: 'steps' });
      expect(daily.map((d: any) => [d.date, d.value, d.timezone])).toEqual([
        ['2025-03-29', 50, 'Europe/Berlin'],
        ['2025-03-30', 300, 'Europe/Berlin'],
        ['2025-03-31', 400, 'Europe/Berlin'],
      ]);
    });

    it('keeps the repeated hour of the autumn DST change in Europe/Berlin as two hourly buckets', async () => {
      const userId = (await aUser(t, { timezone: 'Europe/Berlin' })).id;
      // 02:30 CEST and, an hour later, 02:30 CET: the same wall-clock time twice on 26 October 2025.
      await pushSamples(t, userId, [
        steps('2025-10-25T23:30:00.000Z', 1),
        steps('2025-10-26T00:30:00.000Z', 100),
        steps('2025-10-26T01:30:00.000Z', 200),
        steps('2025-10-26T02:30:00.000Z', 400),
      ]);
      const window = { metricType: 'steps', from: '2025-10-25T23:00:00.000Z', to: '2025-10-26T03:00:00.000Z' };
      const expected = [
        ['2025-10-25T23:00:00.000Z', 1],
        ['2025-10-26T00:00:00.000Z', 100],
        ['2025-10-26T01:00:00.000Z', 200],
        ['2025-10-26T02:00:00.000Z', 400],
      ];
      expect(startsAndValues(await series(userId, { ...window, bucket: 'hour' }))).toEqual(expected);
      // The 25-hour day holds all four.
      expect(startsAndValues(await series(userId, { ...window, bucket: 'day' }))).toEqual([['2025-10-25T22:00:00.000Z', 701]]);
    });

    it("cuts Asia/Kathmandu days at 18:15Z when the timezone parameter overrides the user's zone", async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, [
        steps('2025-06-10T18:10:00.000Z', 10),
        steps('2025-06-10T18:20:00.000Z', 20),
        steps('2025-06-11T18:14:00.000Z', 40),
        steps('2025-06-11T18:16:00.000Z', 80),
      ]);
      const window = { metricType: 'steps', from: '2025-06-10T12:00:00.000Z', to: '2025-06-12T00:00:00.000Z' };
      const kathmandu = await ok(get(userId, '/timeseries', { ...window, timezone: 'Asia/Kathmandu' }));
      expect(kathmandu.timezone).toBe('Asia/Kathmandu');
      expect(startsAndValues(kathmandu.data)).toEqual([
        ['2025-06-09T18:15:00.000Z', 10],
        ['2025-06-10T18:15:00.000Z', 60],
        ['2025-06-11T18:15:00.000Z', 80],
      ]);
      const utc = await ok(get(userId, '/timeseries', window));
      expect(utc.timezone).toBe('UTC');
      expect(startsAndValues(utc.data)).toEqual([
        ['2025-06-10T00:00:00.000Z', 30],
        ['2025-06-11T00:00:00.000Z', 120],
      ]);
    });

    const aggregates = async (userId: string, bucket: string) => {
      const window = { metricType: 'heart_rate', bucket, from: '2025-06-10T09:00:00.000Z', to: '2025-06-10T09:01:00.000Z' };
      const values: Record<string, number[]> = {};
      for (const agg of ['default', 'max', 'min', 'count', 'last'])
        values[agg] = (await series(userId, agg === 'default' ? window : { ...window, agg })).map((p: any) => p.value);
      return values;
    };
    // Sent out of time order: `last` is the latest by time, not by arrival.
    const threeBeats = [
      heartRate('2025-06-10T09:00:20.000Z', 70),
      heartRate('2025-06-10T09:00:00.000Z', 60),
      heartRate('2025-06-10T09:00:10.000Z', 95),
    ];
    const expectedAggregates = { default: [75], max: [95], min: [60], count: [3], last: [70] };

    it('aggregates hour and day buckets with avg, max, min, count and last', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, threeBeats);
      expect(await aggregates(userId, 'hour')).toEqual(expectedAggregates);
      expect(await aggregates(userId, 'day')).toEqual(expectedAggregates);
    });

    it('serves minute buckets from raw samples with every aggregation and one source per bucket', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, threeBeats);
      expect(await aggregates(userId, 'minute')).toEqual(expectedAggregates);
      await pushSamples(t, userId, [heartRate('2025-06-10T09:00:30.000Z', 200)], 'zephyr');
      // The second source's bucket is not mixed in: 'api' sorts first and serves the minute alone.
      const points = await series(userId, {
        metricType: 'heart_rate',
        bucket: 'minute',
        agg: 'count',
        from: '2025-06-10T09:00:00.000Z',
        to: '2025-06-10T09:01:00.000Z',
      });
      expect(points).toEqual([{ start: '2025-06-10T09:00:00.000Z', value: 3, count: 3, source: 'api', sources: ['api'] }]);
    });

    it("re-cuts daily summaries into the new zone's days when the user's timezone changes", async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, [steps('2025-06-10T23:30:00.000Z', 100), steps('2025-06-11T00:30:00.000Z', 200)]);
      const cut = async () => (await days(userId, { metricType: 'steps' })).map((d: any) => [d.date, d.value, d.timezone]);
      expect(await cut()).toEqual([
        ['2025-06-10', 100, 'UTC'],
        ['2025-06-11', 200, 'UTC'],
      ]);
      expect((await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: 'Asia/Tokyo' } })).status).toBe(200);
      expect(await cut()).toEqual([['2025-06-11', 300, 'Asia/Tokyo']]);
      expect((await t.api('PATCH', `/v1/users/${userId}`, { body: { timezone: 'America/New_York' } })).status).toBe(200);
      expect(await cut()).toEqual([['2025-06-10', 300, 'America/New_York']]);
      const points = await series(userId, { metricType: 'steps', from: '2025-06-10T12:00:00.000Z', to: '2025-06-11T03:00:00.000Z' });
      expect(startsAndValues(points)).toEqual([['2025-06-10T04:00:00.000Z', 300]]);
    });

    it('summarises a local day as the sum of steps and the mean of heart rate', async () => {
      const userId = (await aUser(t, { timezone: 'Asia/Kathmandu' })).id;
      // 18:15Z starts the next Kathmandu day, so the 99 bpm of 18:30Z belongs to 12 June.
      await pushSamples(t, userId, [
        heartRate('2025-06-10T19:00:00.000Z', 60),
        heartRate('2025-06-11T06:00:00.000Z', 70),
        heartRate('2025-06-11T18:00:00.000Z', 80),
        heartRate('2025-06-11T18:30:00.000Z', 99),
        steps('2025-06-10T19:00:00.000Z', 100),
        steps('2025-06-11T18:00:00.000Z', 250),
      ]);
      const daily = await days(userId, { from: '2025-06-11', to: '2025-06-11' });
      expect(daily).toEqual([
        {
          date: '2025-06-11',
          timezone: 'Asia/Kathmandu',
          metricType: 'heart_rate',
          unit: 'bpm',
          agg: 'avg',
          value: 70,
          count: 3,
          min: 60,
          max: 80,
          source: 'api',
          sources: ['api'],
          mergedBy: 'bucket',
        },
        {
          date: '2025-06-11',
          timezone: 'Asia/Kathmandu',
          metricType: 'steps',
          unit: 'count',
          agg: 'sum',
          value: 350,
          count: 2,
          min: 100,
          max: 250,
          source: 'api',
          sources: ['api'],
          mergedBy: 'quarter_hour',
        },
      ]);
    });

    it('summarises each metric type with its count, first and last time and latest value', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, [
        heartRate('2025-06-12T08:00:00.000Z', 72),
        heartRate('2025-06-10T08:00:00.000Z', 60),
        sample('weight', 70.5, '2025-06-11T07:00:00.000Z'),
      ]);
      // An older sample arriving later changes neither the last time nor the latest value.
      await pushSamples(t, userId, [heartRate('2025-06-11T08:00:00.000Z', 65)], 'garmin');
      const summary = await ok(get(userId, '/summary'));
      expect(summary.data).toEqual([
        {
          metricType: 'heart_rate',
          unit: 'bpm',
          count: 3,
          firstAt: '2025-06-10T08:00:00.000Z',
          lastAt: '2025-06-12T08:00:00.000Z',
          latestValue: 72,
          sources: ['api', 'garmin'],
        },
        {
          metricType: 'weight',
          unit: 'kg',
          count: 1,
          firstAt: '2025-06-11T07:00:00.000Z',
          lastAt: '2025-06-11T07:00:00.000Z',
          latestValue: 70.5,
          sources: ['api'],
        },
      ]);
    });

    it('answers 422 for an invalid bucket, agg or metric type and 400 for from after to', async () => {
      const userId = (await aUser(t)).id;
      const reversed = { from: JUNE_10.to, to: JUNE_10.from };
      const cases: [number, string, Query][] = [
        [422, '/timeseries', { metricType: 'steps', bucket: 'fortnight', ...JUNE_10 }],
        [422, '/timeseries', { metricType: 'steps', agg: 'median', ...JUNE_10 }],
        [422, '/timeseries', { metricType: 'blood_sugar', ...JUNE_10 }],
        [422, '', { metricType: 'blood_sugar' }],
        [422, '/daily-summaries', { metricType: 'blood_sugar' }],
        [400, '/timeseries', { metricType: 'steps', ...reversed }],
        [400, '', reversed],
        [400, '/daily-summaries', { from: '2025-06-11', to: '2025-06-10' }],
      ];
      for (const [status, path, params] of cases) {
        const response = await get(userId, path, params);
        expect([response.status, response.body.statusCode], `${path} ${JSON.stringify(params)}`).toEqual([status, status]);
      }
    });

    it('erases samples, events, records and summaries with 204, and answers 204 to a second DELETE', async () => {
      const userId = (await aUser(t)).id;
      const batch = [sample('resting_heart_rate', 52, '2025-06-10T06:00:00.000Z'), steps('2025-06-10T08:00:00.000Z', 900)];
      expect((await pushSamples(t, userId, batch)).records.length).toBeGreaterThan(0);
      expect((await pushEvents(t, userId, [anEvent({ distance: 5000 })])).inserted).toBe(1);

      const deleted = await t.api('DELETE', `/v1/users/${userId}/health`);
      expect([deleted.status, deleted.body]).toEqual([204, null]);
      expect((await ok(get(userId, '', { limit: 1, offset: 0 }))).total).toBe(0);
      expect((await ok(get(userId, '/summary'))).data).toEqual([]);
      expect(await days(userId, {})).toEqual([]);
      expect(await series(userId, { metricType: 'steps', ...JUNE_10 })).toEqual([]);
      expect((await ok(t.api('GET', `/v1/users/${userId}/events`))).data).toEqual([]);
      expect((await ok(t.api('GET', `/v1/users/${userId}/personal-records`))).data).toEqual([]);
      expect((await t.api('DELETE', `/v1/users/${userId}/health`)).status).toBe(204);
      expect((await t.api('GET', `/v1/users/${userId}`)).status).toBe(200);

      // Nothing of the old data lingers in the rollups: the same batch counts once again.
      expect((await pushSamples(t, userId, batch)).inserted).toBe(2);
      expect((await days(userId, { metricType: 'steps' })).map((d: any) => d.value)).toEqual([900]);
    });

    it('refuses to delete health data with a write key (403) and keeps the data', async () => {
      const userId = (await aUser(t)).id;
      const writer = asKey(t, (await aKey(t, { scope: 'write' })).key);
      await pushSamples(writer, userId, [heartRate('2025-06-10T08:00:00.000Z', 60)]);
      const denied = await writer.api('DELETE', `/v1/users/${userId}/health`);
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('Forbidden');
      expect((await ok(get(userId, ''))).data).toHaveLength(1);
    });

    it('answers 404 on every health route for a user of another workspace and leaves their data alone', async () => {
      const other = await t.newWorkspace('Health neighbours');
      const neighbour = asKey(t, other.adminKey);
      const theirs = (await aUser(neighbour)).id;
      await pushSamples(neighbour, theirs, [heartRate('2025-06-10T08:00:00.000Z', 60)]);
      const responses = [
        await push(theirs, [heartRate('2025-06-10T09:00:00.000Z', 61)]),
        await get(theirs, ''),
        await get(theirs, '/summary'),
        await get(theirs, '/timeseries', { metricType: 'heart_rate', ...JUNE_10 }),
        await get(theirs, '/daily-summaries'),
        await t.api('DELETE', `/v1/users/${theirs}/health`),
      ];
      expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404, 404]);
      expect((await ok(get(theirs, '', {}, other.adminKey))).data.map((s: any) => s.value)).toEqual([60]);
    });
  });
}
