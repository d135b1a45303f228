import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import { deleteEventsAndRecords } from '../events/deletion-events.js';
import { prismaQueryable } from '../db/prisma-queryable.js';
import { rebuildMergedDays } from '../health/merged-daily-rollups.js';

// Rollups hold sums of what remains, so after removing a connection's samples they are recomputed from the rest.
const REBUILD = [
  `DELETE FROM "HealthRollup" WHERE "userId" = $1`,
  `INSERT INTO "HealthRollup" ("userId", "metricType", source, "bucketStart", count, sum, min, max, "lastAt", "lastValue")
   SELECT "userId", "metricType", source, to_timestamp(floor(extract(epoch FROM "recordedAt") / 900) * 900), count(*), sum(value),
     min(value), max(value), max("recordedAt"), (array_agg(value ORDER BY "recordedAt" DESC))[1]
   FROM "HealthSample" WHERE "userId" = $1 GROUP BY "userId", "metricType", source, 4`,
  `DELETE FROM "DailyRollup" WHERE "userId" = $1`,
  `INSERT INTO "DailyRollup" ("userId", "metricType", source, day, timezone, count, sum, min, max, "lastAt", "lastValue")
   SELECT s."userId", "metricType", source, ("recordedAt" AT TIME ZONE u.timezone)::date, u.timezone, count(*), sum(value),
     min(value), max(value), max("recordedAt"), (array_agg(value ORDER BY "recordedAt" DESC))[1]
   FROM "HealthSample" s JOIN "User" u ON u.id = s."userId" WHERE s."userId" = $1
   GROUP BY s."userId", "metricType", source, 4, u.timezone`,
];

/**
 * Deletes what one connection brought (samples, events, and the records its provider set) and recomputes the
 * user's rollups, in one transaction.
 */
export async function removeConnectionData(ctx: ServiceContext, connection: Connection): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    await tx.healthSample.deleteMany({ where: { connectionId: connection.id } });
    for (const sql of REBUILD) await tx.$executeRawUnsafe(sql, connection.userId);
    await rebuildMergedDays(prismaQueryable(tx), connection.userId);
    await deleteEventsAndRecords(ctx, tx, { connectionId: connection.id }, { userId: connection.userId, source: connection.providerId });
  });
}
