import type { ServiceContext } from '../context.js';

/**
 * The `scores` section of the LLM context: the health scores of src/scores/ (built separately). This is the one
 * place they are wired in: return the user's scores as of `asOf` here, and the JSON document and its text (section
 * "scores", after readiness) carry them. Until then the section is null and the text says so.
 */
export type ContextScores = Record<string, unknown> | null;

export async function contextScores(_ctx: ServiceContext, _user: { id: string; timezone: string }, _asOf: string): Promise<ContextScores> {
  return null;
}
