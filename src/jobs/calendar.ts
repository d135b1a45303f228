import { Invalid } from '../lib/errors.js';
import { assertTimeZone, zoneOffsetAt } from '../lib/time.js';

/**
 * Calendar schedules on the local runner: the next instant a `{ hour, minute, daysOfWeek?, daysOfMonth? }` spec
 * fires in an IANA zone, by the rules of Temporal's scheduler (service/worker/scheduler/calendar.go, `next`), so
 * both engines fire at the same instants (a test compares them with the Temporal server's own list):
 * - a wall time that a spring-forward change skips (02:30 in Paris on its last Sunday of March) does not exist
 *   that day: the schedule does not fire that day and fires next at 02:30 the day after;
 * - a wall time that a fall-back change repeats is fired once or twice, depending on the side of UTC: Go's
 *   time.Date picks the earlier copy in zones west of UTC (New York's 01:30 EDT), the later copy east of it
 *   (Paris's 02:30 CET); after firing the earlier copy Temporal's search also finds the later one, so New York fires
 *   01:30 twice that night (EDT and EST, an hour apart) and Paris once (CET).
 * Days of the week and of the month must both match when both are given (as Temporal). Resolution is one second.
 */
export interface CalendarSpec {
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday; default every day. */
  daysOfWeek?: number[];
  /** 1–31; default every day. */
  daysOfMonth?: number[];
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
/** Temporal's scheduler looks no further (maxCalendarYear). */
const LAST_YEAR = 2100;

/** Wall-clock fields of an instant in the zone (month 1–12, weekday 0 = Sunday). */
function wallFields(zone: string, instant: number) {
  const wall = new Date(instant + zoneOffsetAt(zone, instant));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
  };
}

/**
 * Go's time.Date(y, mo, d, h, m, s, 0, zone): out-of-range fields carry over, and a wall time that does not exist
 * or exists twice is resolved as Go does — with the offset in force at the wall time read as UTC, unless that
 * offset does not hold at the instant it gives, then with the offset of that instant.
 */
function goDate(zone: string, year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const unix = Date.UTC(year, month - 1, day, hour, minute, second);
  let offset = zoneOffsetAt(zone, unix);
  const utc = unix - offset;
  const there = zoneOffsetAt(zone, utc);
  if (there !== offset) offset = there;
  return unix - offset;
}

function daysInMonth(month: number, year: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checks a spec and its zone; an API-facing caller gets a 422 naming the field. */
export function assertCalendar(spec: CalendarSpec, timezone: string): void {
  assertTimeZone(timezone);
  const whole = (value: number, min: number, max: number) => Number.isInteger(value) && value >= min && value <= max;
  if (!whole(spec.hour, 0, 23)) throw new Invalid(`calendar hour ${spec.hour} is not an integer from 0 to 23`);
  if (!whole(spec.minute, 0, 59)) throw new Invalid(`calendar minute ${spec.minute} is not an integer from 0 to 59`);
  if (spec.daysOfWeek && (spec.daysOfWeek.length === 0 || !spec.daysOfWeek.every((day) => whole(day, 0, 6))))
    throw new Invalid('calendar daysOfWeek must list days from 0 (Sunday) to 6 (Saturday)');
  if (spec.daysOfMonth && (spec.daysOfMonth.length === 0 || !spec.daysOfMonth.every((day) => whole(day, 1, 31))))
    throw new Invalid('calendar daysOfMonth must list days from 1 to 31');
}

/** The first instant after `after` (ms) at which the spec fires in the zone; null when none is left before 2101. */
export function nextCalendarFire(spec: CalendarSpec, timezone: string, after: number): number | null {
  const matchesDay = (day: number, weekday: number) =>
    (!spec.daysOfMonth || spec.daysOfMonth.includes(day)) && (!spec.daysOfWeek || spec.daysOfWeek.includes(weekday));
  const start = wallFields(timezone, after);
  let { year, month, day, hour, minute, second } = start;
  // In the second copy of an hour a fall-back change repeats, results are an hour later than their wall time says.
  let repeated = wallFields(timezone, after - HOUR).hour === hour ? HOUR : 0;
  second += 1;
  for (;;) {
    if (second >= 60) [minute, second] = [minute + 1, 0];
    if (minute >= 60) {
      const previous = goDate(timezone, year, month, day, hour, 0, 0);
      [hour, minute] = [hour + 1, 0];
      const next = goDate(timezone, year, month, day, hour, 0, 0);
      // Two hours between consecutive hour marks: a repeated hour was skipped; walk its second copy.
      if (repeated === 0 && next - previous > HOUR) [hour, repeated] = [hour - 1, HOUR];
      else repeated = 0;
    }
    if (hour >= 24) [day, hour] = [day + 1, 0];
    if (day > daysInMonth(month, year)) [month, day] = [month + 1, 1];
    if (month > 12) [year, month] = [year + 1, 1];
    if (year > LAST_YEAR) return null;
    if (!matchesDay(day, wallFields(timezone, goDate(timezone, year, month, day, hour, minute, second)).weekday)) {
      [day, hour, minute, second, repeated] = [day + 1, 0, 0, 0, 0];
      continue;
    }
    if (hour !== spec.hour) {
      if (hour > spec.hour) [day, hour, minute, second] = [day + 1, 0, 0, 0];
      else [hour, minute, second] = [spec.hour, 0, 0];
      repeated = 0;
      continue;
    }
    if (minute > spec.minute || (minute === spec.minute && second > 0)) {
      [minute, second] = [60, 0];
      continue;
    }
    [minute, second] = [spec.minute, 0];
    const instant = goDate(timezone, year, month, day, hour, minute, second);
    // A wall time skipped by a spring-forward change comes out in another hour: it does not exist that day.
    if (wallFields(timezone, instant).hour !== hour) {
      [hour, minute, second] = [hour + 1, 0, 0];
      continue;
    }
    return instant + repeated;
  }
}
