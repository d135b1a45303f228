import type { ServiceContext } from '../context.js';
import { NotFound } from '../lib/errors.js';
import type { JobState } from './port.js';

/** A job of the caller's workspace, whichever engine runs it. */
export async function getJob(ctx: ServiceContext, jobId: string): Promise<JobState> {
  const owned = await ctx.db.job.findFirst({ where: { id: jobId, workspaceId: ctx.workspaceId }, select: { id: true } });
  const state = owned ? await ctx.jobs.status(jobId) : null;
  if (!state) throw new NotFound(`job ${jobId} not found`);
  return state;
}
