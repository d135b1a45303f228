import type { ServiceContext } from '../context.js';
import { NotFound } from '../lib/errors.js';
import type { JobState } from './port.js';

/** A job of the caller's workspace, whichever engine runs it. */
export async function getJob(ctx: ServiceContext, jobId: string): Promise<JobState> {
  const state = await ctx.jobs.status(jobId);
  if (!state || state.workspaceId !== ctx.workspaceId) throw new NotFound(`job ${jobId} not found`);
  return state;
}
