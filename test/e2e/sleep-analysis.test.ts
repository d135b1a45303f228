import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asKey, atLocal, aUser, localDays, pushEvents, type EventBody } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const AUCKLAND = 'Pacific/Auckland';
const ST_JOHNS = 'America/St_Johns';

/** A night that ends on a local day: in bed from `bedHour` (local, the evening before when ≥ 12) for `minutes`. */
function night(zone: string, wakeDay: string, bedHour: number, minutes: number, details: Record<string, unknown> = {}): EventBody {
  const bedDay = bedHour >= 12 ? new Date(Date.parse(wakeDay) - 86_400_000).toISOString().slice(0, 10) : wakeDay;
  const startAt = atLocal(zone, bedDay, bedHour);
  return {
    type: 'sleep',
    subtype: 'main',
    startAt: startAt.toISOString(),
    endAt: new Date(startAt.getTime() + minutes * 60_000).toISOString(),
    details,
  };
}

/** A stage from minute `from` to minute `to` after the night's start. */
function stage(start: string, kind: string, from: number, to: number) {
  const at = (m: number) => new Date(Date.parse(start) + m * 60_000).toISOString();
  return { stage: kind, startAt: at(from), endAt: at(to) };
}

const sd = (values: number[]) => {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
};

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`sleep analysis over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('keeps a running sleep debt against the default need, by the local morning of waking in Auckland', async () => {
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      // Minutes asleep per night (null: nothing recorded), 1 to 14 June 2025, in bed from 23:00 the evening before.
      const asleep = [420, 420, 420, 420, 420, null, 540, 600, 600, 600, 360, null, 450, 480];
      const days = localDays('2025-06-01', 14);
      await pushEvents(
        t,
        userId,
        days.flatMap((day, i) => (asleep[i] === null ? [] : [night(AUCKLAND, day, 23, asleep[i]!)])),
        'oura',
      );
      // Ends at 06:00 on 15 June in Auckland, still 14 June in UTC: outside the window.
      await pushEvents(t, userId, [night(AUCKLAND, '2025-06-15', 20, 600)], 'oura');

      const debt = await t.api('GET', `/v1/users/${userId}/sleep-analysis/debt?asOf=2025-06-14`);
      expect(debt.status, JSON.stringify(debt.body)).toBe(200);
      expect(debt.body).toMatchObject({
        from: '2025-06-01',
        to: '2025-06-14',
        need: { minutes: 480, basis: 'default', historyNights: 0, historyFrom: '2025-03-03', historyTo: '2025-05-31' },
        nightsWithData: 12,
        sources: ['oura'],
      });
      // The running balance by hand: five short nights (+60 each) make 300; a missing night changes nothing; 540,
      // 600, 600 repay 60 + 120 + 120 down to 0, and the next 600 banks nothing; then +120 (360), +30 (450), 0 (480).
      expect(debt.body.nights.map((n: any) => n.debtMinutes)).toEqual([60, 120, 180, 240, 300, 300, 240, 120, 0, 0, 120, 120, 150, 150]);
      expect(debt.body.nights[5]).toEqual({
        date: '2025-06-06',
        asleepMinutes: null,
        source: null,
        balanceMinutes: null,
        debtMinutes: 300,
      });
      expect(debt.body.nights[13]).toMatchObject({ date: '2025-06-14', asleepMinutes: 480, balanceMinutes: 0 });
      expect(debt.body).toMatchObject({
        debtMinutes: 150,
        level: 'low',
        shortfallMinutes: 5 * 60 + 120 + 30,
        averageAsleepMinutes: (5 * 420 + 540 + 3 * 600 + 360 + 450 + 480) / 12,
      });

      const gql = await t.graphql(
        `query ($userId: ID!) { sleepDebt(userId: $userId, asOf: "2025-06-14") {
          asOf from to debtMinutes level nightsWithData averageAsleepMinutes shortfallMinutes sources
          need { minutes basis historyNights historyFrom historyTo }
          nights { date asleepMinutes source balanceMinutes debtMinutes } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.sleepDebt).toEqual(debt.body);

      // Three nights ending on the 14th: only the last three count, from 0.
      const short = await t.api('GET', `/v1/users/${userId}/sleep-analysis/debt?asOf=2025-06-14&days=3`);
      expect(short.body).toMatchObject({ from: '2025-06-12', debtMinutes: 30, nightsWithData: 2 });
    });

    it('personalises the need from the nights before the window and judges quality from stages and source figures in St. John’s', async () => {
      const userId = (await aUser(t, { timezone: ST_JOHNS })).id;
      // History: 30 nights of 450 min and 10 of 510 between 1 January and 9 February.
      const history = localDays('2025-01-01', 40).map((day, i) => night(ST_JOHNS, day, 23, i < 30 ? 450 : 510));
      await pushEvents(t, userId, history, 'oura');

      // 11 March (wake day): a staged night from 22:30, 480 min in bed.
      const a = night(ST_JOHNS, '2025-03-11', 22.5, 480);
      a.details = {
        stages: [
          stage(a.startAt, 'awake', 0, 20),
          stage(a.startAt, 'light', 20, 150),
          stage(a.startAt, 'awake', 150, 160),
          stage(a.startAt, 'deep', 160, 250),
          stage(a.startAt, 'light', 250, 370),
          stage(a.startAt, 'rem', 370, 460),
          stage(a.startAt, 'awake', 460, 480),
        ],
      };
      await pushEvents(t, userId, [a], 'demo');
      // 12 and 13 March: per-stage totals, efficiency, latency and awakenings as Oura gives them.
      const b = night(ST_JOHNS, '2025-03-12', 23.5, 470, {
        stageSeconds: { awake: 3000, light: 14_400, deep: 5400, rem: 5400 },
        efficiency: 83,
        latencySeconds: 1800,
        awakenings: 3,
      });
      const c = night(ST_JOHNS, '2025-03-13', 0.5, 480, {
        stageSeconds: { awake: 2400, light: 15_000, deep: 6000, rem: 5400 },
        efficiency: 92,
        latencySeconds: 600,
        awakenings: 2,
      });
      await pushEvents(t, userId, [b, c], 'oura');
      // The same night as b from the watch, shorter: the night takes the source with the most sleep.
      await pushEvents(t, userId, [night(ST_JOHNS, '2025-03-12', 23.6, 385)], 'garmin');

      const quality = await t.api('GET', `/v1/users/${userId}/sleep-analysis/quality?asOf=2025-03-13&days=3`);
      expect(quality.status, JSON.stringify(quality.body)).toBe(200);
      const q = quality.body;
      expect(q).toMatchObject({ from: '2025-03-11', to: '2025-03-13', nightsWithData: 3, sources: ['demo', 'oura'] });
      expect(q.nights.map((n: any) => [n.date, n.source, n.bedtime, n.wakeTime])).toEqual([
        ['2025-03-11', 'demo', '22:30', '06:30'],
        ['2025-03-12', 'oura', '23:30', '07:20'],
        ['2025-03-13', 'oura', '00:30', '08:30'],
      ]);
      // Night a from its stages: asleep 130 + 90 + 120 + 90 = 430 of 480 min; 20 min to the first sleep; 10 min
      // awake between first and last sleep (the 20 min after the last sleep are not WASO); one awakening.
      expect(q.nights[0]).toMatchObject({
        inBedMinutes: 480,
        asleepMinutes: 430,
        efficiency: Math.round((1000 * 430) / 480) / 10,
        latencyMinutes: 20,
        wasoMinutes: 10,
        awakenings: 1,
        stageShares: { light: Math.round((1000 * 250) / 430) / 10, deep: Math.round((1000 * 90) / 430) / 10, rem: 20.9 },
      });
      // Night b from Oura's figures: asleep (14,400 + 5,400 + 5,400) s = 420 min; WASO = awake − latency = 20 min.
      expect(q.nights[1]).toMatchObject({ asleepMinutes: 420, efficiency: 83, latencyMinutes: 30, wasoMinutes: 20, awakenings: 3 });
      expect(q.nights[2]).toMatchObject({ asleepMinutes: 440, efficiency: 92, latencyMinutes: 10, wasoMinutes: 30, awakenings: 2 });

      const round1 = (v: number) => Math.round(v * 10) / 10;
      expect(q.efficiency).toEqual({ mean: round1(((100 * 430) / 480 + 83 + 92) / 3), n: 3, rating: 'appropriate' });
      expect(q.latencyMinutes).toEqual({ mean: 20, n: 3, rating: 'appropriate' });
      expect(q.wasoMinutes).toEqual({ mean: 20, n: 3, rating: 'appropriate' });
      expect(q.awakenings).toEqual({ mean: 2, n: 3, rating: 'uncertain' });
      expect(q.asleepMinutes).toMatchObject({ mean: 430, n: 3 });
      // Bedtimes 22:30, 23:30 and 00:30 are an hour apart each (minutes after noon: 630, 690, 750).
      expect(q.regularity).toEqual({
        bedtimeSdMinutes: 60,
        wakeTimeSdMinutes: round1(sd([630 + 480, 690 + 470, 750 + 480])),
        midpointSdMinutes: round1(sd([630 + 240, 690 + 235, 750 + 240])),
        n: 3,
      });

      // The need: the 75th percentile of 30 × 450 and 10 × 510 (linear between ranks 29 and 30 of 0–39: 450 + 0.25 × 60).
      const debt = (await t.api('GET', `/v1/users/${userId}/sleep-analysis/debt?asOf=2025-03-13&days=3`)).body;
      expect(debt.need).toEqual({ minutes: 465, basis: 'personal', historyNights: 40, historyFrom: '2024-12-11', historyTo: '2025-03-10' });
      expect(debt).toMatchObject({ debtMinutes: 35 + 45 + 25, nightsWithData: 3, sources: ['demo', 'oura'] });

      const gql = await t.graphql(
        `query ($userId: ID!) { sleepQuality(userId: $userId, asOf: "2025-03-13", days: 3) {
          nightsWithData regularity { bedtimeSdMinutes } awakenings { mean rating } stageShares { light deep rem n } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.sleepQuality).toMatchObject({
        nightsWithData: 3,
        regularity: { bedtimeSdMinutes: 60 },
        awakenings: { mean: 2, rating: 'uncertain' },
        stageShares: { n: 3 },
      });
    });

    it('answers empty windows, refuses bad ones with the parameter named, and keeps users to their workspace', async () => {
      const userId = (await aUser(t)).id;
      const empty = await t.api('GET', `/v1/users/${userId}/sleep-analysis/quality?asOf=2025-01-31`);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({
        from: '2025-01-18',
        nightsWithData: 0,
        efficiency: { mean: null, n: 0, rating: null },
        stageShares: null,
      });
      const noDebt = await t.api('GET', `/v1/users/${userId}/sleep-analysis/debt`);
      expect(noDebt.body).toMatchObject({ debtMinutes: 0, level: 'none', nightsWithData: 0, averageAsleepMinutes: null });

      const tooLong = await t.api('GET', `/v1/users/${userId}/sleep-analysis/debt?days=91`);
      expect(tooLong.status).toBe(422);
      expect(tooLong.body.message).toMatch(/days/);
      expect((await t.api('GET', `/v1/users/${userId}/sleep-analysis/quality?asOf=2025-13-01`)).status).toBe(400);

      const other = asKey(t, (await t.newWorkspace()).adminKey);
      expect((await other.api('GET', `/v1/users/${userId}/sleep-analysis/debt`)).status).toBe(404);
      expect((await other.api('GET', `/v1/users/${userId}/sleep-analysis/quality`)).status).toBe(404);
    });
  });
}
