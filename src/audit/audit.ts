import type { ServiceContext } from '../context.js';
import type { AuditEvent, Prisma } from '../generated/prisma/client.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import type { AuditAction } from './actions.js';

/** Who acts: the request's API key, when there is one (set by the GraphQL layer). */
export interface Actor {
  keyId: string | null;
  requestId: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  targetType: string;
  targetId: string;
  /** Identifiers and flags only — never secrets or health values. */
  details?: Record<string, string | number | boolean | null | string[]>;
}

type AuditContext = Pick<ServiceContext, 'db' | 'workspaceId' | 'actor'>;

/** The row of an entry, for batch transactions that create it alongside the change. */
export function auditData(ctx: AuditContext, entry: AuditEntry): Prisma.AuditEventUncheckedCreateInput {
  return {
    id: newId(),
    workspaceId: ctx.workspaceId,
    action: entry.action,
    actorKeyId: ctx.actor?.keyId ?? null,
    targetType: entry.targetType,
    targetId: entry.targetId,
    details: (entry.details ?? {}) as Prisma.InputJsonObject,
    requestId: ctx.actor?.requestId ?? null,
  };
}

/** Appends one entry. Pass the transaction's client so the entry commits with the change it records. */
export async function recordAudit(ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await ctx.db.auditEvent.create({ data: auditData(ctx, entry) });
}

export function listAuditEvents(ctx: ServiceContext, filter: { action?: string | null }, args: PageArgs): Promise<Page<AuditEvent>> {
  const where = { workspaceId: ctx.workspaceId, ...(filter.action ? { action: filter.action } : {}) };
  return paginate(args, {
    list: `audit:${ctx.workspaceId}:${filter.action ?? ''}`,
    count: () => ctx.db.auditEvent.count({ where }),
    fetch: (window) => ctx.db.auditEvent.findMany(idOrderedWindow(where, window)),
    keyOf: (event) => [event.id],
  });
}
