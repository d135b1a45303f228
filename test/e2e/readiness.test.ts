import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asKey, atLocal, aUser, localDays, pushEvents, pushSamples, type EventBody } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addDays } from '../../src/lib/time.js';

const AUCKLAND = 'Pacific/Auckland';
const ST_JOHNS = 'America/St_Johns';

/** A workout starting when a local wall clock shows `hour` on a day. */
function workout(zone: string, day: string, hour: number, minutes: number, fields: Partial<EventBody> = {}): EventBody {
  const startAt = atLocal(zone, day, hour);
  return {
    type: 'workout',
    subtype: 'running',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + minutes * 60_000).toISOString(),
    ...fields,
  };
}

/** Banister's TRIMP, written out independently of the code under test. */
const trimp = (minutes: number, hrr: number) => minutes * hrr * 0.64 * Math.exp(1.92 * hrr);

/**
 * An exponentially weighted average of daily loads as a sum over past days (not the code's recurrence):
 * X_T = Σ_k α (1 − α)^(T − k) L_k, with α = 1 − e^(−1/τ) and X = 0 before the first load.
 */
function ewma(loads: number[], tau: number, day: number): number {
  const alpha = 1 - Math.exp(-1 / tau);
  return loads.slice(0, day + 1).reduce((sum, load, k) => sum + alpha * (1 - alpha) ** (day - k) * load, 0);
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`readiness and training load over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('scores each workout with Banister’s TRIMP and builds CTL, ATL and TSB by local day in St. John’s', async () => {
      const userId = (await aUser(t, { timezone: ST_JOHNS })).id;
      const days = localDays('2025-06-01', 7);
      // Resting HR 50 bpm for ten mornings before: the HRr anchor.
      await pushSamples(
        t,
        userId,
        localDays('2025-05-22', 10).map((day) => ({
          metricType: 'resting_heart_rate',
          value: 50,
          recordedAt: atLocal(ST_JOHNS, day, 7).toISOString(),
        })),
      );
      await pushEvents(
        t,
        userId,
        [
          // HRr = (141 − 50) / (180 − 50) = 0.7.
          workout(ST_JOHNS, days[0]!, 7, 60, { avgHeartRate: 141, maxHeartRate: 180 }),
          // Perceived exertion 8 of 10: HRr 0.8.
          workout(ST_JOHNS, days[2]!, 18, 30, { details: { rpe: 8 } }),
          // Nothing to go on: HRr 0.5. At 23:30 in St. John's, 02:00 UTC the next day: still day 5.
          workout(ST_JOHNS, days[4]!, 23.5, 45, { subtype: 'cycling' }),
        ],
        'garmin',
      );
      // Day 1's run recorded again by Strava: counted once.
      await pushEvents(t, userId, [workout(ST_JOHNS, days[0]!, 7.02, 58, { avgHeartRate: 140 })], 'strava');

      const answer = await t.api('GET', `/v1/users/${userId}/readiness/training-load?asOf=2025-06-07&days=7`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const load = answer.body;
      expect(load).toMatchObject({
        from: '2025-06-01',
        to: '2025-06-07',
        restingHeartRate: { bpm: 50, basis: 'measured', n: 10 },
        maxHeartRate: { bpm: 180, basis: 'measured', n: 1 },
      });
      expect(load.workouts.map((w: any) => [w.date, w.source, w.method, w.hrr])).toEqual([
        ['2025-06-01', 'garmin', 'heart_rate', 0.7],
        ['2025-06-03', 'garmin', 'rpe', 0.8],
        ['2025-06-05', 'garmin', 'estimated', 0.5],
      ]);
      const daily = [trimp(60, 0.7), 0, trimp(30, 0.8), 0, trimp(45, 0.5), 0, 0];
      expect(load.workouts.map((w: any) => w.trimp)).toEqual([daily[0]!, daily[2]!, daily[4]!].map((x) => Math.round(x * 100) / 100));
      for (const [i, day] of load.days.entries()) {
        const ctl = ewma(daily, 42, i);
        const atl = ewma(daily, 7, i);
        expect(day.date).toBe(days[i]);
        expect(day.load).toBeCloseTo(daily[i]!, 2);
        expect(day.ctl).toBeCloseTo(ctl, 2);
        expect(day.atl).toBeCloseTo(atl, 2);
        expect(day.tsb).toBeCloseTo(ctl - atl, 2);
        expect(day.acwr).toBeCloseTo(atl / ctl, 3);
        // Seven days before the window nothing was trained: the ramp is the CTL itself.
        expect(day.rampRate).toBeCloseTo(ctl - (i >= 7 ? ewma(daily, 42, i - 7) : 0), 2);
      }

      const gql = await t.graphql(
        `query ($userId: ID!) { trainingLoad(userId: $userId, asOf: "2025-06-07", days: 7) {
          from to restingHeartRate { bpm basis n } maxHeartRate { bpm basis n }
          days { date load workouts ctl atl tsb rampRate acwr }
          workouts { id date subtype source durationMinutes avgHeartRate hrr method trimp } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      const { asOf: _asOf, ...rest } = load;
      expect(gql.body.data.trainingLoad).toEqual(rest);
    });

    it('weighs HRV, resting HR, last night’s sleep and temperature into readiness, each with its baseline, in Auckland', async () => {
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      const asOf = '2025-06-15';
      const before = localDays(addDays(asOf, -20), 20);
      const morning = (day: string) => atLocal(AUCKLAND, day, 7).toISOString();
      await pushSamples(t, userId, [
        // Baselines: HRV 40 and 44 ms (median 42, MAD 2); resting HR 50 and 54 bpm (median 52, MAD 2).
        ...before.map((day, i) => ({ metricType: 'hrv_rmssd', value: i % 2 ? 44 : 40, recordedAt: morning(day) })),
        ...before.map((day, i) => ({ metricType: 'resting_heart_rate', value: i % 2 ? 54 : 50, recordedAt: morning(day) })),
        { metricType: 'hrv_rmssd', value: 46, recordedAt: morning(asOf) },
        { metricType: 'resting_heart_rate', value: 52, recordedAt: morning(asOf) },
        { metricType: 'skin_temperature_deviation', value: -0.3, recordedAt: morning(asOf) },
      ]);
      // Last night: 432 minutes asleep, against the default need of 480 (no history yet): 90%.
      const bed = atLocal(AUCKLAND, addDays(asOf, -1), 23);
      await pushEvents(
        t,
        userId,
        [{ type: 'sleep', subtype: 'main', startAt: bed.toISOString(), endAt: new Date(bed.getTime() + 432 * 60_000).toISOString() }],
        'oura',
      );

      const answer = await t.api('GET', `/v1/users/${userId}/readiness?asOf=${asOf}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const readiness = answer.body;
      const bySignal = Object.fromEntries(readiness.signals.map((s: any) => [s.signal, s]));
      const z = (0.6745 * (46 - 42)) / 2;
      expect(bySignal.hrv).toMatchObject({
        source: 'hrv_rmssd',
        value: 46,
        baseline: { median: 42, mad: 2, n: 20, from: '2025-05-16', to: '2025-06-14' },
        deviation: Math.round(z * 1000) / 1000,
        subScore: Math.round((50 + 25 * z) * 10) / 10,
        weight: 0.3,
      });
      expect(bySignal.resting_heart_rate).toMatchObject({ value: 52, deviation: 0, subScore: 50, baseline: { median: 52 } });
      expect(bySignal.sleep).toMatchObject({ value: 432, deviation: 0.9, subScore: 80 });
      expect(bySignal.temperature).toMatchObject({ source: 'skin_temperature_deviation', value: -0.3, subScore: 70 });
      // No workouts: form has no data and its 15% goes to the other four.
      expect(readiness.missing).toEqual(['form']);
      const weighted = [
        [bySignal.hrv.subScore, 0.3],
        [50, 0.2],
        [80, 0.25],
        [70, 0.1],
      ];
      const total = weighted.reduce((sum, [, w]) => sum + w!, 0);
      const score = Math.round(weighted.reduce((sum, [s, w]) => sum + s! * w!, 0) / total);
      expect(readiness).toMatchObject({ asOf, score, level: score >= 70 ? 'high' : 'moderate' });
      expect(readiness.signals.reduce((sum: number, s: any) => sum + s.contribution, 0)).toBeCloseTo(score, 0);

      const gql = await t.graphql(
        `query ($userId: ID!) { readiness(userId: $userId, asOf: "${asOf}") { score level missing signals { signal subScore share } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.readiness).toMatchObject({ score, missing: ['form'] });

      // A day without any signal has no score.
      const empty = (await t.api('GET', `/v1/users/${userId}/readiness?asOf=2024-01-01`)).body;
      expect(empty).toMatchObject({ score: null, level: null, signals: [] });
    });

    it('refuses bad windows with the parameter named and keeps users to their workspace', async () => {
      const userId = (await aUser(t)).id;
      const tooLong = await t.api('GET', `/v1/users/${userId}/readiness/training-load?days=366`);
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.message).toMatch(/days/);
      expect((await t.api('GET', `/v1/users/${userId}/readiness?asOf=yesterday`)).status).toBe(400);
      const fresh = (await t.api('GET', `/v1/users/${userId}/readiness/training-load?asOf=2025-01-10&days=3`)).body;
      expect(fresh).toMatchObject({ restingHeartRate: { bpm: 60, basis: 'default' }, maxHeartRate: { bpm: 190, basis: 'default' } });
      expect(fresh.days.map((d: any) => [d.ctl, d.acwr])).toEqual([
        [0, null],
        [0, null],
        [0, null],
      ]);
      const other = asKey(t, (await t.newWorkspace()).adminKey);
      expect((await other.api('GET', `/v1/users/${userId}/readiness`)).status).toBe(404);
      expect((await other.api('GET', `/v1/users/${userId}/readiness/training-load`)).status).toBe(404);
    });
  });
}
