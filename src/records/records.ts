import type { ServiceContext } from '../context.js';
import type { PersonalRecord } from '../generated/prisma/client.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';

/** A user's personal records, optionally of one metric or event type, ordered by (metricType, kind, qualifier). */
export async function listRecords(
  ctx: ServiceContext,
  userId: string,
  metricType: string | null,
  args: PageArgs,
): Promise<Page<PersonalRecord>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id, ...(metricType ? { metricType } : {}) };
  return paginate(args, {
    list: `records:${user.id}:${metricType ?? ''}`,
    count: () => ctx.db.personalRecord.count({ where }),
    fetch: ({ take, skip, after }) =>
      ctx.db.personalRecord.findMany({
        where: after
          ? {
              AND: [
                where,
                {
                  OR: [
                    { metricType: { gt: String(after[0]) } },
                    { metricType: String(after[0]), kind: { gt: String(after[1]) } },
                    { metricType: String(after[0]), kind: String(after[1]), qualifier: { gt: String(after[2]) } },
                  ],
                },
              ],
            }
          : where,
        orderBy: [{ metricType: 'asc' }, { kind: 'asc' }, { qualifier: 'asc' }],
        take,
        skip: after ? 0 : skip,
      }),
    keyOf: (record) => [record.metricType, record.kind, record.qualifier],
  });
}
