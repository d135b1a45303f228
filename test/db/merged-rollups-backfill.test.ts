import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { aUser } from '../factories/index.js';
import { openTestPlatform } from '../helpers/platform.js';

const MIGRATIONS = path.resolve(import.meta.dirname, '../../prisma/migrations');

/** The migration that created MergedDailyRollup, from its DO block on: the backfill of data stored before it. */
function backfill(): string {
  const folder = readdirSync(MIGRATIONS).find((name) => name.endsWith('_merged_daily_rollups'))!;
  const sql = readFileSync(path.join(MIGRATIONS, folder, 'migration.sql'), 'utf8');
  return sql.slice(sql.indexOf('DO $migration$'));
}

describe('the merged daily rollups migration', () => {
  let database: Database;
  let ctx: ServiceContext;
  let close: () => Promise<void>;

  beforeAll(async () => {
    ({ database, ctx, close } = await openTestPlatform());
  });
  afterAll(() => close?.());

  it('merges the days of the data stored before it as ingestion does', async () => {
    const userId = (await aUser(ctx, { timezone: 'Europe/Paris' })).id;
    const minutes = (from: string, count: number, value: number) =>
      Array.from({ length: count }, (_, i) => ({ metricType: 'steps', value, recordedAt: new Date(Date.parse(from) + i * 60_000) }));
    await ingestSamples(ctx, userId, minutes('2025-06-10T00:00:00Z', 600, 8), { source: 'phone' });
    await ingestSamples(ctx, userId, minutes('2025-06-10T06:00:00Z', 240, 10), { source: 'garmin' });
    const merged = () =>
      database.query(`SELECT to_char(day, 'YYYY-MM-DD') AS day, "metricType", sum, sources FROM "MergedDailyRollup" WHERE "userId" = $1`, [
        userId,
      ]);
    const atIngest = await merged();
    expect(atIngest).toEqual([{ day: '2025-06-10', metricType: 'steps', sum: 360 * 8 + 240 * 10, sources: ['garmin', 'phone'] }]);

    await database.query(`DELETE FROM "MergedDailyRollup" WHERE "userId" = $1`, [userId]);
    await database.execScript(backfill());
    expect(await merged()).toEqual(atIngest);
  });
});
