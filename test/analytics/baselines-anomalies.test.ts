import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectAnomalies } from '../../src/analytics/anomalies.js';
import { baselines } from '../../src/analytics/baselines.js';
import type { ServiceContext } from '../../src/context.js';
import { ingestSamples } from '../../src/health/ingest.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { addDays } from '../../src/lib/time.js';
import { atLocal, aUser, localDays } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

// Statistics computed by NumPy and SciPy from these very series (scripts/analytics-reference.py).
type RefSeries = {
  values: number[];
  mean: number;
  median: number;
  sd: number;
  mad: number;
  p10: number;
  p90: number;
  modifiedZ: Record<string, number>;
};
const reference = JSON.parse(readFileSync(new URL('../fixtures/analytics/reference.json', import.meta.url), 'utf8')) as {
  series: Record<string, RefSeries>;
};
const RHR = reference.series['resting_heart_rate_90d']!;
const HRV = reference.series['hrv_rmssd_30d']!;
const STEPS = reference.series['steps_7d']!;

/** The day the baselines are for; every window ends the day before. */
const AS_OF = '2025-06-30';

function expectClose(actual: number | null | undefined, expected: number, what: string): void {
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

/** One reading a local day at `hour`:00 in the user's zone, the i-th day's value from `values`. */
function daily(zone: string, metricType: string, firstDay: string, values: readonly number[], hour: number): SampleInput[] {
  return localDays(firstDay, values.length).map((day, i) => ({ metricType, value: values[i]!, recordedAt: atLocal(zone, day, hour) }));
}

// Zones whose local days are far from UTC days: a day boundary taken in UTC moves readings to the wrong day.
const ZONES = [
  { zone: 'Pacific/Auckland', hour: 7 }, // 07:00 NZST is 19:00 UTC the day before
  { zone: 'America/St_Johns', hour: 22 }, // 22:00 NDT is 00:30 UTC the day after
];

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`baselines and anomalies on ${engine}`, () => {
    let ctx: ServiceContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await openEnginePlatform(engine));
    });
    afterAll(() => close?.());

    for (const { zone, hour } of ZONES) {
      it(`computes 90-, 30- and 7-day baselines over the user's local days in ${zone}, as NumPy does`, async () => {
        const user = await aUser(ctx, { timezone: zone });
        const samples = [
          ...daily(zone, 'resting_heart_rate', addDays(AS_OF, -90), RHR.values, hour),
          ...daily(zone, 'hrv_rmssd', addDays(AS_OF, -30), HRV.values, hour),
          ...daily(zone, 'steps', addDays(AS_OF, -7), STEPS.values, hour),
          // Outside every window: the day before the 90 days, and asOf itself (a day in progress).
          { metricType: 'resting_heart_rate', value: 190, recordedAt: atLocal(zone, addDays(AS_OF, -91), hour) },
          { metricType: 'resting_heart_rate', value: 25, recordedAt: atLocal(zone, AS_OF, hour) },
          { metricType: 'hrv_rmssd', value: 250, recordedAt: atLocal(zone, AS_OF, hour) },
        ];
        await ingestSamples(ctx, user.id, samples, { source: 'ring' });

        const report = await baselines(ctx, user.id, { asOf: AS_OF });
        expect(report).toMatchObject({ asOf: AS_OF, timezone: zone });
        const find = (metricType: string, windowDays: number) =>
          report.baselines.find((b) => b.metricType === metricType && b.windowDays === windowDays)!;
        for (const [metricType, windowDays, ref] of [
          ['resting_heart_rate', 90, RHR],
          ['hrv_rmssd', 30, HRV],
          ['steps', 7, STEPS],
        ] as const) {
          const baseline = find(metricType, windowDays);
          expect(baseline, `${metricType} ${windowDays}d`).toMatchObject({
            n: ref.values.length,
            coverage: 1,
            from: addDays(AS_OF, -windowDays),
            to: addDays(AS_OF, -1),
            samples: ref.values.length,
            sources: ['ring'],
          });
          for (const key of ['mean', 'median', 'sd', 'mad', 'p10', 'p90'] as const)
            expectClose(baseline[key], ref[key], `${metricType} ${key}`);
        }
        // The 7-day window of a 30-day series holds its last 7 days only.
        expect(find('hrv_rmssd', 7)).toMatchObject({ n: 7, from: addDays(AS_OF, -7) });
        expect(find('hrv_rmssd', 7).median).toBe([...HRV.values.slice(-7)].sort((a, b) => a - b)[3]);
      });
    }

    it('flags a day far from the personal baseline with the modified z-score SciPy gives, once', async () => {
      const zone = 'Pacific/Auckland';
      const user = await aUser(ctx, { timezone: zone });
      await ingestSamples(ctx, user.id, daily(zone, 'resting_heart_rate', addDays(AS_OF, -90), RHR.values, 7), { source: 'ring' });
      await ingestSamples(ctx, user.id, [{ metricType: 'resting_heart_rate', value: 75.5, recordedAt: atLocal(zone, AS_OF, 7) }], {
        source: 'ring',
      });

      const query = { from: AS_OF, to: AS_OF, baselineDays: 90 };
      const first = await detectAnomalies(ctx, user.id, query);
      expect(first.anomalies).toHaveLength(1);
      const [anomaly] = first.anomalies;
      expect(anomaly).toMatchObject({
        metricType: 'resting_heart_rate',
        date: AS_OF,
        kind: 'statistical',
        direction: 'high',
        value: 75.5,
        threshold: 3.5,
        baseline: { windowDays: 90, from: addDays(AS_OF, -90), to: addDays(AS_OF, -1), n: 90 },
        rule: null,
      });
      expectClose(anomaly!.score, RHR.modifiedZ['75.5']!, 'modified z');
      expectClose(anomaly!.baseline!.median, RHR.median, 'baseline median');
      expectClose(anomaly!.baseline!.mad, RHR.mad, 'baseline MAD');
      expect(anomaly!.severity).toBe(Math.abs(RHR.modifiedZ['75.5']!) >= 7 ? 'critical' : 'warning');

      const again = await detectAnomalies(ctx, user.id, query);
      expect(again.anomalies.map((a) => [a.id, a.detectedAt])).toEqual([[anomaly!.id, anomaly!.detectedAt]]);
      const events = await ctx.sql.query<{ payload: { id: string; score: number } }>(
        `SELECT payload FROM "DomainEvent" WHERE "workspaceId" = $1 AND type = 'anomaly.detected' AND payload->>'userId' = $2`,
        [ctx.workspaceId, user.id],
      );
      expect(events.map((e) => e.payload.id)).toEqual([anomaly!.id]);
      expect(events[0]!.payload.score).toBe(anomaly!.score);
    });

    it('does not judge a day against a baseline of fewer days than minBaselineDays', async () => {
      const user = await aUser(ctx, { timezone: 'UTC' });
      const values = [58, 59, 57, 58, 120];
      await ingestSamples(ctx, user.id, daily('UTC', 'resting_heart_rate', addDays(AS_OF, -4), values, 7), { source: 'ring' });
      const report = await detectAnomalies(ctx, user.id, { from: AS_OF, to: AS_OF });
      // 120 bpm at rest is past the clinical limit whatever the baseline; no statistical finding on 4 days.
      expect(report.anomalies.map((a) => [a.kind, a.severity, a.threshold])).toEqual([['clinical', 'warning', 100]]);
      const lenient = await detectAnomalies(ctx, user.id, { from: AS_OF, to: AS_OF, minBaselineDays: 3 });
      expect(lenient.anomalies.map((a) => a.kind).sort()).toEqual(['clinical', 'statistical']);
    });

    it('applies clinical limits to the reading that matters: a level 2 hypoglycaemia hidden in a normal daily mean', async () => {
      const user = await aUser(ctx, { timezone: 'America/St_Johns' });
      const day = '2025-06-20';
      const readings = [140, 130, 50, 120, 135].map((value, i) => ({
        metricType: 'blood_glucose',
        value,
        recordedAt: atLocal('America/St_Johns', day, 8 + i * 3),
      }));
      const spo2 = [88, 89, 90].map((value, i) => ({ metricType: 'spo2', value, recordedAt: atLocal('America/St_Johns', day, 1 + i) }));
      await ingestSamples(ctx, user.id, [...readings, ...spo2], { source: 'cgm' });

      const report = await detectAnomalies(ctx, user.id, { from: day, to: day });
      const byMetric = Object.fromEntries(report.anomalies.map((a) => [a.metricType, a]));
      expect(byMetric['blood_glucose']).toMatchObject({
        kind: 'clinical',
        direction: 'low',
        severity: 'critical',
        value: 50,
        threshold: 54,
      });
      expect(byMetric['blood_glucose']!.rule).toMatchObject({ on: 'min', label: expect.stringContaining('level 2 hypoglycaemia') });
      expect(byMetric['spo2']).toMatchObject({ kind: 'clinical', direction: 'low', severity: 'critical', value: 89, threshold: 90 });
      expect(report.anomalies).toHaveLength(2);
    });
  });
}
