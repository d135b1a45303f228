import { addDays } from './time.js';

/** A run of consecutive met periods: the one still going and the longest ever. */
export interface Streaks {
  current: number;
  longest: number;
}

/**
 * Streaks over consecutive periods (days, scheduled days, weeks…), oldest first. The last period is the current
 * one; while it is still open and not met, it does not break the run: a habit not yet done today keeps
 * yesterday's streak until the day is over, as every habit tracker shows it.
 */
export function periodStreaks(met: readonly boolean[], lastIsOpen = true): Streaks {
  let run = 0;
  let longest = 0;
  for (const hit of met) {
    run = hit ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const last = met.length - 1;
  if (last >= 0 && lastIsOpen && !met[last]) {
    let before = 0;
    for (let i = last - 1; i >= 0 && met[i]; i--) before++;
    return { current: before, longest };
  }
  return { current: run, longest };
}

/**
 * Streaks of consecutive local days (YYYY-MM-DD) that have an entry, up to and including `today`, which is
 * still open. Days after `today` are ignored.
 */
export function dayStreaks(days: Iterable<string>, today: string): Streaks {
  const sorted = [...new Set(days)].filter((day) => day <= today).sort();
  if (sorted.length === 0) return { current: 0, longest: 0 };
  const met: boolean[] = [];
  const present = new Set(sorted);
  for (let day = sorted[0]!; day <= today; day = addDays(day, 1)) met.push(present.has(day));
  return periodStreaks(met);
}
