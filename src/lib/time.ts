import { BadRequest, Invalid } from './errors.js';

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

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds the zone's wall clock is ahead of UTC at an instant (whole seconds; Intl has no sub-second offsets). */
export function zoneOffsetAt(timeZone: string, at: number): number {
  let format = zoneFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    zoneFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(new Date(at)).map((p) => [p.type, Number(p.value)]));
  const wall = Date.UTC(part.year!, part.month! - 1, part.day!, part.hour!, part.minute!, part.second!);
  return wall - (at - (((at % 1000) + 1000) % 1000));
}

/** The calendar day (YYYY-MM-DD) in a zone at an instant. */
export function localDay(timeZone: string, at: Date): string {
  return new Date(at.getTime() + zoneOffsetAt(timeZone, at.getTime())).toISOString().slice(0, 10);
}

/** The calendar day `days` after (or before, when negative) a YYYY-MM-DD day. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(day + 'T00:00:00Z') + days * 86_400_000).toISOString().slice(0, 10);
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The calendar days the API takes: 1900 to 2199. Windows reach a year or so back from a day, and the database's
 * dates end at year 1 (year 0 does not exist), so a day of year 1 would fail deep inside a query instead of at
 * the door.
 */
export const FIRST_DAY = '1900-01-01';
export const LAST_DAY = '2199-12-31';
/** The range as a pattern, for the OpenAPI document: a format cannot state bounds. Months and days spelled out
 * too: a generator that meets the pattern then mostly meets the format. */
export const DAY_RANGE_PATTERN = /^(19|2[01])\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const DAY_WORDS = `a date YYYY-MM-DD from ${FIRST_DAY} to ${LAST_DAY}`;

/** A YYYY-MM-DD calendar day argument that exists (2025-02-30 does not) within the API's range; 400 naming the argument otherwise. */
export function checkDay(name: string, value: string): string {
  if (
    !DAY.test(value) ||
    Number.isNaN(Date.parse(value + 'T00:00:00Z')) ||
    addDays(value, 0) !== value ||
    value < FIRST_DAY ||
    value > LAST_DAY
  ) {
    throw new BadRequest(`${name} must be ${DAY_WORDS}`);
  }
  return value;
}

/** The instant (epoch ms) a local day begins in a zone: its midnight, or the first instant after a skipped one. */
export function startOfLocalDay(timeZone: string, day: string): number {
  const wall = Date.parse(`${day}T00:00:00Z`);
  // Two passes: the offset at the first guess can differ from the offset at the answer across a DST change.
  const guess = wall - zoneOffsetAt(timeZone, wall);
  return wall - zoneOffsetAt(timeZone, guess);
}
