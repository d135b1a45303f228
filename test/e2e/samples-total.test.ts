import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aUser, pushSamples, samples } from '../factories/index.js';

/** The total of the first page of a user's samples, as a REST client reads it by default. */
async function firstPageTotal(t: TestServer, userId: string, query = ''): Promise<number> {
  const page = await t.api('GET', `/v1/users/${userId}/health?limit=1${query}`);
  expect(page.status).toBe(200);
  return page.body.total as number;
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`the first page's total of a user's samples on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('counts exactly what is stored, per metric type and source, and again after corrections and duplicates', async () => {
      const userId = (await aUser(t)).id;
      await pushSamples(t, userId, samples({ every: '1min', for: '3h' }), 'watch');
      await pushSamples(t, userId, samples({ metricType: 'steps', every: '1h', for: '2d', value: 100 }), 'phone');
      expect(await firstPageTotal(t, userId)).toBe(180 + 48);
      expect(await firstPageTotal(t, userId, '&metricType=steps')).toBe(48);
      expect(await firstPageTotal(t, userId, '&source=watch')).toBe(180);
      // A correction (same key, other value) and a duplicate change no count.
      await pushSamples(t, userId, samples({ metricType: 'steps', every: '1h', for: '2h', value: 250 }), 'phone');
      await pushSamples(t, userId, samples({ every: '1min', for: '1h' }), 'watch');
      expect(await firstPageTotal(t, userId)).toBe(180 + 48);
      // A window counts the samples in it.
      expect(await firstPageTotal(t, userId, '&source=watch&from=2025-06-10T08:00:00Z&to=2025-06-10T09:00:00Z')).toBe(60);
    });

    it('stays exact while samples are ingested concurrently: never above what is stored, and exact once ingestion ends', async () => {
      const userId = (await aUser(t)).id;
      const batches = Array.from({ length: 8 }, (_, index) =>
        samples({ every: '1min', for: '2h', from: new Date(Date.UTC(2025, 5, 1 + index, 6)).toISOString() }),
      );
      let committed = 0;
      const seen: { total: number; committedBefore: number }[] = [];
      const writers = Promise.all(
        batches.map(async (batch) => {
          const pushed = await pushSamples(t, userId, batch);
          committed += pushed.inserted;
        }),
      );
      let writing = true;
      void writers.finally(() => (writing = false));
      while (writing) {
        const committedBefore = committed;
        const total = await firstPageTotal(t, userId);
        seen.push({ total, committedBefore });
      }
      await writers;
      expect(seen.length).toBeGreaterThan(0);
      // A total counts whole pushes only (each commits with its rollups), at least what had committed before the read.
      for (const { total, committedBefore } of seen) {
        expect(total % 120, `total ${total}`).toBe(0);
        expect(total).toBeGreaterThanOrEqual(committedBefore);
        expect(total).toBeLessThanOrEqual(8 * 120);
      }
      expect(await firstPageTotal(t, userId)).toBe(8 * 120);
    });
  });
}
