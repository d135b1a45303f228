import type { Database, Db } from '../db/client.js';
import type { HealthSample } from '../generated/prisma/client.js';
import { requestLoader } from '../lib/loaders.js';

export interface LatestSamplesArgs {
  limit: number;
  metricType: string | null;
}

/**
 * A user's most recent samples (newest first), batched over all users of the request: one query picks the ids
 * (a LATERAL index walk per user, LIMIT each), one loads the rows. Samples have no Prisma relation to User (see
 * prisma/schema.prisma), so this replaces the relation the GraphQL layer would otherwise fold in.
 */
export function latestSamples(ctx: { db: Db; sql: Database }, userId: string, args: LatestSamplesArgs): Promise<HealthSample[]> {
  const loader = requestLoader<string, HealthSample[]>(ctx, `latestSamples:${args.limit}:${args.metricType ?? ''}`, async (userIds) => {
    const picked = await ctx.sql.query<{ id: string }>(
      `SELECT s.id FROM unnest($1::text[]) AS u(id)
       CROSS JOIN LATERAL (
         SELECT h.id FROM "HealthSample" h
         WHERE h."userId" = u.id AND ($2::text IS NULL OR h."metricType" = $2)
         ORDER BY h."recordedAt" DESC, h.id DESC LIMIT $3
       ) s`,
      [userIds, args.metricType, args.limit],
    );
    const rows = await ctx.db.healthSample.findMany({
      where: { id: { in: picked.map((row) => row.id) } },
      orderBy: [{ recordedAt: 'desc' }, { id: 'desc' }],
    });
    return userIds.map((userId) => rows.filter((row) => row.userId === userId));
  });
  return loader.load(userId);
}
