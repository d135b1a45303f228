import { addDays, zoneOffsetAt } from '../../src/lib/time.js';

/** The instant a wall clock in `timeZone` shows `hour`:00 on a local day (YYYY-MM-DD). */
export function atLocal(timeZone: string, day: string, hour: number): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + hour * 3_600_000;
  // Two passes: the offset at the first guess can differ from the offset at the answer across a DST change.
  let instant = wall - zoneOffsetAt(timeZone, wall);
  instant = wall - zoneOffsetAt(timeZone, instant);
  return new Date(instant);
}

/** The local days first, first + 1, … (count of them). */
export function localDays(first: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i));
}
