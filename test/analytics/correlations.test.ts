import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverCorrelations } from '../../src/analytics/correlations.js';
import { dailySeries } from '../../src/analytics/daily-series.js';
import type { ServiceContext } from '../../src/context.js';
import { ingestEvents } from '../../src/events/ingest-events.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { addDays } from '../../src/lib/time.js';
import { atLocal, aUser, localDays } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

// A pair of series with SciPy's coefficients and p-values for it (scripts/analytics-reference.py).
type Test = { r: number; p: number };
const reference = JSON.parse(readFileSync(new URL('../fixtures/analytics/reference.json', import.meta.url), 'utf8')) as {
  correlations: Record<string, { x: number[]; y: number[]; n: number; pearson: Test; spearman: Test }>;
};
const PAIR = reference.correlations['sleep_vs_rhr']!; // hours of sleep, and resting heart rate

const ZONE = 'Pacific/Auckland';
const FIRST = '2025-04-01';

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`correlation discovery on ${engine}`, () => {
    let ctx: ServiceContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await openEnginePlatform(engine));
    });
    afterAll(() => close?.());

    it('finds that a night’s sleep goes with the next morning’s resting heart rate, with SciPy’s r, ρ and p-values', async () => {
      const user = await aUser(ctx, { timezone: ZONE });
      const days = localDays(FIRST, PAIR.n);
      // Sleep (minutes) recorded on day d, the resting heart rate it goes with on day d + 1.
      await ingestSamples(
        ctx,
        user.id,
        [
          ...days.map((day, i) => ({ metricType: 'sleep_duration', value: PAIR.x[i]! * 60, recordedAt: atLocal(ZONE, day, 7) })),
          ...days.map((day, i) => ({ metricType: 'resting_heart_rate', value: PAIR.y[i]!, recordedAt: atLocal(ZONE, addDays(day, 1), 8) })),
        ],
        { source: 'ring' },
      );

      const report = await discoverCorrelations(ctx, user.id, { from: FIRST, to: addDays(FIRST, PAIR.n) });
      expect(report.series).toEqual(['resting_heart_rate', 'sleep_duration']);
      const found = report.correlations.find(
        (c) => c.seriesA === 'sleep_duration' && c.seriesB === 'resting_heart_rate' && c.lagDays === 1,
      );
      expect(found, JSON.stringify(report.correlations)).toBeDefined();
      expect(found!.n).toBe(PAIR.n);
      expectClose(found!.pearson.r, PAIR.pearson.r, 'pearson r');
      expectClose(found!.pearson.p, PAIR.pearson.p, 'pearson p');
      expectClose(found!.spearman.r, PAIR.spearman.r, 'spearman ρ');
      expectClose(found!.spearman.p, PAIR.spearman.p, 'spearman p');
      // The strongest finding, and what it says.
      expect(report.correlations[0]).toBe(found);
      expect(found).toMatchObject({ direction: 'negative', strength: 'strong' });
      expect(found!.sentence).toBe(
        `On days with higher sleep duration, resting heart rate tended to be lower the next day (strong negative correlation: Spearman ρ = ${PAIR.spearman.r.toFixed(2)}, n = 60 days, q = < 0.001).`,
      );
      // 2 series: 1 same-day pair + 2 directions × 3 lags = 7 tests; BH multiplies the smallest p by at most 7.
      expect(report.tested).toBe(7);
      expect(found!.spearman.q).toBeGreaterThanOrEqual(found!.spearman.p);
      expect(found!.spearman.q).toBeLessThanOrEqual(7 * found!.spearman.p);
    });

    it('tests workout minutes from events, and leaves out series that measure one quantity on the same day', async () => {
      const user = await aUser(ctx, { timezone: 'UTC' });
      const days = localDays(FIRST, 30);
      const minutes = days.map((_, i) => 20 + ((i * 7) % 50));
      await ingestEvents(
        ctx,
        user.id,
        days.map((day, i) => ({
          type: 'workout',
          subtype: 'running',
          startAt: atLocal('UTC', day, 18),
          endAt: new Date(atLocal('UTC', day, 18).getTime() + minutes[i]! * 60_000),
        })),
        { source: 'watch' },
      );
      // Steps and active energy both follow the workouts: one quantity counted three ways.
      await ingestSamples(
        ctx,
        user.id,
        days.flatMap((day, i) => [
          { metricType: 'steps', value: 4000 + minutes[i]! * 150, recordedAt: atLocal('UTC', day, 19) },
          { metricType: 'active_energy', value: 200 + minutes[i]! * 9, recordedAt: atLocal('UTC', day, 19) },
        ]),
        { source: 'watch' },
      );
      const report = await discoverCorrelations(ctx, user.id, { from: FIRST, to: days.at(-1), maxLag: 0 });
      expect(report.series).toEqual(['active_energy', 'steps', 'workout_minutes']);
      expect(report.tested).toBe(0);
      // The derived series: each day's workout minutes, on the local day the workout started.
      const [workouts] = await dailySeries(ctx, { id: user.id, timezone: 'UTC' }, FIRST, days.at(-1)!, ['workout_minutes']);
      expect(workouts).toMatchObject({ id: 'workout_minutes', kind: 'event', unit: 'min' });
      expect([...workouts!.values]).toEqual(days.map((day, i) => [day, minutes[i]]));
    });
  });
}
