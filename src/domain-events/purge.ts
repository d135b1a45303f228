import type { Database } from '../db/client.js';

/**
 * Removes dispatched domain events older than the retention (their receipts go with them by the foreign key).
 * Undispatched events are kept whatever their age: a consumer has not had them yet.
 */
export async function purgeDispatchedEvents(database: Pick<Database, 'query'>, retentionDays: number, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  const rows = await database.query<{ count: string }>(
    `WITH gone AS (DELETE FROM "DomainEvent" WHERE "dispatchedAt" < $1::timestamptz RETURNING 1) SELECT count(*)::text AS count FROM gone`,
    [cutoff.toISOString()],
  );
  return Number(rows[0]?.count ?? 0);
}
