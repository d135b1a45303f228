import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import type { JobStatus } from '../jobs/port.js';
import { Conflict } from '../lib/errors.js';

/**
 * One backfill or manual sync per connection at a time (API6): the connection names the last one it started
 * (`syncJobId`), and a request for another while that job is unfinished is a 409 naming it, on either engine.
 */
const UNFINISHED: readonly JobStatus[] = ['queued', 'running', 'retrying'];

/** A claim the engine does not know yet is a start on its way; past this age it is a start that never happened. */
const CLAIM_GRACE_MS = 60_000;

/** The connection's backfill or manual sync that has not finished, if any. */
export async function unfinishedSync(ctx: ServiceContext, connection: Connection): Promise<string | null> {
  if (!connection.syncJobId) return null;
  const job = await ctx.jobs.status(connection.syncJobId);
  if (job) return UNFINISHED.includes(job.status) ? connection.syncJobId : null;
  const claimedAt = connection.syncJobAt?.getTime() ?? 0;
  return ctx.clock.now().getTime() - claimedAt < CLAIM_GRACE_MS ? connection.syncJobId : null;
}

function alreadySyncing(connectionId: string, jobId: string): Conflict {
  const conflict = new Conflict(
    `connection ${connectionId} is already syncing: job ${jobId} has not finished; follow it at GET /v1/jobs/${encodeURIComponent(jobId)}`,
  );
  conflict.details = { jobId };
  return conflict;
}

/** Claims the connection for a new sync under `jobId`, or throws the 409 that names the sync still running. */
export async function claimSync(ctx: ServiceContext, connection: Connection, jobId: string): Promise<void> {
  const running = await unfinishedSync(ctx, connection);
  if (running) throw alreadySyncing(connection.id, running);
  // Compare-and-set on the claim just read: of two requests racing past the check, only one moves it.
  const claimed = await ctx.db.connection.updateMany({
    where: { id: connection.id, syncJobId: connection.syncJobId },
    data: { syncJobId: jobId, syncJobAt: ctx.clock.now() },
  });
  if (claimed.count === 1) return;
  const current = await ctx.db.connection.findUniqueOrThrow({ where: { id: connection.id }, select: { syncJobId: true } });
  throw alreadySyncing(connection.id, current.syncJobId ?? jobId);
}
