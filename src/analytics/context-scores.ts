import type { ServiceContext } from '../context.js';
import { computeHealthScores, type HealthScores } from '../scores/health-scores.js';
import { addDays, FIRST_DAY } from '../lib/time.js';

/**
 * The `scores` section of the LLM context: the health scores (src/scores/health-scores.ts) of the day before asOf,
 * the last complete local day (as POST …/health-scores/compute scores by default), computed on read so that they
 * follow the data rather than the last stored computation. Null when no area has data (or asOf is the first day).
 */
export type ContextScores = HealthScores | null;

export async function contextScores(ctx: ServiceContext, user: { id: string; timezone: string }, asOf: string): Promise<ContextScores> {
  const day = addDays(asOf, -1);
  // The API's days start at FIRST_DAY: its day before has no scores.
  if (day < FIRST_DAY) return null;
  const scores = await computeHealthScores(ctx, user.id, day);
  return scores.overall === null ? null : scores;
}
