import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal, aUser, localDays, pushEvents, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ST_JOHNS = 'America/St_Johns';
const AS_OF = '2025-06-16';
/** The documented order of the text's sections, most important first. */
const ORDER = ['anomalies', 'trends', 'readiness', 'scores', 'sleep', 'training', 'baselines', 'correlations', 'records', 'recentEvents'];

/** 22:00 in St. John's (UTC−2:30 in June) is 00:30 UTC the next day: filed under the UTC day it would land a day late. */
const evening = (day: string) => atLocal(ST_JOHNS, day, 22).toISOString();

/**
 * A user in St. John's with: resting HR 50/54 on the 30 days before the week to 15 June and 58 on each day of it;
 * SpO2 85% on 14 June (detected: a clinical anomaly); 20,000 steps on 12 June (a record); a 60-minute run on
 * 15 June and a 7-hour night ending on the morning of 16 June.
 */
async function seedUser(t: TestServer): Promise<string> {
  const userId = (await aUser(t, { timezone: ST_JOHNS })).id;
  await pushSamples(t, userId, [
    ...localDays('2025-05-10', 30).map((day, i) => ({
      metricType: 'resting_heart_rate',
      value: i % 2 ? 54 : 50,
      recordedAt: evening(day),
    })),
    ...localDays('2025-06-09', 7).map((day) => ({ metricType: 'resting_heart_rate', value: 58, recordedAt: evening(day) })),
    { metricType: 'spo2', value: 85, recordedAt: evening('2025-06-14') },
    { metricType: 'steps', value: 20000, recordedAt: evening('2025-06-12') },
  ]);
  const run = atLocal(ST_JOHNS, '2025-06-15', 18);
  const bed = atLocal(ST_JOHNS, '2025-06-15', 23);
  await pushEvents(t, userId, [
    { type: 'workout', subtype: 'running', startAt: run.toISOString(), endAt: new Date(run.getTime() + 60 * 60_000).toISOString() },
    { type: 'sleep', subtype: 'main', startAt: bed.toISOString(), endAt: new Date(bed.getTime() + 7 * 3_600_000).toISOString() },
  ]);
  const detected = await t.api('POST', `/v1/users/${userId}/analytics/anomalies`, { body: { from: '2025-06-09', to: '2025-06-15' } });
  expect(detected.status, JSON.stringify(detected.body)).toBe(200);
  return userId;
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`LLM context over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    let userId: string;
    beforeAll(async () => {
      t = await startTestServer(engine);
      userId = await seedUser(t);
    });
    afterAll(() => t?.close());

    it('gathers baselines, trends, anomalies, readiness, sleep, training, records and recent events of the local day', async () => {
      const answer = await t.api('GET', `/v1/users/${userId}/analytics/context?asOf=${AS_OF}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const c = answer.body;
      expect(c).toMatchObject({ userId, timezone: ST_JOHNS, asOf: AS_OF, maxTokens: 2000, omitted: [], partial: null });
      expect(c.included).toEqual(ORDER);

      const rest = c.baselines.find((b: any) => b.metricType === 'resting_heart_rate');
      expect(rest).toMatchObject({
        unit: 'bpm',
        mean7: 58,
        n7: 7,
        baseline30: { windowDays: 30, from: '2025-05-17', to: '2025-06-15', n: 30 },
      });
      expect(c.trends).toHaveLength(1);
      expect(c.trends[0]).toMatchObject({
        metricType: 'resting_heart_rate',
        weekFrom: '2025-06-09',
        weekTo: '2025-06-15',
        weekMean: 58,
        baselineMedian: 52,
      });
      expect(c.anomalies.map((a: any) => [a.metricType, a.date, a.kind, a.severity])).toEqual([
        ['spo2', '2025-06-14', 'clinical', 'critical'],
      ]);
      expect(c.records.map((r: any) => [r.metricType, r.kind, r.value, r.date])).toContainEqual([
        'steps',
        'highest_daily_total',
        20000,
        '2025-06-12',
      ]);
      expect(c.recentWorkouts).toEqual([{ date: '2025-06-15', subtype: 'running', minutes: 60, trimp: expect.any(Number), source: 'api' }]);
      expect(c.recentNights).toEqual([{ date: AS_OF, asleepMinutes: 420, source: 'api' }]);
      expect(c.sleep).toMatchObject({ from: '2025-06-03', to: AS_OF, nightsWithData: 1, averageAsleepMinutes: 420, needMinutes: 480 });
      expect(c.training).toMatchObject({ asOf: AS_OF, workouts28: 1 });
      expect(c.readiness.asOf).toBe(AS_OF);

      expect(c.tokens).toBe(countTokens(c.text));
      expect(c.text).toContain(`zone ${ST_JOHNS}, local day ${AS_OF}`);
      expect(c.text).toContain('- 2025-06-14 spo2 85 %: clinical low (critical, hypoxaemia (below 90 %))');
      // The scores of the last complete day, as computing them for that day gives (health-scores.test.ts checks the figures).
      const computed = await t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf: '2025-06-15' } });
      expect(computed.status, JSON.stringify(computed.body)).toBe(201);
      const { id: _id, computedAt: _at, ...scores } = computed.body;
      expect(c.scores).toEqual(scores);
      expect(c.scores.overall).toEqual(expect.any(Number));
      expect(c.text).toContain(`## Health scores\n- 2025-06-15: overall ${c.scores.overall}/100; `);
      expect(c.text).not.toContain('Left out');

      const gql = await t.graphql(
        `query ($userId: ID!) { analyticsContext(userId: $userId, asOf: "${AS_OF}") {
          userId timezone asOf text tokens maxTokens included omitted partial { section lines of } scores { asOf overall sleep activity cardio recovery }
          trends { metricType weekMean z } anomalies { id metricType date kind severity value }
          recentNights { date asleepMinutes source } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      const g = gql.body.data.analyticsContext;
      expect(g).toMatchObject({ text: c.text, tokens: c.tokens, included: c.included, omitted: [], partial: null });
      expect(g.scores).toEqual({
        asOf: '2025-06-15',
        overall: c.scores.overall,
        sleep: c.scores.sleep,
        activity: c.scores.activity,
        cardio: c.scores.cardio,
        recovery: c.scores.recovery,
      });
      expect(g.trends).toEqual(c.trends.map((x: any) => ({ metricType: x.metricType, weekMean: x.weekMean, z: x.z })));
      expect(g.anomalies[0].id).toBe(c.anomalies[0].id);
      expect(g.recentNights).toEqual(c.recentNights);
    });

    it('fits the text to each budget, dropping sections from the least important and naming them', async () => {
      const full = (await t.api('GET', `/v1/users/${userId}/analytics/context?asOf=${AS_OF}&maxTokens=32000`)).body;
      const budgets = [50, 80, 120, 160, 220, 300, full.tokens];
      let lastKept = -1;
      for (const maxTokens of budgets) {
        const c = (await t.api('GET', `/v1/users/${userId}/analytics/context?asOf=${AS_OF}&maxTokens=${maxTokens}`)).body;
        const counted = countTokens(c.text);
        expect(counted, `budget ${maxTokens}`).toBeLessThanOrEqual(maxTokens);
        expect(c.tokens).toBe(counted);
        // Whole sections are a prefix of the order, then at most one partial, then the rest left out.
        const kept = c.included.length;
        expect(c.included).toEqual(ORDER.slice(0, kept));
        const cut = c.partial ? [c.partial.section] : [];
        expect([...c.included, ...cut, ...c.omitted]).toEqual(ORDER);
        if (c.omitted.length || c.partial) expect(c.text).toContain(`(Left out for the token budget: `);
        if (c.omitted.length === ORDER.length) expect(c.text).toContain('every section');
        else for (const section of c.omitted) expect(c.text).toContain(section);
        // A larger budget never keeps fewer sections.
        expect(kept).toBeGreaterThanOrEqual(lastKept);
        lastKept = kept;
      }
      expect(lastKept).toBe(ORDER.length);
    });

    it('answers 400 naming maxTokens outside 50–32000', async () => {
      for (const maxTokens of [49, 32001]) {
        const answer = await t.api('GET', `/v1/users/${userId}/analytics/context?maxTokens=${maxTokens}`);
        expect(answer.status).toBe(400);
        expect(answer.body.message).toMatch(/maxTokens/);
      }
      const gql = await t.graphql(`query ($userId: ID!) { analyticsContext(userId: $userId, maxTokens: 10) { tokens } }`, { userId });
      expect(gql.body.errors[0].message).toMatch(/maxTokens/);
      expect(gql.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    });

    it('answers for the first day the API takes, whose windows reach before it', async () => {
      const context = await t.api('GET', `/v1/users/${userId}/analytics/context?asOf=1900-01-01&maxTokens=50`);
      expect(context.status, JSON.stringify(context.body)).toBe(200);
      expect(context.body.correlations).toEqual([]);
      const insights = await t.api('GET', `/v1/users/${userId}/insights?from=1900-01-01&to=1900-01-05`);
      expect(insights.status, JSON.stringify(insights.body)).toBe(200);
      expect(insights.body.data).toEqual([]);
      const firstDay = await t.api('GET', `/v1/users/${userId}/insights?to=1900-01-01`);
      expect(firstDay.status, JSON.stringify(firstDay.body)).toBe(200);
      expect(firstDay.body).toMatchObject({ from: '1900-01-01', to: '1900-01-01' });
    });

    it('answers 404 for a user of another workspace', async () => {
      const other = await t.newWorkspace();
      const theirs = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body;
      expect((await t.api('GET', `/v1/users/${theirs.id}/analytics/context`)).status).toBe(404);
      const gql = await t.graphql(`query ($id: ID!) { analyticsContext(userId: $id) { tokens } }`, { id: theirs.id });
      expect(gql.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });
  });
}
