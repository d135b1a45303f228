import type { ServiceContext } from '../context.js';

export interface DomainEventStats {
  /** Events of the workspace not yet received by every consumer. */
  backlog: number;
  oldestUndispatchedAt: Date | null;
  /** The relay's lag: how long the oldest undispatched event has waited (0 with no backlog). */
  lagSeconds: number;
  lastDispatchedAt: Date | null;
  /** Receipts per consumer: how many of the workspace's retained events each has handled. */
  consumers: { name: string; received: number; lastReceivedAt: Date | null }[];
}

/** Relay lag and backlog of the workspace's stream, for admins (GET /v1/domain-events/stats). */
export async function domainEventStats(ctx: ServiceContext, consumerNames: readonly string[]): Promise<DomainEventStats> {
  const [backlog] = await ctx.sql.query<{ backlog: string; oldest: Date | null; last: Date | null }>(
    `SELECT count(*) FILTER (WHERE "dispatchedAt" IS NULL)::text AS backlog,
            min("createdAt") FILTER (WHERE "dispatchedAt" IS NULL) AS oldest,
            max("dispatchedAt") AS last
     FROM "DomainEvent" WHERE "workspaceId" = $1`,
    [ctx.workspaceId],
  );
  const receipts = await ctx.sql.query<{ consumer: string; received: string; last: Date | null }>(
    `SELECT r.consumer, count(*)::text AS received, max(r."createdAt") AS last
     FROM "DomainEventReceipt" r JOIN "DomainEvent" e ON e.id = r."eventId"
     WHERE e."workspaceId" = $1 GROUP BY r.consumer`,
    [ctx.workspaceId],
  );
  const oldest = backlog?.oldest ? new Date(backlog.oldest) : null;
  const names = [...new Set([...consumerNames, ...receipts.map((row) => row.consumer)])].sort();
  return {
    backlog: Number(backlog?.backlog ?? 0),
    oldestUndispatchedAt: oldest,
    lagSeconds: oldest ? Math.max(0, (ctx.clock.now().getTime() - oldest.getTime()) / 1000) : 0,
    lastDispatchedAt: backlog?.last ? new Date(backlog.last) : null,
    consumers: names.map((name) => {
      const row = receipts.find((receipt) => receipt.consumer === name);
      return { name, received: Number(row?.received ?? 0), lastReceivedAt: row?.last ? new Date(row.last) : null };
    }),
  };
}
