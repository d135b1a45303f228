import { addDays, zoneOffsetAt } from '../../lib/time.js';

/** What defines a medication's scheduled doses: local times on some weekdays between two local days. */
export interface DoseSchedule {
  /** "HH:MM", ascending, in the user's zone. */
  times: readonly string[];
  /** 0 = Sunday … 6 = Saturday; empty = every day. */
  daysOfWeek: readonly number[];
  startDate: string;
  endDate: string | null;
}

/** One scheduled dose: its local day and time. */
export interface ScheduledDose {
  date: string;
  time: string;
}

export const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
export const TIME_WORDS = 'a local time HH:MM from 00:00 to 23:59';

/** The weekday of a YYYY-MM-DD day, 0 = Sunday (the calendar schedules' numbering). */
export function weekdayOf(day: string): number {
  return new Date(day + 'T00:00:00Z').getUTCDay();
}

export function isScheduledDay(schedule: DoseSchedule, day: string): boolean {
  if (day < schedule.startDate || (schedule.endDate !== null && day > schedule.endDate)) return false;
  return schedule.daysOfWeek.length === 0 || schedule.daysOfWeek.includes(weekdayOf(day));
}

/** The scheduled doses between two local days (inclusive), in time order. */
export function dosesBetween(schedule: DoseSchedule, from: string, to: string): ScheduledDose[] {
  const doses: ScheduledDose[] = [];
  const first = from < schedule.startDate ? schedule.startDate : from;
  const last = schedule.endDate !== null && schedule.endDate < to ? schedule.endDate : to;
  for (let day = first; day <= last; day = addDays(day, 1)) {
    if (isScheduledDay(schedule, day)) for (const time of schedule.times) doses.push({ date: day, time });
  }
  return doses;
}

/**
 * The instant (epoch ms) of a local wall-clock time in a zone. A time a spring-forward night skips (02:30 on
 * 2025-03-09 in New York) is read with the offset before the gap, so it lands as far past the gap as it was into
 * it (03:30 EDT): the dose still happens that day. A time a fall-back night repeats (01:30 on 2025-11-02 in New
 * York) is its first occurrence. Both are what java.time and the Temporal proposal call "compatible".
 */
export function wallClockInstant(timeZone: string, day: string, time: string): number {
  const wall = Date.parse(`${day}T${time}:00Z`);
  // Offsets a day before and after bracket any transition near this wall time.
  const before = zoneOffsetAt(timeZone, wall - 86_400_000);
  const after = zoneOffsetAt(timeZone, wall + 86_400_000);
  const candidates = [wall - before, wall - after].filter((at) => at + zoneOffsetAt(timeZone, at) === wall);
  if (candidates.length === 0) return wall - before;
  return Math.min(...candidates);
}
