import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, atLocal, aUser, localDays, pushEvents, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { addDays } from '../../src/lib/time.js';

const AUCKLAND = 'Pacific/Auckland';
const ST_JOHNS = 'America/St_Johns';

const round1 = (x: number) => Math.round(x * 10) / 10;
const clip = (x: number) => Math.min(100, Math.max(0, x));
/** The sample standard deviation, written out (n − 1). */
function sampleSd(values: number[]): number {
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}
/** A weighted mean over the parts present, their weights rescaled to 1, rounded to an integer. */
function weighted(parts: [number, number][]): number {
  const total = parts.reduce((sum, [, w]) => sum + w, 0);
  return Math.round(parts.reduce((sum, [s, w]) => sum + (s * w) / total, 0));
}

const COMPONENT = `component source value unit reference referenceBasis from to n sources subScore weight share contribution
  baseline { median mad n from to }`;
const SCORES = `userId timezone asOf overall sleep activity cardio recovery missing
  areas { area subScore weight share contribution missing components { ${COMPONENT} } }`;

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`health scores and snapshots over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('scores sleep, activity, cardio and recovery over the 7 local days ending on the day, in Auckland', async () => {
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      const asOf = '2025-06-15';
      const week = localDays(addDays(asOf, -6), 7);
      const at = (day: string, hour: number) => atLocal(AUCKLAND, day, hour).toISOString();
      // Sleep: 8 h in bed each night at 83% efficiency (398.4 min asleep), bedtimes 23:00 shifted by these minutes.
      const shifts = [0, 30, -30, 60, 0, 30, -30];
      await pushEvents(
        t,
        userId,
        week.map((day, i) => {
          const bed = atLocal(AUCKLAND, addDays(day, -1), 23 + shifts[i]! / 60);
          return {
            type: 'sleep',
            subtype: 'main',
            startAt: bed.toISOString(),
            endAt: new Date(bed.getTime() + 480 * 60_000).toISOString(),
            details: { efficiency: 83 },
          };
        }),
        'oura',
      );
      // Steps on 5 of the 7 days; moderate minutes on two days, vigorous on one.
      const steps = [6000, 9000, 7000, 10000, 4000];
      const restingHr = [62, 64, 60, 66, 62, 60, 60];
      const hrv = [44, 46, 45, 43, 47, 44, 46];
      // HRV baseline: the 30 days before the week, 20 of them with 40 or 44 ms (median 42, MAD 2).
      const baselineDays = localDays(addDays(week[0]!, -20), 20);
      await pushSamples(t, userId, [
        ...steps.map((value, i) => ({ metricType: 'steps', value, recordedAt: at(week[i]!, 12) })),
        { metricType: 'moderate_intensity_minutes', value: 10, recordedAt: at(week[1]!, 18) },
        { metricType: 'vigorous_intensity_minutes', value: 5, recordedAt: at(week[1]!, 18.5) },
        { metricType: 'moderate_intensity_minutes', value: 5, recordedAt: at(week[4]!, 18) },
        ...restingHr.map((value, i) => ({ metricType: 'resting_heart_rate', value, recordedAt: at(week[i]!, 7) })),
        ...hrv.map((value, i) => ({ metricType: 'hrv_rmssd', value, recordedAt: at(week[i]!, 7) })),
        ...baselineDays.map((day, i) => ({ metricType: 'hrv_rmssd', value: i % 2 ? 44 : 40, recordedAt: at(day, 7) })),
      ]);

      const answer = await t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      const score = answer.body;
      const area = (id: string) => score.areas.find((a: any) => a.area === id);
      const component = (areaId: string, id: string) => area(areaId).components.find((c: any) => c.component === id);

      // Sleep: 398.4 / 480 → 200 × 0.83 − 100 = 66; efficiency 50 + 5 × (83 − 75) = 90; midpoint SD of the shifts.
      const sd = round1(sampleSd(shifts));
      const regularity = round1(clip(100 - ((sd - 30) * 100) / 60));
      expect(component('sleep', 'duration')).toMatchObject({
        value: 398.4,
        reference: 480,
        subScore: 66,
        n: 7,
        from: week[0],
        to: asOf,
        sources: ['oura'],
      });
      expect(component('sleep', 'efficiency')).toMatchObject({ value: 83, reference: 85, subScore: 90, n: 7 });
      expect(component('sleep', 'regularity')).toMatchObject({ value: sd, subScore: regularity, n: 7 });
      const sleep = weighted([
        [66, 0.5],
        [90, 0.25],
        [regularity, 0.25],
      ]);

      // Activity: mean steps 7,200 of 8,000 → 90; (10 + 2 × 5 + 5) / 2 days × 7 = 87.5 min/week of 150 → 58.3.
      expect(component('activity', 'steps')).toMatchObject({ value: 7200, reference: 8000, subScore: 90, n: 5, sources: ['api'] });
      expect(component('activity', 'active_minutes')).toMatchObject({ value: 87.5, reference: 150, subScore: 58.3, n: 2 });
      const activity = weighted([
        [90, 0.5],
        [58.3, 0.5],
      ]);

      // Cardio: mean resting HR 62 → 100 − 2.5 × 2 = 95; mean HRV 45 against median 42, MAD 2: z = 0.6745 × 3 / 2.
      const z = (0.6745 * (45 - 42)) / 2;
      expect(component('cardio', 'resting_heart_rate')).toMatchObject({ value: 62, reference: 60, subScore: 95, n: 7 });
      expect(component('cardio', 'hrv')).toMatchObject({
        value: 45,
        reference: 42,
        subScore: round1(50 + 25 * z),
        n: 7,
        baseline: { median: 42, mad: 2, n: 20, from: addDays(week[0]!, -30), to: addDays(week[0]!, -1) },
      });
      const cardio = weighted([
        [95, 0.5],
        [round1(50 + 25 * z), 0.5],
      ]);

      // Recovery is the day's readiness, as GET …/readiness gives it.
      const readiness = (await t.api('GET', `/v1/users/${userId}/readiness?asOf=${asOf}`)).body;
      expect(readiness.score).not.toBeNull();
      expect(component('recovery', 'readiness')).toMatchObject({ value: readiness.score, subScore: readiness.score });

      const overall = weighted([
        [sleep, 0.3],
        [activity, 0.25],
        [cardio, 0.25],
        [readiness.score, 0.2],
      ]);
      expect(score).toMatchObject({
        userId,
        timezone: AUCKLAND,
        asOf,
        overall,
        sleep,
        activity,
        cardio,
        recovery: readiness.score,
        missing: [],
      });
      expect(area('sleep')).toMatchObject({ subScore: sleep, weight: 0.3, share: 0.3, missing: [] });
      expect(score.areas.reduce((sum: number, a: any) => sum + a.contribution, 0)).toBeCloseTo(overall, 0);

      const gql = await t.graphql(`mutation ($userId: ID!) { computeHealthScore(userId: $userId, asOf: "${asOf}") { id ${SCORES} } }`, {
        userId,
      });
      expect(gql.body.errors).toBeUndefined();
      const { computedAt: _c, ...rest } = score;
      expect(gql.body.data.computeHealthScore).toEqual(rest);
    });

    it('shares the weights of missing components and areas, and counts days in St. John’s local time', async () => {
      const userId = (await aUser(t, { timezone: ST_JOHNS })).id;
      const asOf = '2025-03-20';
      const at = (day: string, hour: number) => atLocal(ST_JOHNS, day, hour).toISOString();
      await pushSamples(t, userId, [
        // 23:30 in St. John's is 02:00 UTC the next day: still asOf.
        { metricType: 'steps', value: 4000, recordedAt: at(asOf, 23.5) },
        { metricType: 'steps', value: 6000, recordedAt: at(addDays(asOf, -3), 10) },
        // 00:15 the day after: outside the window.
        { metricType: 'steps', value: 20000, recordedAt: at(addDays(asOf, 1), 0.25) },
        { metricType: 'resting_heart_rate', value: 70, recordedAt: at(asOf, 7) },
      ]);
      const answer = await t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf } });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      // Steps: (4000 + 6000) / 2 = 5000 of 8000 → 62.5, alone in its area (share 1). Resting HR 70 → 100 − 25 = 75.
      const activity = Math.round(62.5);
      const overall = weighted([
        [activity, 0.25],
        [75, 0.25],
      ]);
      expect(answer.body).toMatchObject({
        asOf,
        overall,
        sleep: null,
        activity,
        cardio: 75,
        recovery: null,
        missing: ['sleep', 'recovery'],
      });
      const byArea = Object.fromEntries(answer.body.areas.map((a: any) => [a.area, a]));
      expect(byArea.activity).toMatchObject({
        missing: ['active_minutes'],
        share: 0.5,
        components: [{ component: 'steps', value: 5000, n: 2, share: 1 }],
      });
      expect(byArea.cardio).toMatchObject({
        missing: ['hrv'],
        share: 0.5,
        components: [{ component: 'resting_heart_rate', share: 1, subScore: 75 }],
      });

      // A day with no data at all: every score null, nothing to weigh.
      const empty = await t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf: '2024-01-10' } });
      expect(empty.body).toMatchObject({ overall: null, areas: [], missing: ['sleep', 'activity', 'cardio', 'recovery'] });
    });

    it('keeps one score per day: a recompute replaces it under the same id, and lists newest first in both page styles', async () => {
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      const at = (day: string, hour = 12) => atLocal(AUCKLAND, day, hour).toISOString();
      await pushSamples(t, userId, [{ metricType: 'steps', value: 4000, recordedAt: at('2025-06-10') }]);
      const compute = (asOf: string) => t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf } });
      const first = (await compute('2025-06-10')).body;
      expect(first.activity).toBe(50);
      await pushSamples(t, userId, [{ metricType: 'steps', value: 2000, recordedAt: at('2025-06-10', 18) }]);
      const again = await compute('2025-06-10');
      expect(again.status).toBe(201);
      // 4000 + 2000 steps that day (steps add up): 6000 of 8000 → 75.
      expect(again.body).toMatchObject({ id: first.id, activity: 75 });
      await compute('2025-06-11');
      await compute('2025-06-12');

      const list = await t.api('GET', `/v1/users/${userId}/health-scores?limit=2&offset=0`);
      expect(list.status).toBe(200);
      expect(list.body).toMatchObject({ total: 3, offset: 0, limit: 2 });
      expect(list.body.data.map((s: any) => s.asOf)).toEqual(['2025-06-12', '2025-06-11']);
      const firstPage = (await t.api('GET', `/v1/users/${userId}/health-scores?limit=2`)).body;
      const next = (await t.api('GET', `/v1/users/${userId}/health-scores?limit=2&cursor=${encodeURIComponent(firstPage.nextCursor)}`))
        .body;
      expect(next.data.map((s: any) => [s.asOf, s.id, s.activity])).toEqual([['2025-06-10', first.id, 75]]);
      expect(next.nextCursor).toBeNull();
      const ranged = (await t.api('GET', `/v1/users/${userId}/health-scores?from=2025-06-10&to=2025-06-11`)).body;
      expect(ranged.data.map((s: any) => s.asOf)).toEqual(['2025-06-11', '2025-06-10']);

      const gql = await t.graphql(
        `query ($userId: ID!) { healthScores(userId: $userId, from: "2025-06-10", to: "2025-06-11") { total data { id computedAt ${SCORES} } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.healthScores.data).toEqual(ranged.data);

      // Each compute announced once, with the score as the route returned it.
      const events = (await t.api('GET', '/v1/domain-events?type=health_score.computed&limit=500')).body.data.filter(
        (e: any) => e.payload.userId === userId,
      );
      expect(events).toHaveLength(4);
      expect(events.filter((e: any) => e.payload.id === first.id)).toHaveLength(2);
    });

    it('keeps snapshots with their changes against the previous one, newest first', async () => {
      const userId = (await aUser(t, { timezone: AUCKLAND })).id;
      const now = Date.now();
      await pushSamples(t, userId, [
        { metricType: 'weight', value: 80, recordedAt: new Date(now - 3 * 3_600_000).toISOString() },
        { metricType: 'resting_heart_rate', value: 60, recordedAt: new Date(now - 2 * 3_600_000).toISOString() },
      ]);
      const first = await t.api('POST', `/v1/users/${userId}/snapshots`, { body: { label: 'Before' } });
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body).toMatchObject({ label: 'Before', note: null, changes: null });
      expect(first.body.latest.map((v: any) => [v.metricType, v.value, v.source])).toEqual([
        ['resting_heart_rate', 60, 'api'],
        ['weight', 80, 'api'],
      ]);

      await pushSamples(t, userId, [
        { metricType: 'weight', value: 78.5, recordedAt: new Date(now - 3_600_000).toISOString() },
        { metricType: 'spo2', value: 97, recordedAt: new Date(now - 3_600_000).toISOString() },
      ]);
      const second = await t.api('POST', `/v1/users/${userId}/snapshots`, { body: { label: 'After', note: 'two weeks on' } });
      expect(second.status).toBe(201);
      expect(second.body.changes).toMatchObject({ previousId: first.body.id });
      const byMetric = Object.fromEntries(second.body.changes.latest.map((c: any) => [c.metricType, c]));
      expect(byMetric.weight).toMatchObject({ from: 80, to: 78.5, delta: -1.5 });
      expect(byMetric.resting_heart_rate).toMatchObject({ from: 60, to: 60, delta: 0 });
      expect(byMetric.spo2).toMatchObject({ from: null, to: 97, delta: null });
      expect(second.body.changes.scores.map((c: any) => c.score)).toEqual(['overall', 'sleep', 'activity', 'cardio', 'recovery']);

      const list = (await t.api('GET', `/v1/users/${userId}/snapshots?offset=0`)).body;
      expect(list.total).toBe(2);
      expect(list.data.map((s: any) => [s.label, s.changes?.previousId ?? null])).toEqual([
        ['After', first.body.id],
        ['Before', null],
      ]);
      const page = (await t.api('GET', `/v1/users/${userId}/snapshots?limit=1`)).body;
      expect(page.data[0].changes.latest).toEqual(second.body.changes.latest);
      const older = (await t.api('GET', `/v1/users/${userId}/snapshots?limit=1&cursor=${encodeURIComponent(page.nextCursor)}`)).body;
      expect(older.data.map((s: any) => s.id)).toEqual([first.body.id]);

      const gql = await t.graphql(
        `query ($userId: ID!) { snapshots(userId: $userId) { data { id label note takenAt asOf
          scores { ${SCORES} } latest { metricType value unit recordedAt source }
          baselines { metricType windowDays n }
          changes { previousId previousTakenAt previousAsOf scores { score from to delta }
            latest { metricType unit from to delta fromRecordedAt toRecordedAt } } } } }`,
        { userId },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.snapshots.data.map((s: any) => s.changes)).toEqual(list.data.map((s: any) => s.changes));
      expect(gql.body.data.snapshots.data[0].latest).toEqual(list.data[0].latest);
    });

    it('refuses bad input naming the field, stores nothing, needs a write key and keeps users to their workspace', async () => {
      const userId = (await aUser(t)).id;
      const badDay = await t.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: { asOf: '2025-02-30' } });
      expect(badDay.status).toBe(400);
      expect(badDay.body.message).toMatch(/asOf/);
      const badRange = await t.api('GET', `/v1/users/${userId}/health-scores?from=2025-06-10&to=2025-06-01`);
      expect(badRange.status).toBe(400);
      expect(badRange.body.message).toMatch(/from/);
      const longLabel = await t.api('POST', `/v1/users/${userId}/snapshots`, { body: { label: 'x'.repeat(101) } });
      expect(longLabel.status).toBe(422);
      expect(longLabel.body.message).toMatch(/label/);
      const blankNote = await t.api('POST', `/v1/users/${userId}/snapshots`, { body: { note: '   ' } });
      expect(blankNote.status).toBe(422);
      expect(blankNote.body.message).toMatch(/note/);
      expect((await t.api('GET', `/v1/users/${userId}/health-scores`)).body.data).toEqual([]);
      expect((await t.api('GET', `/v1/users/${userId}/snapshots`)).body.data).toEqual([]);

      const reader = asKey(t, (await aKey(t, { scope: 'read' })).key);
      expect((await reader.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: {} })).status).toBe(403);
      expect((await reader.api('POST', `/v1/users/${userId}/snapshots`, { body: {} })).status).toBe(403);
      expect((await reader.api('GET', `/v1/users/${userId}/health-scores`)).status).toBe(200);
      expect((await reader.api('GET', `/v1/users/${userId}/snapshots`)).status).toBe(200);
      const denied = await reader.graphql(`mutation ($userId: ID!) { createSnapshot(userId: $userId) { id } }`, { userId });
      expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.api('GET', `/v1/users/${userId}/snapshots`)).body.data).toEqual([]);

      const other = asKey(t, (await t.newWorkspace()).adminKey);
      expect((await other.api('GET', `/v1/users/${userId}/health-scores`)).status).toBe(404);
      expect((await other.api('POST', `/v1/users/${userId}/health-scores/compute`, { body: {} })).status).toBe(404);
      expect((await other.api('GET', `/v1/users/${userId}/snapshots`)).status).toBe(404);
      expect((await other.api('POST', `/v1/users/${userId}/snapshots`, { body: {} })).status).toBe(404);
    });
  });
}
