import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Every analytics route on what a demo connection syncs (src/providers/demo/generate.ts: heart rate every 5 min,
 * steps and active energy by the quarter hour, a morning resting heart rate of 52–58 bpm, a weight, a staged night
 * with an efficiency of 85–95 %, a run every other UTC day at 18:00), as a reader would check it: each answer
 * names the days, counts and sources behind its numbers, and GraphQL answers as REST does.
 */
const BACKFILL_DAYS = 40;
const DAY_MS = 86_400_000;
const dayOf = (time: number) => new Date(time).toISOString().slice(0, 10);

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`analytics on a demo connection's data on ${engine}`, () => {
    let t: TestServer;
    let userId: string;
    const today = dayOf(Date.now());
    const yesterday = dayOf(Date.now() - DAY_MS);
    beforeAll(async () => {
      t = await startTestServer(engine, { env: { SYNC_BACKFILL_DAYS: String(BACKFILL_DAYS) } });
      await setRedirectUris(t, [APP_RETURN]);
      userId = (await aUser(t, { timezone: 'UTC' })).id;
      const back = await connectUser(t, userId, 'demo');
      await waitForJob(t, `sync:${back.searchParams.get('connectionId')}:backfill`, { attempts: 1200 });
    }, 180_000);
    afterAll(() => t?.close());

    const get = async (path: string) => {
      const answer = await t.api('GET', `/v1/users/${userId}${path}`);
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(200);
      return answer.body;
    };
    const post = async (path: string, body: object, status: number) => {
      const answer = await t.api('POST', `/v1/users/${userId}${path}`, { body });
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(status);
      return answer.body;
    };

    it('baselines, readiness and training load name the days, counts and sources behind them', async () => {
      const baselines = (await get('/baselines')).baselines as any[];
      const rest7 = baselines.find((b) => b.metricType === 'resting_heart_rate' && b.windowDays === 7);
      expect(rest7).toMatchObject({ n: 7, coverage: 1, samples: 7, sources: ['demo'], to: yesterday });
      expect(rest7.mean).toBeGreaterThanOrEqual(52);
      expect(rest7.mean).toBeLessThanOrEqual(58);
      expect(baselines.find((b) => b.metricType === 'resting_heart_rate' && b.windowDays === 30)).toMatchObject({ n: 30 });
      // 288 heart-rate samples a complete day.
      expect(baselines.find((b) => b.metricType === 'heart_rate' && b.windowDays === 7)).toMatchObject({ n: 7, samples: 7 * 288 });

      // Yesterday's: today's resting heart rate (07:00 UTC) is not there yet in the small hours.
      const readiness = await get(`/readiness?asOf=${yesterday}`);
      const rest = readiness.signals.find((s: any) => s.signal === 'resting_heart_rate');
      expect(rest).toMatchObject({ source: 'resting_heart_rate', baseline: { n: 30, to: dayOf(Date.now() - 2 * DAY_MS) } });
      expect(readiness.signals.map((s: any) => s.signal)).toEqual(expect.arrayContaining(['resting_heart_rate', 'form']));
      const sum = readiness.signals.reduce((total: number, s: any) => total + s.contribution, 0);
      expect(Math.abs(sum - readiness.score)).toBeLessThanOrEqual(0.5 + 0.01 * readiness.signals.length);

      const load = await get('/readiness/training-load?days=28');
      expect(load.workouts.length).toBeGreaterThanOrEqual(13);
      for (const workout of load.workouts) {
        expect(workout).toMatchObject({ source: 'demo', subtype: 'running', method: 'heart_rate' });
        // The demo runs on even UTC day numbers.
        expect((Date.parse(workout.date) / DAY_MS) % 2).toBe(0);
      }
      expect(load.days).toHaveLength(28);

      const gql = await t.graphql(
        `query ($userId: ID!) { readiness(userId: $userId, asOf: "${yesterday}") { score signals { signal value } }
          baselines(userId: $userId) { baselines { metricType windowDays n mean } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.readiness).toEqual({
        score: readiness.score,
        signals: readiness.signals.map((s: any) => ({ signal: s.signal, value: s.value })),
      });
      expect(gql.body.data.baselines.baselines).toEqual(
        baselines.map((b) => ({ metricType: b.metricType, windowDays: b.windowDays, n: b.n, mean: b.mean })),
      );
    });

    it('sleep debt and quality read the demo nights, each with its source', async () => {
      const debt = await get(`/sleep-analysis/debt?asOf=${yesterday}`);
      expect(debt).toMatchObject({ to: yesterday, nightsWithData: 14, sources: ['demo'] });
      expect(debt.nights.every((n: any) => n.source === 'demo')).toBe(true);
      const quality = await get(`/sleep-analysis/quality?asOf=${yesterday}`);
      expect(quality).toMatchObject({ nightsWithData: 14, sources: ['demo'] });
      expect(quality.efficiency.mean).toBeGreaterThanOrEqual(85);
      expect(quality.efficiency.mean).toBeLessThanOrEqual(95);
    });

    it('correlations and anomalies run over the synced series', async () => {
      const correlations = await post('/analytics/correlations', {}, 200);
      expect(correlations.series).toEqual(
        expect.arrayContaining([
          'heart_rate',
          'steps',
          'active_energy',
          'resting_heart_rate',
          'weight',
          'sleep_minutes',
          'workout_minutes',
        ]),
      );
      expect(correlations.tested).toBeGreaterThan(0);
      for (const c of correlations.correlations) expect(c.n).toBeGreaterThanOrEqual(correlations.minN);
      const anomalies = await post('/analytics/anomalies', {}, 200);
      for (const anomaly of anomalies.anomalies) expect(anomaly.sources).toEqual(['demo']);
    });

    it('health scores, a snapshot, insights and the LLM context trace back to the demo data', async () => {
      const scores = await post('/health-scores/compute', {}, 201);
      expect(scores.asOf).toBe(yesterday);
      expect(scores.areas.map((a: any) => a.area)).toEqual(expect.arrayContaining(['sleep', 'activity', 'cardio', 'recovery']));
      for (const area of scores.areas.filter((a: any) => a.area !== 'recovery')) {
        for (const component of area.components) expect(component.sources).toEqual(['demo']);
      }
      expect((await get('/health-scores')).data.map((s: any) => s.id)).toEqual([scores.id]);

      const snapshot = await post('/snapshots', { label: 'demo' }, 201);
      expect(snapshot.scores.overall).toBe(scores.overall);
      expect(snapshot.latest.find((v: any) => v.metricType === 'resting_heart_rate')).toMatchObject({ source: 'demo' });
      expect((await get('/snapshots')).data.map((s: any) => s.id)).toEqual([snapshot.id]);

      const insights = (await get('/insights')).data as any[];
      expect(insights.length).toBeGreaterThan(0);
      for (const insight of insights) {
        expect(insight.evidence.route).toMatch(/^(GET|POST) \/v1\/users\/\{userId\}\//);
        for (const source of insight.evidence.sources) expect(source).toBe('demo');
      }

      const context = await get(`/analytics/context?asOf=${today}&maxTokens=1000`);
      expect(context.tokens).toBeLessThanOrEqual(1000);
      expect(context.scores).toMatchObject({ asOf: yesterday, overall: scores.overall });
      expect(context.baselines.map((b: any) => b.metricType)).toEqual(expect.arrayContaining(['steps', 'resting_heart_rate']));
      for (const workout of context.recentWorkouts) expect(workout.source).toBe('demo');
      const gql = await t.graphql(
        `query ($userId: ID!) { analyticsContext(userId: $userId, asOf: "${today}", maxTokens: 1000) { text tokens } }`,
        {
          userId,
        },
      );
      expect(gql.body.data.analyticsContext).toEqual({ text: context.text, tokens: context.tokens });
    });
  });
}
