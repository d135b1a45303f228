import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/lib/time.js';
import { aKey, asKey, atLocal, aUser, localDays, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const AS_OF = '2025-06-30';
const ZONE = 'Europe/Berlin';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`baselines and anomalies over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    /** A user with 30 calm days of resting heart rate, then 82 bpm on AS_OF. */
    async function aUserWithAnAbnormalDay(): Promise<string> {
      const userId = (await aUser(t, { timezone: ZONE })).id;
      const calm = [56, 57, 58, 59, 60];
      const readings = localDays(addDays(AS_OF, -30), 30).map((day, i) => ({
        metricType: 'resting_heart_rate',
        value: calm[i % calm.length]!,
        recordedAt: atLocal(ZONE, day, 6).toISOString(),
      }));
      await pushSamples(
        t,
        userId,
        [...readings, { metricType: 'resting_heart_rate', value: 82, recordedAt: atLocal(ZONE, AS_OF, 6).toISOString() }],
        'ring',
      );
      return userId;
    }

    it('serves the same baselines on GET /baselines and the baselines field', async () => {
      const userId = await aUserWithAnAbnormalDay();
      const rest = await t.api('GET', `/v1/users/${userId}/baselines?asOf=${AS_OF}&metricType=resting_heart_rate`);
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      expect(rest.body).toMatchObject({ userId, timezone: ZONE, asOf: AS_OF });
      // 30 days of 56–60 in turn: median 58, MAD 1; the last 7 are 59 60 56 57 58 59 60 (median 59, MAD 1); the
      // 90-day window holds the same 30 days.
      expect(rest.body.baselines.map((b: any) => [b.windowDays, b.n, b.median, b.mad, b.coverage])).toEqual([
        [7, 7, 59, 1, 1],
        [30, 30, 58, 1, 1],
        [90, 30, 58, 1, 30 / 90],
      ]);
      const gql = await t.graphql(
        `query ($userId: ID!, $asOf: String) { baselines(userId: $userId, asOf: $asOf, metricType: ["resting_heart_rate"]) { asOf baselines { windowDays n mean median sd mad p10 p90 from to samples sources } } }`,
        { userId, asOf: AS_OF },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.baselines.baselines).toEqual(
        rest.body.baselines.map(({ metricType: _m, unit: _u, coverage: _c, ...rest }: any) => rest),
      );
    });

    it('detects the abnormal day with a read key, over REST and GraphQL alike', async () => {
      const userId = await aUserWithAnAbnormalDay();
      const reader = asKey(t, (await aKey(t, { scope: 'read' })).key);
      const body = { from: addDays(AS_OF, -2), to: AS_OF, metricTypes: ['resting_heart_rate'] };
      const rest = await reader.api('POST', `/v1/users/${userId}/analytics/anomalies`, { body });
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      // 82 against median 58, MAD 1: z = 0.6745 × 24 / 1 = 16.188, past twice the 3.5 threshold.
      expect(rest.body.anomalies).toHaveLength(1);
      expect(rest.body.anomalies[0]).toMatchObject({
        date: AS_OF,
        kind: 'statistical',
        direction: 'high',
        severity: 'critical',
        value: 82,
      });
      expect(rest.body.anomalies[0].score).toBeCloseTo(16.188, 9);
      const gql = await reader.graphql(
        `mutation ($userId: ID!, $from: String, $to: String) { detectAnomalies(userId: $userId, from: $from, to: $to, metricTypes: ["resting_heart_rate"]) { anomalies { id score detectedAt } } }`,
        { userId, from: body.from, to: AS_OF },
      );
      expect(gql.body.data.detectAnomalies.anomalies).toEqual([
        { id: rest.body.anomalies[0].id, score: rest.body.anomalies[0].score, detectedAt: rest.body.anomalies[0].detectedAt },
      ]);
      const events = await t.api('GET', '/v1/domain-events?type=anomaly.detected');
      expect(events.body.data.filter((e: any) => e.payload.userId === userId).map((e: any) => e.payload)).toEqual([rest.body.anomalies[0]]);
    });

    it('discovers correlations over REST as over GraphQL', async () => {
      const userId = (await aUser(t, { timezone: ZONE })).id;
      const days = localDays('2025-05-01', 30);
      // Resting heart rate rises one day after each poor night: 8.5 h of sleep → 55 bpm, 5.5 h → 64 bpm.
      const sleep = days.map((_, i) => 5.5 + ((i * 7) % 13) * 0.25);
      await pushSamples(
        t,
        userId,
        days.flatMap((day, i) => [
          { metricType: 'sleep_duration', value: sleep[i]! * 60, recordedAt: atLocal(ZONE, day, 7).toISOString() },
          { metricType: 'resting_heart_rate', value: 80.5 - 3 * sleep[i]!, recordedAt: atLocal(ZONE, addDays(day, 1), 8).toISOString() },
        ]),
        'ring',
      );
      const body = { from: '2025-05-01', to: '2025-05-31', maxLag: 1 };
      const rest = await t.api('POST', `/v1/users/${userId}/analytics/correlations`, { body });
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      expect(rest.body).toMatchObject({ tested: 3, series: ['resting_heart_rate', 'sleep_duration'] });
      // The exact relation comes first (|ρ| = 1); the same-day and reverse pairs follow the sleep pattern's rhythm.
      expect(rest.body.correlations[0]).toMatchObject({ seriesA: 'sleep_duration', seriesB: 'resting_heart_rate', lagDays: 1, n: 30 });
      expect(rest.body.correlations[0].spearman.r).toBe(-1);
      const gql = await t.graphql(
        `mutation ($userId: ID!) { discoverCorrelations(userId: $userId, from: "2025-05-01", to: "2025-05-31", maxLag: 1) { correlations { seriesA seriesB lagDays n sentence } } }`,
        { userId },
      );
      expect(gql.body.data.discoverCorrelations.correlations).toEqual(
        rest.body.correlations.map(({ seriesA, seriesB, lagDays, n, sentence }: any) => ({ seriesA, seriesB, lagDays, n, sentence })),
      );
      const bad = await t.api('POST', `/v1/users/${userId}/analytics/correlations`, { body: { maxLag: 4 } });
      expect(bad.body).toMatchObject({ statusCode: 422, message: 'body field maxLag must be an integer from 0 to 3' });
    });

    it('answers bad input with a 4xx naming the REST field, and another workspace’s user with 404', async () => {
      const userId = (await aUser(t)).id;
      const post = (body: unknown) => t.api('POST', `/v1/users/${userId}/analytics/anomalies`, { body });
      expect((await post({ from: '2025-06-10', to: '2025-06-01' })).body).toMatchObject({
        statusCode: 400,
        message: 'from must not be after to',
      });
      expect((await post({ threshold: 0 })).body).toMatchObject({
        statusCode: 422,
        message: 'body field threshold must be a number from 1 to 10',
      });
      expect((await post({ to: '2025-13-01' })).body).toMatchObject({ statusCode: 400, message: expect.stringContaining('to') });
      expect((await post({ metricTypes: ['mood_swings'] })).body).toMatchObject({
        statusCode: 422,
        message: expect.stringContaining('metricTypes[0]'),
      });
      const bad = await t.api('GET', `/v1/users/${userId}/baselines?asOf=yesterday`);
      expect(bad.body).toMatchObject({ statusCode: 400, message: expect.stringContaining('asOf') });
      const other = await t.newWorkspace();
      const foreign = await t.api('GET', `/v1/users/${userId}/baselines`, { key: other.adminKey });
      expect(foreign.status).toBe(404);
    });
  });
}
