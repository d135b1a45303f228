import type { ServiceContext } from '../context.js';
import { Invalid } from '../lib/errors.js';
import { FIRST_DAY, localDay } from '../lib/time.js';

/** A client's clock may run a little ahead of ours; an entry further in the future is a mistake, not a feeling. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** When an entry happened and the local day it belongs to, fixed at the time of writing. */
export interface EntryTime {
  at: Date;
  /** YYYY-MM-DD in `timezone`. */
  localDate: string;
  /** The user's IANA zone when the entry was written. */
  timezone: string;
}

/**
 * The instant of a log entry (default now) and its local day in the user's zone at the time of writing. The day
 * is stored, so a user who moves to another zone later does not see past entries move to another day.
 */
export function entryTime(ctx: Pick<ServiceContext, 'clock'>, user: { timezone: string }, at: Date | null | undefined): EntryTime {
  const now = ctx.clock.now();
  const instant = at ?? now;
  if (Number.isNaN(instant.getTime()) || instant.toISOString() < FIRST_DAY) throw new Invalid(`at must be an instant from ${FIRST_DAY} on`);
  if (instant.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new Invalid('at must not be in the future');
  return { at: instant, localDate: localDay(user.timezone, instant), timezone: user.timezone };
}
