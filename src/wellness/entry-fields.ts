import { Invalid } from '../lib/errors.js';
import { checkDay } from '../lib/time.js';

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
