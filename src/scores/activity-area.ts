import type { DailySummary } from '../health/daily-summaries.js';
import { addDays } from '../lib/time.js';
import { clip, mean, round, SCORE_WINDOW_DAYS, type Scored } from './components.js';

/**
 * Activity, 0–100, over the 7 local days ending on the scored day. Days without data are left out (a day the
 * watch stayed in a drawer is not a day without a step): the figures are means over the days with data.
 *
 * | component | value | sub-score | weight |
 * |---|---|---|---|
 * | steps | mean daily steps | 100 × steps / 8,000, capped at 100 (Paluch et al. 2022, Lancet Public Health 7(3):e219–e228: mortality risk levels off at 6,000–8,000 steps/day over 60, 8,000–10,000 under 60) | 50% |
 * | active_minutes | moderate-to-vigorous minutes a week: the daily mean × 7 of moderate + 2 × vigorous minutes (else exercise_minutes, else active_minutes) | 100 × minutes / 150, capped at 100 (WHO 2020 guidelines: 150–300 min moderate or 75–150 vigorous a week; a vigorous minute counts twice) | 50% |
 */
export const ACTIVITY_WEIGHTS = { steps: 0.5, active_minutes: 0.5 } as const;
export const STEPS_TARGET = 8000;
export const MVPA_TARGET_MINUTES = 150;
export const ACTIVITY_METRICS = [
  'steps',
  'moderate_intensity_minutes',
  'vigorous_intensity_minutes',
  'exercise_minutes',
  'active_minutes',
] as const;

function sourcesOf(days: readonly DailySummary[]): string[] {
  return [...new Set(days.flatMap((day) => day.sources))].sort();
}

/** Each day's moderate + 2 × vigorous minutes, or the first other minutes metric with data. */
function mvpaDays(days: readonly DailySummary[]): { source: string; values: Map<string, number>; used: DailySummary[] } | null {
  const intensity = days.filter((d) => d.metricType === 'moderate_intensity_minutes' || d.metricType === 'vigorous_intensity_minutes');
  if (intensity.length) {
    const values = new Map<string, number>();
    for (const d of intensity)
      values.set(d.date, (values.get(d.date) ?? 0) + (d.metricType === 'vigorous_intensity_minutes' ? 2 : 1) * d.value);
    return { source: 'moderate_intensity_minutes+2*vigorous_intensity_minutes', values, used: intensity };
  }
  for (const metric of ['exercise_minutes', 'active_minutes']) {
    const used = days.filter((d) => d.metricType === metric);
    if (used.length) return { source: metric, values: new Map(used.map((d) => [d.date, d.value])), used };
  }
  return null;
}

export function activityComponents(days: readonly DailySummary[], asOf: string): Scored[] {
  const from = addDays(asOf, 1 - SCORE_WINDOW_DAYS);
  const inWindow = days.filter((d) => d.date >= from && d.date <= asOf);
  const found: Scored[] = [];
  const steps = inWindow.filter((d) => d.metricType === 'steps');
  if (steps.length) {
    const value = round(mean(steps.map((d) => d.value)));
    found.push({
      component: 'steps',
      source: 'steps',
      value,
      unit: 'count',
      reference: STEPS_TARGET,
      referenceBasis: '8,000 steps a day (Paluch et al. 2022, Lancet Public Health)',
      baseline: null,
      from,
      to: asOf,
      n: steps.length,
      sources: sourcesOf(steps),
      subScore: round(clip((100 * value) / STEPS_TARGET)),
    });
  }
  const mvpa = mvpaDays(inWindow);
  if (mvpa) {
    const value = round(mean([...mvpa.values.values()]) * 7);
    found.push({
      component: 'active_minutes',
      source: mvpa.source,
      value,
      unit: 'min/week',
      reference: MVPA_TARGET_MINUTES,
      referenceBasis: '150 min of moderate activity a week, a vigorous minute counting twice (WHO 2020)',
      baseline: null,
      from,
      to: asOf,
      n: mvpa.values.size,
      sources: sourcesOf(mvpa.used),
      subScore: round(clip((100 * value) / MVPA_TARGET_MINUTES)),
    });
  }
  return found;
}
