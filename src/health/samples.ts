import type { ServiceContext } from '../context.js';
import type { HealthSample, Prisma } from '../generated/prisma/client.js';
import { BadRequest } from '../lib/errors.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { requireMetricType } from './metric-types.js';
import { countSamplesFromRollups, fetchSamplePageWithTotal, fetchSampleWindow, type SampleSelection } from './sample-page-sql.js';

export interface SampleFilter {
  metricTypes?: string[] | null;
  from?: Date | null;
  to?: Date | null;
  source?: string | null;
}

export function assertWindow(from?: Date | null, to?: Date | null): void {
  if (from && to && from.getTime() >= to.getTime()) throw new BadRequest('from must be before to');
}

function sampleWhere(selection: SampleSelection): Prisma.HealthSampleWhereInput {
  const { userId, metricTypes, source, from, to } = selection;
  return {
    userId,
    ...(metricTypes ? { metricType: { in: metricTypes } } : {}),
    ...(source ? { source } : {}),
    ...(from || to ? { recordedAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
  };
}

/** Raw samples in time order (then id), every source with its provenance; keyset pages on (recordedAt, id). */
export async function listSamples(ctx: ServiceContext, userId: string, filter: SampleFilter, args: PageArgs): Promise<Page<HealthSample>> {
  const user = await getUser(ctx, userId);
  assertWindow(filter.from, filter.to);
  const metricTypes = filter.metricTypes?.length ? filter.metricTypes.map((id) => requireMetricType(id).id) : null;
  const selection = { userId: user.id, metricTypes, source: filter.source ?? null, from: filter.from ?? null, to: filter.to ?? null };
  return paginate(args, {
    list: `samples:${user.id}`,
    // A window is counted with COUNT(*); the rollups hold whole days only.
    count: () =>
      filter.from || filter.to ? ctx.db.healthSample.count({ where: sampleWhere(selection) }) : countSamplesFromRollups(ctx, selection),
    fetch: (window) => fetchSampleWindow(ctx, selection, window),
    ...(filter.from || filter.to ? {} : { fetchWithTotal: (window) => fetchSamplePageWithTotal(ctx, selection, window) }),
    keyOf: (sample) => [sample.recordedAt.toISOString(), sample.id],
  });
}
