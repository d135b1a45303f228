import type { Db } from '../db/client.js';
import type { JobRunner } from '../jobs/port.js';
import { log } from '../lib/logger.js';
import { startDeliveries } from './webhook-consumer.js';

/** A pending delivery this late has no workflow on it (a crash between its commit and its start): start it. */
const OVERDUE_SECONDS = 120;
const SWEEP_EVERY_MS = 60_000;
const BATCH = 500;

/** Starts the workflows of overdue pending deliveries; starting one that runs is a no-op (same job id). */
export async function sweepDeliveries(db: Db, jobs: JobRunner): Promise<number> {
  const rows = await db.$queryRawUnsafe<{ id: string; workspaceId: string }[]>(
    `SELECT id, "workspaceId" FROM "WebhookDelivery"
     WHERE status = 'pending' AND "nextAttemptAt" < now() - make_interval(secs => $1) ORDER BY "nextAttemptAt" LIMIT $2`,
    OVERDUE_SECONDS,
    BATCH,
  );
  await startDeliveries(jobs, rows);
  return rows.length;
}

/** The sweep at start (what a crash left behind) and every minute; returns its stop function. */
export function startDeliverySweep(db: Db, jobs: JobRunner): () => void {
  const run = () =>
    sweepDeliveries(db, jobs).then(
      (count) => count > 0 && log.info('restarted overdue webhook deliveries', { count }),
      (error: Error) => log.warn('webhook delivery sweep failed', { error: error.message }),
    );
  void run();
  const timer = setInterval(() => void run(), SWEEP_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
