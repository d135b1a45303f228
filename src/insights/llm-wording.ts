import type { InsightsLlmConfig } from '../config.js';
import { log } from '../lib/logger.js';
import type { Insight } from './insight.js';

/**
 * Optional rewording of insight sentences by any OpenAI-compatible Chat Completions endpoint (INSIGHTS_LLM_URL,
 * INSIGHTS_LLM_MODEL, INSIGHTS_LLM_API_KEY; off when unset). One request per page of insights:
 * POST {url}/chat/completions with { model, messages: [system, user], temperature: 0 } and
 * `Authorization: Bearer <key>`; the answer's choices[0].message.content must be a JSON object
 * {"sentences": [...]} with one sentence per input sentence, in order (OpenAI API reference, "Create chat
 * completion": https://platform.openai.com/docs/api-reference/chat/create).
 *
 * Only the sentence may change. A reworded sentence is used only when it keeps every number of the original and
 * stays under MAX_SENTENCE_CHARACTERS; on an error, a timeout or a malformed answer every sentence keeps
 * VitaSync's wording. The evidence, ids and confidences never change.
 */
export const MAX_SENTENCE_CHARACTERS = 400;

const SYSTEM_PROMPT =
  'You reword short health insights for the person they are about. Keep each one a single plain sentence, keep every ' +
  'number exactly as written, add no advice and no facts. Answer with a JSON object {"sentences": [...]} holding one ' +
  'sentence per input sentence, in the same order.';

const NUMBER = /-?\d+(?:\.\d+)?/g;

/** A rewording is acceptable when it keeps every number of the original and stays short. */
export function keepsFigures(original: string, reworded: unknown): reworded is string {
  if (typeof reworded !== 'string' || reworded.trim() === '' || reworded.length > MAX_SENTENCE_CHARACTERS) return false;
  const found: string[] = reworded.match(NUMBER) ?? [];
  return (original.match(NUMBER) ?? []).every((n) => found.includes(n));
}

async function askForSentences(config: InsightsLlmConfig, sentences: readonly string[]): Promise<unknown[] | null> {
  const response = await fetch(`${config.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}) },
    body: JSON.stringify({
      model: config.model,
      temperature: 0,
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: JSON.stringify({ sentences }) },
      ],
    }),
    signal: AbortSignal.timeout(config.timeoutMs),
  });
  if (!response.ok) throw new Error(`chat completions answered ${response.status}`);
  const body = (await response.json()) as { choices?: { message?: { content?: unknown } }[] };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') return null;
  const parsed = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, '')) as { sentences?: unknown };
  return Array.isArray(parsed.sentences) && parsed.sentences.length === sentences.length ? parsed.sentences : null;
}

/** The insights with their sentences reworded where the model answered acceptably; unchanged otherwise. */
export async function reworded(config: InsightsLlmConfig | null, insights: readonly Insight[]): Promise<Insight[]> {
  if (!config || insights.length === 0) return [...insights];
  let answer: unknown[] | null = null;
  try {
    answer = await askForSentences(
      config,
      insights.map((insight) => insight.deterministicSentence),
    );
  } catch (error) {
    log.warn('insight wording failed; keeping the deterministic sentences', { error: error instanceof Error ? error.name : 'unknown' });
  }
  return insights.map((insight, i) => {
    const sentence = answer?.[i];
    return keepsFigures(insight.deterministicSentence, sentence)
      ? { ...insight, sentence: sentence.trim(), wordedBy: config.model }
      : insight;
  });
}
