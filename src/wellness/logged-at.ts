import { Invalid } from '../lib/errors.js';
import { localDay } from '../lib/time.js';

/** The source of the samples a wellness log writes (a manual entry in VitaSync), as the health routes show it. */
export const WELLNESS_SOURCE = 'vitasync';

/** As the ingestion service: a log may be stamped a little ahead of the server's clock, no more. */
const FUTURE_TOLERANCE_MS = 24 * 3600 * 1000;
const EARLIEST = Date.UTC(1900, 0, 1);

/**
 * When a log happened (default now) and its local day in the user's zone at the time of writing: stored, so a
 * later zone change does not move the entry to another day.
 */
export function loggedAt(at: Date | null | undefined, now: Date, timezone: string): { at: Date; localDate: string } {
  const instant = at ?? now;
  if (Number.isNaN(instant.getTime()) || instant.getTime() < EARLIEST) throw new Invalid('at must be an instant from 1900 on');
  if (instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new Invalid('at must not be more than a day in the future');
  return { at: instant, localDate: localDay(timezone, instant) };
}

/** A local day as the Prisma Date column takes it. */
export const dateColumn = (day: string): Date => new Date(`${day}T00:00:00Z`);
/** A Date column as the local day it holds. */
export const dayOf = (value: Date): string => value.toISOString().slice(0, 10);
