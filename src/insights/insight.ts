import { createHash } from 'node:crypto';
import { errorFunction } from 'simple-statistics';

/**
 * An insight: one short sentence about the user's data with the evidence behind it. The sentence is VitaSync's
 * own (deterministic); an optional language model may reword it (src/insights/llm-wording.ts), never the evidence.
 */
export const INSIGHT_KINDS = ['trend', 'anomaly', 'correlation', 'record', 'sleep_debt', 'training_load'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];
export type InsightSeverity = 'info' | 'warning' | 'critical';

export interface InsightEvidence {
  /** The metric type or derived series (sleep_minutes, acwr) the insight is about; a correlation names both. */
  metrics: string[];
  /** The local days the figures come from (first and last; a single day twice). */
  from: string;
  to: string;
  /** The figures the sentence quotes, by name (weekMean, baselineMedian, z, rho…), in the metric's unit. */
  values: Record<string, number | null>;
  unit: string | null;
  /** Days, nights or workouts behind the figures. */
  n: number;
  sources: string[];
  /** The API route that shows the detail. */
  route: string;
}

export interface Insight {
  /** Stable for the same evidence: a hash of the kind and the evidence. */
  id: string;
  kind: InsightKind;
  /** The metric registry's category (heart, sleep, activity…), or training. */
  category: string;
  severity: InsightSeverity;
  /** The sentence shown: the deterministic one, or its rewording when a language model is configured and answered. */
  sentence: string;
  /** VitaSync's own sentence, always present. */
  deterministicSentence: string;
  /** "vitasync", or the model that reworded the sentence. */
  wordedBy: string;
  confidence: number;
  /** How the confidence was derived, in words. */
  confidenceBasis: string;
  evidence: InsightEvidence;
}

export type InsightDraft = Omit<Insight, 'id' | 'sentence' | 'wordedBy'>;

/** Sorted keys, so the same evidence always serialises (and hashes) the same way. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function insightId(kind: InsightKind, evidence: InsightEvidence): string {
  return 'ins_' + createHash('sha256').update(canonical({ kind, evidence })).digest('hex').slice(0, 24);
}

export function finished(draft: InsightDraft): Insight {
  return { id: insightId(draft.kind, draft.evidence), ...draft, sentence: draft.deterministicSentence, wordedBy: 'vitasync' };
}

/** Two-sided normal p-value of a z statistic: 1 − erf(|z| / √2). */
export function twoSidedP(z: number): number {
  return 1 - errorFunction(Math.abs(z) / Math.SQRT2);
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
export const clamp01 = (value: number) => Math.min(1, Math.max(0, value));

/** A number as the sentences print it: at most one decimal, no trailing zero. */
export function figure(value: number): string {
  return String(round(value, Math.abs(value) >= 100 ? 0 : 1));
}

export const SEVERITY_RANK: Record<InsightSeverity, number> = { critical: 0, warning: 1, info: 2 };
