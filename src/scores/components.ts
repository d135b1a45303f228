import type { Weighted } from '../analytics/weighted-score.js';
import type { SignalBaseline } from '../training/readiness.js';

/** The days an area's figures are taken over: the 7 local days (nights) ending on the scored day. */
export const SCORE_WINDOW_DAYS = 7;

/** One part of an area's score, with the data behind it; weight, share and contribution as readiness gives them. */
export interface ScoreComponent extends Weighted {
  component: ScoreComponentId;
  /** The metric type, or the derived figure (sleep_minutes, sleep_efficiency, sleep_midpoint_sd, mvpa_minutes, readiness). */
  source: string;
  value: number;
  unit: string;
  /** What the value is scored against: a need, a target, a norm or a personal median, in the value's unit. */
  reference: number;
  /** Where the reference comes from, in words. */
  referenceBasis: string;
  /** The personal baseline the reference is the median of (hrv only). */
  baseline: SignalBaseline | null;
  /** Local days the value was taken over (inclusive). */
  from: string;
  to: string;
  /** Days (or nights) with a value in from–to. */
  n: number;
  /** Where the data came from: providers, or for readiness its signals. */
  sources: string[];
  subScore: number;
}

export type ScoreComponentId =
  'duration' | 'efficiency' | 'regularity' | 'steps' | 'active_minutes' | 'resting_heart_rate' | 'hrv' | 'readiness';

export type Scored = Omit<ScoreComponent, keyof Weighted>;

export const clip = (value: number) => Math.min(100, Math.max(0, value));
export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
export const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
