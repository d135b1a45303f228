import type { ServiceContext } from '../context.js';
import type { HealthSample, Prisma } from '../generated/prisma/client.js';
import { BadRequest } from '../lib/errors.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { requireMetricType } from './metric-types.js';

export interface SampleFilter {
  metricTypes?: string[] | null;
  from?: Date | null;
  to?: Date | null;
  source?: string | null;
}

export function assertWindow(from?: Date | null, to?: Date | null): void {
  if (from && to && from.getTime() >= to.getTime()) throw new BadRequest('from must be before to');
}

/**
 * The samples of a user (of some metric types, of one source) counted from the daily rollups, which ingestion,
 * corrections and deletions keep in the same transaction as the samples: the exact total of a first page in a few
 * hundred rows at any size, where COUNT(*) reads every sample (1.2 s at 11.5 M). A window falls back to COUNT(*).
 */
async function countFromRollups(
  ctx: ServiceContext,
  userId: string,
  metricTypes: string[] | null,
  source?: string | null,
): Promise<number> {
  const { _sum } = await ctx.db.dailyRollup.aggregate({
    _sum: { count: true },
    where: { userId, ...(metricTypes ? { metricType: { in: metricTypes } } : {}), ...(source ? { source } : {}) },
  });
  return _sum.count ?? 0;
}

/** Raw samples in time order (then id), every source with its provenance; keyset pages on (recordedAt, id). */
export async function listSamples(ctx: ServiceContext, userId: string, filter: SampleFilter, args: PageArgs): Promise<Page<HealthSample>> {
  const user = await getUser(ctx, userId);
  assertWindow(filter.from, filter.to);
  const metricTypes = filter.metricTypes?.length ? filter.metricTypes.map((id) => requireMetricType(id).id) : null;
  const where: Prisma.HealthSampleWhereInput = {
    userId: user.id,
    ...(metricTypes ? { metricType: { in: metricTypes } } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.from || filter.to
      ? { recordedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  };
  return paginate(args, {
    list: `samples:${user.id}`,
    count: () =>
      filter.from || filter.to ? ctx.db.healthSample.count({ where }) : countFromRollups(ctx, user.id, metricTypes, filter.source),
    fetch: ({ take, skip, after }) => {
      const afterAt = after ? new Date(String(after[0])) : null;
      // The redundant `gte` bound lets the index start at the cursor; the OR alone is a filter over every earlier row.
      const keyset: Prisma.HealthSampleWhereInput = afterAt
        ? { recordedAt: { gte: afterAt }, OR: [{ recordedAt: { gt: afterAt } }, { id: { gt: String(after![1]) } }] }
        : {};
      return ctx.db.healthSample.findMany({
        where: { AND: [where, keyset] },
        orderBy: [{ recordedAt: 'asc' }, { id: 'asc' }],
        take,
        skip: after ? 0 : skip,
      });
    },
    keyOf: (sample) => [sample.recordedAt.toISOString(), sample.id],
  });
}
