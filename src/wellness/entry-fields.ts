import { Invalid } from '../lib/errors.js';
import { addDays, checkDay, FIRST_DAY } from '../lib/time.js';

/** Optional free text: trimmed, empty is none, at most `max` characters. */
export function optionalText(name: string, value: string | null | undefined, max: number): string | null {
  const trimmed = value?.trim() ?? '';
  if ([...trimmed].length > max) throw new Invalid(`${name} must be at most ${max} characters`);
  return trimmed === '' ? null : trimmed;
}

/** A local-day window of a list or statistics: inclusive, from not after to. */
export function dayWindow(query: { from?: string | null; to?: string | null }): { from: string | null; to: string | null } {
  const from = query.from == null ? null : checkDay('from', query.from);
  const to = query.to == null ? null : checkDay('to', query.to);
  if (from !== null && to !== null && from > to) throw new Invalid('from must not be after to');
  return { from, to };
}

/**
 * The window of a statistics route: from–to as given; without `to`, today, or the last day of the longest window
 * from `from` when that is earlier (from=1900-01-01 alone is a year, not 126 years); without `from`, the default
 * number of days up to `to` (not before the API's first day).
 */
export function statsWindow(
  given: { from: string | null; to: string | null },
  today: string,
  defaultDays: number,
  maxDays: number,
): { from: string; to: string; days: number } {
  let to = given.to ?? today;
  if (given.to === null && given.from !== null) {
    const longest = addDays(given.from, maxDays - 1);
    to = today < given.from ? given.from : today > longest ? longest : today;
  }
  const back = addDays(to, -(defaultDays - 1));
  const from = given.from ?? (back < FIRST_DAY ? FIRST_DAY : back);
  if (from > to) throw new Invalid('from must not be after to');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  if (days > maxDays) throw new Invalid(`from–to spans more than ${maxDays} days`);
  return { from, to, days };
}
