import { spearman } from '../../analytics/correlation-tests.js';
import { dailySeries } from '../../analytics/daily-series.js';
import type { ServiceContext } from '../../context.js';

/** The daily series a mood is compared with: sleep (minutes of the night ending that morning), steps and workouts. */
export const MOOD_ASSOCIATION_SERIES = ['sleep_minutes', 'steps', 'workout_minutes'] as const;
export const MIN_ASSOCIATION_DAYS = 7;

export interface MoodAssociation {
  series: string;
  unit: string | null;
  /** Local days with both a mood entry and a value of the series: the n of ρ. */
  days: number;
  /** Spearman's ρ of the day's mean score and the series' value; null with a reason when it cannot be told. */
  rho: number | null;
  /** Its two-sided p-value (t-test with n − 2 degrees of freedom). */
  p: number | null;
  reason: string | null;
}

/**
 * Spearman's ρ of each day's mean mood score with the same local day's sleep, steps and workout minutes, over the
 * days that have both (merged daily values of src/analytics/daily-series.ts). Rank correlation: a mood scale is
 * ordinal. At least MIN_ASSOCIATION_DAYS paired days, else null with the reason.
 */
export async function moodAssociations(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  means: Map<string, number>,
  from: string,
  to: string,
): Promise<MoodAssociation[]> {
  const series = means.size === 0 ? [] : await dailySeries(ctx, user, from, to, MOOD_ASSOCIATION_SERIES);
  return MOOD_ASSOCIATION_SERIES.map((id) => {
    const found = series.find((s) => s.id === id);
    const days = [...means.keys()].filter((day) => found?.values.has(day));
    const none = { series: id, unit: found?.unit ?? null, days: days.length, rho: null, p: null };
    if (!found || found.values.size === 0) return { ...none, reason: `no ${id} data between ${from} and ${to}` };
    if (days.length < MIN_ASSOCIATION_DAYS)
      return { ...none, reason: `${days.length} days with both a mood entry and ${id}; at least ${MIN_ASSOCIATION_DAYS} are needed` };
    const test = spearman(
      days.map((day) => means.get(day)!),
      days.map((day) => found.values.get(day)!),
    );
    if (!test) return { ...none, reason: 'one of the two series is constant over these days' };
    return { ...none, rho: Math.round(test.r * 1000) / 1000, p: Number(test.p.toPrecision(3)), reason: null };
  });
}
