import type { ServiceContext } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { assertWindow } from '../health/samples.js';
import { getUser } from '../users/users.js';
import type { HealthEventRow } from './event-row.js';
import { EVENT_TYPES, type EventType } from './event-types.js';

export interface EventFilter {
  types?: string[] | null;
  from?: Date | null;
  to?: Date | null;
  source?: string | null;
}

/** Events in start order (then id), filtered by type, source and a window on the start; keyset pages. */
export async function listEvents(ctx: ServiceContext, userId: string, filter: EventFilter, args: PageArgs): Promise<Page<HealthEventRow>> {
  const user = await getUser(ctx, userId);
  assertWindow(filter.from, filter.to);
  for (const type of filter.types ?? []) {
    if (!EVENT_TYPES.includes(type as EventType)) throw new Invalid(`event type "${type}" must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const where: Prisma.HealthEventWhereInput = {
    userId: user.id,
    ...(filter.types?.length ? { type: { in: filter.types } } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.from || filter.to
      ? { startAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  };
  return paginate(args, {
    list: `events:${user.id}`,
    count: () => ctx.db.healthEvent.count({ where }),
    fetch: ({ take, skip, after }) => {
      const afterAt = after ? new Date(String(after[0])) : null;
      // The redundant `gte` bound lets the index start at the cursor (see health/samples.ts).
      const keyset: Prisma.HealthEventWhereInput = afterAt
        ? { startAt: { gte: afterAt }, OR: [{ startAt: { gt: afterAt } }, { id: { gt: String(after![1]) } }] }
        : {};
      return ctx.db.healthEvent.findMany({
        where: { AND: [where, keyset] },
        orderBy: [{ startAt: 'asc' }, { id: 'asc' }],
        take,
        skip: after ? 0 : skip,
      });
    },
    keyOf: (event) => [event.startAt.toISOString(), event.id],
  });
}

export async function getEvent(ctx: ServiceContext, userId: string, eventId: string): Promise<HealthEventRow> {
  const user = await getUser(ctx, userId);
  const event = await ctx.db.healthEvent.findFirst({ where: { id: eventId, userId: user.id } });
  if (!event) throw new NotFound(`event ${eventId} not found`);
  return event;
}
