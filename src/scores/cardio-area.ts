import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { modifiedZScore } from '../analytics/statistics.js';
import type { DailySummary } from '../health/daily-summaries.js';
import { addDays } from '../lib/time.js';
import { BASELINE_DAYS, MIN_BASELINE_DAYS } from '../training/readiness.js';
import { clip, mean, round, SCORE_WINDOW_DAYS, type Scored } from './components.js';

/**
 * Cardio, 0–100, over the 7 local days ending on the scored day:
 *
 * | component | value | sub-score | weight |
 * |---|---|---|---|
 * | resting_heart_rate | mean daily resting HR, bpm | 100 − 2.5 × (HR − 60): 60 bpm or less 100, 100 bpm 0 (AHA: 60–100 bpm is normal for adults, lower within it is better) | 50% |
 * | hrv | mean daily hrv_rmssd, ms, against the 30 days before the 7 | 50 + 25 × z, z the modified z-score (as readiness; 50 = the user's usual) | 50% |
 *
 * VO2max is not scored: ACSM's norms are by age and sex, which VitaSync does not keep about a user.
 */
export const CARDIO_WEIGHTS = { resting_heart_rate: 0.5, hrv: 0.5 } as const;
export const CARDIO_METRICS = ['resting_heart_rate', 'hrv_rmssd'] as const;
/** Days of data the cardio area reads: the window and the HRV baseline before it. */
export const CARDIO_HISTORY_DAYS = SCORE_WINDOW_DAYS + BASELINE_DAYS;

export function cardioComponents(days: readonly DailySummary[], asOf: string): Scored[] {
  const from = addDays(asOf, 1 - SCORE_WINDOW_DAYS);
  const window = (metric: string) => days.filter((d) => d.metricType === metric && d.date >= from && d.date <= asOf);
  const sources = (list: readonly DailySummary[]) => [...new Set(list.flatMap((d) => d.sources))].sort();
  const found: Scored[] = [];
  const rest = window('resting_heart_rate');
  if (rest.length) {
    const value = round(mean(rest.map((d) => d.value)));
    found.push({
      component: 'resting_heart_rate',
      source: 'resting_heart_rate',
      value,
      unit: 'bpm',
      reference: 60,
      referenceBasis: 'AHA adult range 60–100 bpm, lower is better within it',
      baseline: null,
      from,
      to: asOf,
      n: rest.length,
      sources: sources(rest),
      subScore: round(clip(100 - 2.5 * (value - 60))),
    });
  }
  const hrv = window('hrv_rmssd');
  const baselineFrom = addDays(from, -BASELINE_DAYS);
  const before = days.filter((d) => d.metricType === 'hrv_rmssd' && d.date >= baselineFrom && d.date < from).map((d) => d.value);
  const value = hrv.length ? round(mean(hrv.map((d) => d.value))) : null;
  const z = value !== null && before.length >= MIN_BASELINE_DAYS ? modifiedZScore(value, before) : null;
  if (value !== null && z !== null) {
    const centre = median(before);
    found.push({
      component: 'hrv',
      source: 'hrv_rmssd',
      value,
      unit: 'ms',
      reference: centre,
      referenceBasis: `personal median of ${before.length} days ${baselineFrom}–${addDays(from, -1)} (modified z-score)`,
      baseline: { median: centre, mad: medianAbsoluteDeviation(before), n: before.length, from: baselineFrom, to: addDays(from, -1) },
      from,
      to: asOf,
      n: hrv.length,
      sources: sources(hrv),
      subScore: round(clip(50 + 25 * z)),
    });
  }
  return found;
}
