import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

const START = Date.UTC(2026, 5, 1);
/** Three days of heart rate every 30 s, and a few samples only one writer has. */
const shared = Array.from({ length: 8_640 }, (_, i) => ({
  metricType: 'heart_rate',
  value: 50 + (i % 60),
  recordedAt: new Date(START + i * 30_000),
}));
const ownOf = (writer: number) => [{ metricType: 'heart_rate', value: 99, recordedAt: new Date(START + writer * 1_000 + 7) }];

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`concurrent ingests of the same samples on ${engine}`, () => {
    let ctx: ServiceContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await openEnginePlatform(engine));
    });
    afterAll(() => close?.());

    it('store each sample once, count the rest as duplicates, and keep the rollups equal to the samples', async () => {
      const user = await aUser(ctx, { timezone: 'Europe/Berlin' });
      // Four writers at once (a backfill, a retry, a push and an import of the same days): each sees an empty span.
      const writers = [0, 1, 2, 3];
      const results = await Promise.all(
        writers.map((writer) => ingestSamples(ctx, user.id, [...shared, ...ownOf(writer)], { source: 'garmin' })),
      );

      const unique = shared.length + writers.length;
      expect(results.reduce((total, result) => total + result.inserted, 0)).toBe(unique);
      expect(results.reduce((total, result) => total + result.duplicates, 0)).toBe((writers.length - 1) * shared.length);
      expect(results.every((result) => result.rejected.length === 0 && result.updated === 0)).toBe(true);

      const stored = await ctx.db.healthSample.count({ where: { userId: user.id } });
      const quarterHours = await ctx.db.healthRollup.aggregate({ where: { userId: user.id }, _sum: { count: true } });
      const days = await ctx.db.dailyRollup.aggregate({ where: { userId: user.id }, _sum: { count: true } });
      expect(stored).toBe(unique);
      expect(quarterHours._sum.count).toBe(unique);
      expect(days._sum.count).toBe(unique);
    });
  });
}
