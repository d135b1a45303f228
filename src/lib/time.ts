import { Invalid } from './errors.js';

const zoneCache = new Map<string, boolean>();

/** True for names the runtime's IANA database knows (Intl throws a RangeError for the rest). */
export function isIanaTimeZone(zone: string): boolean {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      // Intl also accepts offsets like "+05:30"; only region names are IANA zones.
      known = zone === 'UTC' || /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+$/.test(zone);
    } catch {
      known = false;
    }
    zoneCache.set(zone, known);
  }
  return known;
}

export function assertTimeZone(zone: string): string {
  if (!isIanaTimeZone(zone)) throw new Invalid(`timezone "${zone}" is not an IANA time zone (e.g. "Europe/Berlin", "UTC")`);
  return zone;
}

/** ISO 8601 in UTC with milliseconds, the one timestamp format of the API. */
export function toIso(date: Date): string {
  return date.toISOString();
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
