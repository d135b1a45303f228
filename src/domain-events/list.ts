import type { ServiceContext } from '../context.js';
import type { DomainEvent, Prisma } from '../generated/prisma/client.js';
import { BadRequest, Invalid } from '../lib/errors.js';
import { isUlid } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { DOMAIN_EVENT_TYPE_NAMES, isDomainEventType } from './catalogue.js';

export interface DomainEventFilter {
  /** Only these types (the REST `type` parameter, repeatable). */
  types?: readonly string[] | null;
  /** Only events after this one (the REST `after` parameter): a consumer catching up from the last id it saw. */
  after?: string | null;
}

/** The workspace's domain events in id order (oldest first), dispatched or not, until the retention purges them. */
export function listDomainEvents(ctx: ServiceContext, filter: DomainEventFilter, args: PageArgs): Promise<Page<DomainEvent>> {
  for (const type of filter.types ?? []) {
    if (!isDomainEventType(type)) throw new Invalid(`type "${type}" must be one of ${DOMAIN_EVENT_TYPE_NAMES.join(', ')}`);
  }
  if (filter.after != null && !isUlid(filter.after)) throw new BadRequest(`after "${filter.after}" must be a domain event id (a ULID)`);
  const where: Prisma.DomainEventWhereInput = {
    workspaceId: ctx.workspaceId,
    ...(filter.types?.length ? { type: { in: [...filter.types] } } : {}),
    ...(filter.after ? { id: { gt: filter.after } } : {}),
  };
  return paginate(args, {
    list: `domain-events:${ctx.workspaceId}:${[...(filter.types ?? [])].sort().join(',')}:${filter.after ?? ''}`,
    count: () => ctx.db.domainEvent.count({ where }),
    fetch: (window) => ctx.db.domainEvent.findMany(idOrderedWindow(where, window)),
    keyOf: (event) => [event.id],
  });
}
