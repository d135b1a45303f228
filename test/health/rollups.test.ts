import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { ingestSamples } from '../../src/health/ingest.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { createOrFindUser, updateUser } from '../../src/users/users.js';
import { openTestPlatform } from '../helpers/platform.js';

/** A deterministic PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

function heartRates(random: () => number, count: number): SampleInput[] {
  const start = Date.UTC(2025, 2, 28);
  return Array.from({ length: count }, () => ({
    metricType: 'heart_rate',
    value: 50 + Math.round(random() * 100),
    // Four days around the Berlin DST change, on a 5-minute grid so repeats collide on the natural key.
    recordedAt: new Date(start + Math.floor(random() * 4 * 288) * 300_000),
  }));
}

describe('rollups', () => {
  let database: Database;
  let ctx: ServiceContext;
  let userId: string;

  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ database, ctx, close } = await openTestPlatform());
    userId = (await createOrFindUser(ctx, 'u', { timezone: 'Europe/Berlin' })).user.id;
  });
  afterAll(() => close?.());

  /** Per-day count, sum, min, max recomputed from the raw samples: what the rollups must equal. */
  async function rawDays(timezone: string) {
    return database.query(
      `SELECT to_char(("recordedAt" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, source, count(*)::int AS count, sum(value) AS sum, min(value) AS min, max(value) AS max
       FROM "HealthSample" WHERE "userId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [userId, timezone],
    );
  }
  async function rolledDays() {
    return database.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, source, count, sum, min, max FROM "DailyRollup" WHERE "userId" = $1 ORDER BY 1, 2`,
      [userId],
    );
  }
  async function rolledQuarterHoursAsDays(timezone: string) {
    return database.query(
      `SELECT to_char(("bucketStart" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, source, sum(count)::int AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max
       FROM "HealthRollup" WHERE "userId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [userId, timezone],
    );
  }

  it('equal the raw samples after overlapping, repeated and multi-source ingests, counting only inserted rows', async () => {
    const random = prng(7);
    let inserted = 0;
    let duplicates = 0;
    for (let round = 0; round < 6; round++) {
      const batch = heartRates(random, 400);
      const result = await ingestSamples(ctx, userId, batch, { source: round % 3 === 0 ? 'oura' : 'fitbit' });
      inserted += result.inserted;
      duplicates += result.duplicates;
    }
    expect(duplicates).toBeGreaterThan(0);
    const stored = await database.query<{ n: number }>('SELECT count(*)::int AS n FROM "HealthSample" WHERE "userId" = $1', [userId]);
    expect(stored[0]!.n).toBe(inserted);
    expect(await rolledDays()).toEqual(await rawDays('Europe/Berlin'));
    expect(await rolledQuarterHoursAsDays('Europe/Berlin')).toEqual(await rawDays('Europe/Berlin'));
  });

  it('re-cut the daily rollups into the new days when the user moves to another time zone', async () => {
    await updateUser(ctx, userId, { timezone: 'Asia/Kathmandu' });
    expect(await rolledDays()).toEqual(await rawDays('Asia/Kathmandu'));
    await ingestSamples(ctx, userId, heartRates(prng(11), 300), { source: 'fitbit' });
    expect(await rolledDays()).toEqual(await rawDays('Asia/Kathmandu'));
  });
});
