import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { ingestSamples } from '../../src/health/ingest.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { updateUser } from '../../src/users/users.js';
import { aUser, seeded } from '../factories/index.js';
import { openTestPlatform } from '../helpers/platform.js';

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
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ database, ctx, close } = await openTestPlatform());
  });
  afterAll(() => close?.());

  /** Per-day count, sum, min, max recomputed from the raw samples: what the rollups must equal. */
  async function rawDays(userId: string, timezone: string) {
    return database.query(
      `SELECT to_char(("recordedAt" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, source, count(*)::int AS count, sum(value) AS sum, min(value) AS min, max(value) AS max
       FROM "HealthSample" WHERE "userId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [userId, timezone],
    );
  }
  async function rolledDays(userId: string) {
    return database.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, source, count, sum, min, max FROM "DailyRollup" WHERE "userId" = $1 ORDER BY 1, 2`,
      [userId],
    );
  }
  async function rolledQuarterHoursAsDays(userId: string, timezone: string) {
    return database.query(
      `SELECT to_char(("bucketStart" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS day, source, sum(count)::int AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max
       FROM "HealthRollup" WHERE "userId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [userId, timezone],
    );
  }

  it('equal the raw samples after overlapping, repeated and multi-source ingests, counting only inserted rows', async () => {
    const userId = (await aUser(ctx, { timezone: 'Europe/Berlin' })).id;
    const random = seeded(7);
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
    expect(await rolledDays(userId)).toEqual(await rawDays(userId, 'Europe/Berlin'));
    expect(await rolledQuarterHoursAsDays(userId, 'Europe/Berlin')).toEqual(await rawDays(userId, 'Europe/Berlin'));
  });

  it('re-cut the daily rollups into the new days when the user moves to another time zone', async () => {
    const userId = (await aUser(ctx, { timezone: 'Europe/Berlin' })).id;
    await ingestSamples(ctx, userId, heartRates(seeded(7), 400), { source: 'oura' });
    await ingestSamples(ctx, userId, heartRates(seeded(9), 400), { source: 'fitbit' });
    expect(await rolledDays(userId)).toEqual(await rawDays(userId, 'Europe/Berlin'));
    await updateUser(ctx, userId, { timezone: 'Asia/Kathmandu' });
    expect(await rolledDays(userId)).not.toEqual(await rawDays(userId, 'Europe/Berlin'));
    expect(await rolledDays(userId)).toEqual(await rawDays(userId, 'Asia/Kathmandu'));
    await ingestSamples(ctx, userId, heartRates(seeded(11), 300), { source: 'fitbit' });
    expect(await rolledDays(userId)).toEqual(await rawDays(userId, 'Asia/Kathmandu'));
  });

  it("take a corrected value (a day's total growing between syncs) over the old one, with exact rollups and records", async () => {
    const userId = (await aUser(ctx, { timezone: 'Asia/Kathmandu' })).id;
    const day = new Date(Date.UTC(2025, 3, 10, 22, 0)); // local midnight in Kathmandu is 18:15Z; 22:00Z is that day
    const total = (value: number) => [{ metricType: 'steps', value, recordedAt: day, endAt: new Date(day.getTime() + 3_600_000) }];
    const first = await ingestSamples(ctx, userId, total(4000), { source: 'oura' });
    expect(first).toMatchObject({ inserted: 1, updated: 0, duplicates: 0 });
    const grown = await ingestSamples(ctx, userId, total(9500), { source: 'oura' });
    expect(grown).toMatchObject({ inserted: 0, updated: 1, duplicates: 0 });
    const again = await ingestSamples(ctx, userId, total(9500), { source: 'oura' });
    expect(again).toMatchObject({ inserted: 0, updated: 0, duplicates: 1 });
    const stored = await database.query<{ value: number }>(
      `SELECT value FROM "HealthSample" WHERE "userId" = $1 AND "metricType" = 'steps'`,
      [userId],
    );
    expect(stored.map((row) => row.value)).toEqual([9500]);
    expect(await rolledDays(userId)).toEqual(await rawDays(userId, 'Asia/Kathmandu'));
    expect(await rolledQuarterHoursAsDays(userId, 'Asia/Kathmandu')).toEqual(await rawDays(userId, 'Asia/Kathmandu'));
    const record = await database.query<{ value: number }>(
      `SELECT value FROM "PersonalRecord" WHERE "userId" = $1 AND "metricType" = 'steps'`,
      [userId],
    );
    expect(record.map((row) => row.value)).toEqual([9500]);
  });

  it('keep the later of two samples with one key in a single batch', async () => {
    const userId = (await aUser(ctx, { timezone: 'Asia/Kathmandu' })).id;
    const at = new Date(Date.UTC(2025, 3, 11, 8, 0));
    const result = await ingestSamples(
      ctx,
      userId,
      [
        { metricType: 'weight', value: 70, recordedAt: at },
        { metricType: 'weight', value: 71, recordedAt: at },
      ],
      { source: 'withings' },
    );
    expect(result).toMatchObject({ inserted: 1, duplicates: 1 });
    const stored = await database.query<{ value: number }>(
      `SELECT value FROM "HealthSample" WHERE "userId" = $1 AND "metricType" = 'weight'`,
      [userId],
    );
    expect(stored.map((row) => row.value)).toEqual([71]);
    expect(await rolledDays(userId)).toEqual(await rawDays(userId, 'Asia/Kathmandu'));
  });

  it('cut days exactly in a zone whose old offset is not whole quarter hours (Monrovia 1960, -00:44:30)', async () => {
    const userId = (await aUser(ctx, { timezone: 'Africa/Monrovia' })).id;
    // Every minute for two hours around the local midnight of 1960-01-02 (00:44:30 UTC): a quarter-hour bucket
    // straddles that midnight, so its samples must be cut one by one.
    const start = Date.UTC(1960, 0, 1, 23, 44);
    const samples = Array.from({ length: 120 }, (_, i) => ({
      metricType: 'heart_rate',
      value: 60 + (i % 7),
      recordedAt: new Date(start + i * 60_000),
    }));
    expect((await ingestSamples(ctx, userId, samples, { source: 'history' })).inserted).toBe(120);
    const days = await rolledDays(userId);
    expect(days).toEqual(await rawDays(userId, 'Africa/Monrovia'));
    expect(days.map((row: any) => row.count)).toEqual([60 + 1, 59]);
  });
});
