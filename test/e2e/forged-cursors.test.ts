import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, aUser, events, pushEvents, pushSamples, samples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`forged cursors on ${engine}`, () => {
    let t: TestServer;
    /** Keyset lists with more than one page, by path, and a genuine nextCursor of each. */
    const lists: Record<string, string> = {};

    beforeAll(async () => {
      t = await startTestServer(engine);
      // Read-only from here on: every test forges cursors of these lists and none writes.
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await aUser(t, { timezone: 'Asia/Kathmandu' })).id);
      for (const id of ids.slice(0, 2)) {
        const threeDays = samples({ metricType: 'steps', from: '2025-06-01T10:00:00.000Z', every: '1d', for: '3d', value: (i) => 100 + i });
        await pushSamples(t, id, threeDays);
        await pushEvents(t, id, events(2, { startAt: '2025-06-01T06:00:00.000Z' }));
      }
      await aKey(t);
      for (const path of [
        '/v1/users',
        `/v1/users/${ids[0]}/health`,
        `/v1/users/${ids[1]}/health`,
        `/v1/users/${ids[0]}/events`,
        `/v1/users/${ids[0]}/health/daily-summaries`,
        '/v1/api-keys',
        '/v1/audit-log',
      ]) {
        const page = await t.api('GET', `${path}?limit=1`);
        expect(page.status, path).toBe(200);
        expect(page.body.nextCursor, path).toEqual(expect.any(String));
        lists[path] = page.body.nextCursor;
      }
    });
    afterAll(() => t?.close());

    async function expectRefused(path: string, cursor: string): Promise<void> {
      const response = await t.api('GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`);
      expect({ path, cursor, status: response.status }).toEqual({ path, cursor, status: 400 });
      expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('cursor') });
    }

    it('follows a genuine cursor of each list', async () => {
      for (const [path, cursor] of Object.entries(lists)) {
        expect((await t.api('GET', `${path}?limit=1&cursor=${encodeURIComponent(cursor)}`)).status, path).toBe(200);
      }
    });

    it('answers 400 with the error body, never 500, for made-up, changed and foreign cursors', async () => {
      const paths = Object.keys(lists);
      const forged = fc.oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
        fc.base64String({ minLength: 4, maxLength: 80 }),
        // A genuine cursor with one character changed, or with something appended.
        fc.tuple(fc.constantFrom(...paths), fc.nat(), fc.constantFrom('A', 'z', '0', '_', '-', '.', '=')).map(([path, at, char]) => {
          const cursor = lists[path]!;
          const i = at % cursor.length;
          const changed = cursor.slice(0, i) + char + cursor.slice(i + 1);
          return changed === cursor ? cursor + char : changed;
        }),
      );
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), forged, async (path, cursor) => {
          fc.pre(cursor.trim() !== '');
          await expectRefused(path, cursor);
        }),
        { numRuns: 60 },
      );
      // Every list refuses every other list's cursor, another user's samples included.
      for (const [path, cursor] of Object.entries(lists)) {
        for (const other of paths.filter((candidate) => candidate !== path)) await expectRefused(other, cursor);
      }
    });
  });
}
