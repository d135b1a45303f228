import { nextCalendarFire } from '../jobs/calendar.js';
import { zoneOffsetAt } from '../lib/time.js';

export interface QuietHours {
  /** Local "HH:MM" in the user's zone; the window may cross midnight (22:00–07:00). */
  start: string;
  end: string;
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** The user's local date (YYYY-MM-DD) at an instant. */
export function localDate(zone: string, at: number): string {
  return new Date(at + zoneOffsetAt(zone, at)).toISOString().slice(0, 10);
}

/**
 * When the quiet hours that contain `at` end (the next local `end` time, read by the calendar rules the digests'
 * schedules use), or null when `at` is outside them. Start included, end excluded; start = end means none.
 */
export function quietHoursEnd(quiet: QuietHours | null, zone: string, at: number): number | null {
  if (!quiet) return null;
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return null;
  const wall = new Date(at + zoneOffsetAt(zone, at));
  const now = wall.getUTCHours() * 60 + wall.getUTCMinutes();
  const inside = start < end ? now >= start && now < end : now >= start || now < end;
  if (!inside) return null;
  return nextCalendarFire({ hour: Math.floor(end / 60), minute: end % 60 }, zone, at);
}
