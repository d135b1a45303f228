import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asKey, aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Keyset pages promise that a client walking a list with nextCursor sees every row that existed when it started
 * exactly once, however many rows are written meanwhile. Writes land between page fetches and while one is in
 * flight; rows written during the walk may or may not be seen, but never twice.
 */
interface Write {
  /** Before fetching which page (counted from 0; later than the last page means never). */
  page: number;
  /** Sent together with that page's request instead of before it. */
  concurrent: boolean;
  count: number;
}

const writes = fc.array(
  fc.record({ page: fc.integer({ min: 0, max: 12 }), concurrent: fc.boolean(), count: fc.integer({ min: 1, max: 3 }) }),
  { maxLength: 8 },
);

/** Walks a list with cursor pages of `limit`, running the writes planned for each page; returns the ids seen. */
async function walk(
  t: TestServer,
  path: string,
  key: string,
  limit: number,
  plan: Write[],
  write: (count: number) => Promise<void>,
): Promise<string[]> {
  const seen: string[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 200; page++) {
    const due = plan.filter((w) => w.page === page);
    for (const w of due.filter((w) => !w.concurrent)) await write(w.count);
    const fetched = t.api('GET', `${path}?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
    const [response] = await Promise.all([fetched, ...due.filter((w) => w.concurrent).map((w) => write(w.count))]);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    seen.push(...response.body.data.map((row: { id: string }) => row.id));
    cursor = response.body.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error(`${path} did not end within 200 pages`);
}

function expectEachOnce(seen: string[], before: string[]): void {
  const counts = new Map<string, number>();
  for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect(
    [...counts].filter(([, n]) => n > 1),
    'rows seen twice',
  ).toEqual([]);
  expect(
    before.filter((id) => !counts.has(id)),
    'rows skipped',
  ).toEqual([]);
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`cursor pages under concurrent writes on ${engine}`, () => {
    let t: TestServer;
    let runs = 0;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('GET /v1/users sees every user that existed before the walk exactly once while users are created', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 1, max: 6 }), writes, async (existing, limit, plan) => {
          // A workspace per run: the users list is the workspace's.
          const { adminKey } = await t.newWorkspace(`pages-${++runs}`);
          const createUsers = async (count: number) => {
            // Each aUser asserts its 201.
            await Promise.all(Array.from({ length: count }, () => aUser(asKey(t, adminKey))));
          };
          await createUsers(existing);
          const before = (await t.api('GET', '/v1/users?limit=500', { key: adminKey })).body.data.map((user: { id: string }) => user.id);
          expect(before).toHaveLength(existing);
          expectEachOnce(await walk(t, '/v1/users', adminKey, limit, plan, createUsers), before);
        }),
        { numRuns: 10 },
      );
    });

    it('GET /v1/users/:id/health sees every sample that existed before the walk exactly once while samples are written anywhere in time', async () => {
      const start = Date.UTC(2025, 5, 1);
      // Few distinct instants, so new samples share timestamps with stored ones (the id breaks the tie) and some
      // re-send a stored key with another value (a correction: the same row, updated in place).
      const instant = fc.integer({ min: 0, max: 11 }).map((slot) => new Date(start + slot * 3600e3).toISOString());
      const sample = fc.record({
        recordedAt: instant,
        device: fc.constantFrom('watch', 'ring', 'phone'),
        value: fc.integer({ min: 1, max: 5000 }),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(sample, { maxLength: 25 }),
          fc.integer({ min: 1, max: 6 }),
          writes,
          fc.infiniteStream(sample),
          async (existing, limit, plan, later) => {
            const userId = (await aUser(t)).id;
            const path = `/v1/users/${userId}/health`;
            const push = async (samples: { recordedAt: string; device: string; value: number }[]) => {
              const response = await t.api('POST', path, { body: { samples: samples.map((s) => ({ metricType: 'steps', ...s })) } });
              expect(response.status, JSON.stringify(response.body)).toBe(201);
            };
            if (existing.length) await push(existing);
            const before = (await t.api('GET', `${path}?limit=500`)).body.data.map((row: { id: string }) => row.id);
            const writeSamples = (count: number) => push([...later.take(count)]);
            expectEachOnce(await walk(t, path, t.adminKey, limit, plan, writeSamples), before);
          },
        ),
        { numRuns: 15 },
      );
    });
  });
}
