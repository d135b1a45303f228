import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atLocal, aUser, localDays, pushEvents, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const AUCKLAND = 'Pacific/Auckland';
const addDay = (day: string, days: number) => new Date(Date.parse(day + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
const TO = '2025-06-15';

/** 07:00 in Auckland is 19:00 UTC the day before: a reading filed under its UTC day would land a day early. */
const morning = (day: string) => atLocal(AUCKLAND, day, 7).toISOString();

/** Φ by the Abramowitz & Stegun 26.2.17 approximation (|error| < 7.5e-8), independent of the code under test. */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const upper = (Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI)) * poly;
  return x >= 0 ? 1 - upper : upper;
}

/**
 * A user in Auckland whose data makes three insights known by hand:
 * - resting HR 50/54 bpm alternating on the 30 days before the week (median 52, MAD 2) and 58 bpm on each of the
 *   7 days to 15 June: z = 0.6745 × (58 − 52) / 2 = 2.02 → a warning trend, +11.5%;
 * - SpO2 97% in May and 85% on 14 June: below the 90% clinical limit → a critical anomaly (once detected);
 * - 8,000 steps on 20 May, then 20,000 on 12 June: a record (highest daily total, previous best 8,000).
 */
async function seedUser(t: TestServer): Promise<string> {
  const userId = (await aUser(t, { timezone: AUCKLAND })).id;
  const baselineDays = localDays('2025-05-10', 30);
  const week = localDays('2025-06-09', 7);
  await pushSamples(t, userId, [
    ...baselineDays.map((day, i) => ({ metricType: 'resting_heart_rate', value: i % 2 ? 54 : 50, recordedAt: morning(day) })),
    ...week.map((day) => ({ metricType: 'resting_heart_rate', value: 58, recordedAt: morning(day) })),
    { metricType: 'spo2', value: 97, recordedAt: morning('2025-05-20') },
    { metricType: 'steps', value: 8000, recordedAt: morning('2025-05-20') },
  ]);
  await pushSamples(t, userId, [
    { metricType: 'spo2', value: 85, recordedAt: morning('2025-06-14') },
    { metricType: 'steps', value: 20000, recordedAt: morning('2025-06-12') },
  ]);
  const detected = await t.api('POST', `/v1/users/${userId}/analytics/anomalies`, {
    body: { from: '2025-06-09', to: TO, metricTypes: ['spo2'] },
  });
  expect(detected.status, JSON.stringify(detected.body)).toBe(200);
  return userId;
}

const INSIGHT_FIELDS = `id kind category severity sentence deterministicSentence wordedBy confidence confidenceBasis
  evidence { metrics from to values unit n sources route }`;

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`insights over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('finds the trend, the anomaly and the record built by hand, most severe first, over local days in Auckland', async () => {
      const userId = await seedUser(t);
      const answer = await t.api('GET', `/v1/users/${userId}/insights?from=2025-06-09&to=${TO}&offset=0`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const page = answer.body;
      expect(page).toMatchObject({ userId, timezone: AUCKLAND, from: '2025-06-09', to: TO, total: 3, offset: 0 });
      expect(page.data.map((i: any) => [i.kind, i.severity])).toEqual([
        ['anomaly', 'critical'],
        ['trend', 'warning'],
        ['record', 'info'],
      ]);
      const [anomaly, trend, record] = page.data;

      expect(anomaly.sentence).toBe(
        'Your blood oxygen saturation on 2025-06-14 (85 %) crossed the clinical limit "hypoxaemia (below 90 %)".',
      );
      expect(anomaly).toMatchObject({ category: 'respiratory', confidence: 0.9, wordedBy: 'vitasync' });
      expect(anomaly.evidence).toMatchObject({ metrics: ['spo2'], from: '2025-06-14', to: '2025-06-14', unit: '%', sources: ['api'] });
      expect(anomaly.evidence.values.value).toBe(85);
      expect(anomaly.evidence.values.threshold).toBe(90);

      const z = (0.6745 * (58 - 52)) / 2;
      expect(trend.sentence).toBe(
        'Your resting heart rate averaged 58 bpm over the last 7 days, above your 30-day median of 52 bpm (+11.5%).',
      );
      expect(trend.category).toBe('heart');
      expect(trend.evidence).toMatchObject({
        metrics: ['resting_heart_rate'],
        from: '2025-05-10',
        to: TO,
        unit: 'bpm',
        n: 37,
        sources: ['api'],
        route: 'GET /v1/users/{userId}/baselines?asOf=2025-06-09&metricType=resting_heart_rate',
      });
      expect(trend.evidence.values).toMatchObject({ weekMean: 58, weekDays: 7, baselineMedian: 52, baselineMad: 2, baselineDays: 30 });
      expect(trend.evidence.values.z).toBeCloseTo(z, 3);
      const p = 2 * (1 - normalCdf(z * Math.sqrt(7)));
      expect(trend.confidence).toBeCloseTo((1 - p) * 1, 2);

      expect(record.sentence).toBe('New personal record on 2025-06-12: your highest daily total of steps, 20000 (previous best 8000).');
      expect(record.evidence).toMatchObject({ metrics: ['steps'], from: '2025-06-12', to: '2025-06-12', n: 1 });
      expect(record.confidence).toBe(1);

      const gql = await t.graphql(
        `query ($userId: ID!) { insights(userId: $userId, from: "2025-06-09", to: "${TO}", offset: 0) {
          userId timezone from to limit total offset nextCursor data { ${INSIGHT_FIELDS} } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.insights).toEqual(page);
    });

    it('gives the same ids and sentences for the same data, filters by kind and pages with cursors', async () => {
      const userId = await seedUser(t);
      const path = `/v1/users/${userId}/insights?from=2025-06-09&to=${TO}`;
      const first = (await t.api('GET', path)).body;
      const again = (await t.api('GET', path)).body;
      expect(first.data.length).toBe(3);
      expect(again.data).toEqual(first.data);
      // Another user with the same data: the same evidence, so the same ids (evidence names no user).
      const twin = (await t.api('GET', `/v1/users/${await seedUser(t)}/insights?from=2025-06-09&to=${TO}`)).body;
      expect(twin.data.map((i: any) => i.id)).toEqual(first.data.map((i: any) => i.id));

      const trends = (await t.api('GET', `${path}&kind=trend&kind=record`)).body;
      expect(trends.data.map((i: any) => i.kind)).toEqual(['trend', 'record']);

      const one = (await t.api('GET', `${path}&limit=2`)).body;
      expect(one.data.map((i: any) => i.id)).toEqual(first.data.slice(0, 2).map((i: any) => i.id));
      expect(one.nextCursor).toEqual(expect.any(String));
      const two = (await t.api('GET', `${path}&limit=2&cursor=${encodeURIComponent(one.nextCursor)}`)).body;
      expect(two.data.map((i: any) => i.id)).toEqual([first.data[2].id]);
      expect(two.nextCursor).toBeNull();
    });

    it('reports sleep debt and a training load ramp in St. John’s, with the confidence their data gives', async () => {
      const zone = 'America/St_Johns';
      const userId = (await aUser(t, { timezone: zone })).id;
      const nights = localDays('2025-06-02', 14);
      // Six hours a night for the 14 nights to 15 June, against the default 8 h need (no 28 nights of history):
      // 14 × 2 h = 28 h of debt, high. Bed at 23:00 local (01:30 UTC): the night still ends on the local morning.
      await pushEvents(
        t,
        userId,
        nights.map((day) => {
          const bed = atLocal(zone, addDay(day, -1), 23);
          return {
            type: 'sleep',
            subtype: 'main',
            startAt: bed.toISOString(),
            endAt: new Date(bed.getTime() + 6 * 3_600_000).toISOString(),
          };
        }),
      );
      // One hour of training on each of the last three days and none before: all load is acute.
      await pushEvents(
        t,
        userId,
        ['2025-06-13', '2025-06-14', '2025-06-15'].map((day) => {
          const start = atLocal(zone, day, 18);
          return {
            type: 'workout',
            subtype: 'running',
            startAt: start.toISOString(),
            endAt: new Date(start.getTime() + 3_600_000).toISOString(),
          };
        }),
      );
      const page = (await t.api('GET', `/v1/users/${userId}/insights?to=${TO}&kind=sleep_debt&kind=training_load`)).body;
      expect(page.data.map((i: any) => i.kind)).toEqual(['sleep_debt', 'training_load']);
      const [debt, load] = page.data;
      expect(debt).toMatchObject({ severity: 'warning', category: 'sleep', confidence: 1 });
      expect(debt.sentence).toBe(`You built up 28 h of sleep debt over the 14 nights to ${TO} against a nightly need of 8 h (high).`);
      expect(debt.evidence).toMatchObject({ from: '2025-06-02', to: TO, n: 14, values: { debtMinutes: 1680, needMinutes: 480 } });

      // No heart rate or RPE: intensity 0.5 (estimated), TRIMP = 60 × 0.5 × 0.64 × e^0.96 per day; ACWR = ATL / CTL
      // with ATL and CTL as sums of α(1 − α)^(T − k) × load (α = 1 − e^(−1/τ), τ 7 and 42).
      const trimp = 60 * 0.5 * 0.64 * Math.exp(1.92 * 0.5);
      const ewma = (tau: number) => [2, 1, 0].reduce((sum, ago) => sum + (1 - Math.exp(-1 / tau)) * Math.exp(-1 / tau) ** ago * trimp, 0);
      const acwr = ewma(7) / ewma(42);
      expect(load).toMatchObject({ severity: 'warning', category: 'training', confidence: 0.5 });
      expect(load.evidence.values.acwr).toBeCloseTo(acwr, 2);
      expect(load.sentence).toBe(
        `Your acute:chronic training load ratio is ${Math.round(acwr * 10) / 10} on ${TO}: this week's load is well above what you are used to (0.8–1.3 is the usual range).`,
      );
    });

    it('refuses a window backwards or longer than 90 days and an unknown kind', async () => {
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      const backwards = await t.api('GET', `/v1/users/${userId}/insights?from=2025-06-10&to=2025-06-01`);
      expect(backwards.status).toBe(400);
      expect(backwards.body.message).toMatch(/from/);
      const long = await t.api('GET', `/v1/users/${userId}/insights?from=2025-01-01&to=2025-06-01`);
      expect(long.status).toBe(400);
      const kind = await t.api('GET', `/v1/users/${userId}/insights?kind=horoscope`);
      expect(kind.status).toBe(422);
      expect(kind.body.message).toMatch(/kind/);
    });

    it('answers 404 for a user of another workspace', async () => {
      const other = await t.newWorkspace();
      const theirs = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body;
      const answer = await t.api('GET', `/v1/users/${theirs.id}/insights`);
      expect(answer.status).toBe(404);
      const gql = await t.graphql(`query ($id: ID!) { insights(userId: $id) { total } }`, { id: theirs.id });
      expect(gql.body.errors[0].extensions.code).toBe('NOT_FOUND');
    });
  });
}

/**
 * A local stand-in for an OpenAI-compatible endpoint: POST /v1/chat/completions answering a chat.completion
 * object whose choices[0].message.content is the assistant's text, as OpenAI's API reference documents
 * ("Create chat completion", https://platform.openai.com/docs/api-reference/chat/create).
 */
function fakeChatCompletions(reply: (sentences: string[]) => string | null) {
  const requests: any[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const body = JSON.parse(raw);
      requests.push({ url: req.url, authorization: req.headers.authorization, body });
      const sentences = JSON.parse(body.messages.at(-1).content).sentences as string[];
      const content = reply(sentences);
      if (content === null) {
        res
          .writeHead(500, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: 'boom', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 1_749_945_600,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
        }),
      );
    });
  });
  return {
    requests,
    start: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('insight wording through an OpenAI-compatible endpoint', () => {
  it('uses the model’s sentences when they keep every figure, and VitaSync’s otherwise or on failure; the evidence never changes', async () => {
    let mode: 'good' | 'drops-a-number' | 'fails' = 'good';
    const fake = fakeChatCompletions((sentences) => {
      if (mode === 'fails') return null;
      const worded = sentences.map((s) => (mode === 'good' ? `In short: ${s}` : 'Something changed.'));
      return JSON.stringify({ sentences: worded });
    });
    const url = await fake.start();
    const plain = await startTestServer('pglite');
    const worded = await startTestServer('pglite', {
      env: { INSIGHTS_LLM_URL: url, INSIGHTS_LLM_MODEL: 'test-model', INSIGHTS_LLM_API_KEY: 'sk-test' },
    });
    try {
      const path = (userId: string) => `/v1/users/${userId}/insights?from=2025-06-09&to=${TO}`;
      const reference = (await plain.api('GET', path(await seedUser(plain)))).body.data;
      const userId = await seedUser(worded);

      const good = (await worded.api('GET', path(userId))).body.data;
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        url: '/v1/chat/completions',
        authorization: 'Bearer sk-test',
        body: { model: 'test-model' },
      });
      expect(fake.requests[0].body.messages.map((m: any) => m.role)).toEqual(['system', 'user']);
      expect(good.map((i: any) => i.sentence)).toEqual(reference.map((i: any) => `In short: ${i.sentence}`));
      expect(good.every((i: any) => i.wordedBy === 'test-model')).toBe(true);
      const withoutWording = (list: any[]) => list.map(({ sentence: _s, wordedBy: _w, ...rest }) => rest);
      expect(withoutWording(good)).toEqual(withoutWording(reference));

      mode = 'drops-a-number';
      const lossy = (await worded.api('GET', path(userId))).body.data;
      expect(lossy).toEqual(reference);

      mode = 'fails';
      const failed = await worded.api('GET', path(userId));
      expect(failed.status).toBe(200);
      expect(failed.body.data).toEqual(reference);
    } finally {
      await plain.close();
      await worded.close();
      await fake.close();
    }
  });
});
