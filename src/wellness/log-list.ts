import type { ServiceContext } from '../context.js';
import { Invalid } from '../lib/errors.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { checkDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { dateColumn } from './logged-at.js';

/** Inclusive local days over the stored localDate. */
export interface LocalDateFilter {
  from?: string | null;
  to?: string | null;
}

interface LogRow {
  id: string;
  at: Date;
}

type Where = { userId: string; workspaceId: string; localDate?: { gte?: Date; lte?: Date } };
type Query = { where: object; orderBy: object[]; take: number; skip: number };

/**
 * A page of a user's log rows between two local days, in time order (at, then id): offset or cursor pages through
 * the one pagination helper, the cursor being the last row's (at, id).
 */
export async function listByLocalDate<Row extends LogRow, View>(
  ctx: ServiceContext,
  userId: string,
  filter: LocalDateFilter,
  args: PageArgs,
  table: { list: string; count(where: Where): Promise<number>; find(query: Query): Promise<Row[]>; view(row: Row): View },
): Promise<Page<View>> {
  const user = await getUser(ctx, userId);
  const from = filter.from == null ? null : checkDay('from', filter.from);
  const to = filter.to == null ? null : checkDay('to', filter.to);
  if (from && to && to < from) throw new Invalid('from must not be after to');
  const where: Where = {
    userId: user.id,
    workspaceId: ctx.workspaceId,
    ...(from || to ? { localDate: { ...(from ? { gte: dateColumn(from) } : {}), ...(to ? { lte: dateColumn(to) } : {}) } } : {}),
  };
  const page = await paginate(args, {
    list: `${table.list}:${user.id}:${from ?? ''}:${to ?? ''}`,
    count: () => table.count(where),
    fetch: ({ take, skip, after }) => {
      const afterAt = after ? new Date(Number(after[0])) : null;
      const later = afterAt ? { OR: [{ at: { gt: afterAt } }, { at: afterAt, id: { gt: String(after![1]) } }] } : null;
      return table.find({
        where: later ? { AND: [where, later] } : where,
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
        take,
        skip: after ? 0 : skip,
      });
    },
    keyOf: (row) => [row.at.getTime(), row.id],
  });
  return { ...page, data: page.data.map(table.view) };
}
