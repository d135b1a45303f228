import type { ServiceContext } from '../../context.js';
import { Invalid } from '../../lib/errors.js';
import type { Streaks } from '../../lib/streaks.js';
import { addDays, checkDay, localDay } from '../../lib/time.js';
import {
  computeAdherence,
  doseKey,
  doseOutcome,
  type AdherenceCounts,
  type AdherenceDay,
  type DoseLog,
  type TimedDose,
} from './adherence.js';
import { dosesLoggedBetween, type MedicationRow } from './medication-store.js';
import { medicationOf } from './medications.js';
import { recordMissedDoses } from './missed-doses.js';
import { dosesBetween, wallClockInstant } from './schedule.js';

export const DEFAULT_STATS_DAYS = 30;
export const MAX_STATS_DAYS = 366;
/** The streak looks back this many days before `to` at most (or to the medication's start). */
export const STREAK_LOOKBACK_DAYS = 365;

export interface MedicationStats extends AdherenceCounts {
  medicationId: string;
  from: string;
  to: string;
  onTimeWindowMinutes: number;
  days: AdherenceDay[];
  streak: Streaks;
  /** The first day the streak looked at. */
  streakFrom: string;
}

type TimedUser = { id: string; timezone: string };

/** The window's doses with their instants (the stored one when logged) and their logs, keyed "date time". */
async function dosesWithLogs(ctx: ServiceContext, user: TimedUser, medication: MedicationRow, from: string, to: string) {
  const logs = await dosesLoggedBetween(ctx.sql, medication.id, from, to);
  const byKey = new Map<string, DoseLog>(
    logs.map((log) => [doseKey(log), { status: log.status, at: log.at.getTime(), scheduledAt: log.scheduledAt.getTime() }]),
  );
  const doses: TimedDose[] = dosesBetween(medication, from, to).map((dose) => ({
    ...dose,
    instant: byKey.get(doseKey(dose))?.scheduledAt ?? wallClockInstant(user.timezone, dose.date, dose.time),
  }));
  return { doses, logs: byKey };
}

function missedOf(doses: readonly TimedDose[], logs: ReadonlyMap<string, DoseLog>, windowMs: number, now: number): TimedDose[] {
  return doses.filter((dose) => doseOutcome(dose, logs.get(doseKey(dose)), windowMs, now) === 'missed');
}

/**
 * Missed doses a log finds: those of its dose's day and the two days before, scheduled before the dose it logs
 * (logs come in dose order, so a backfill of earlier doses does not find later ones missed).
 */
export async function findMissedBefore(
  ctx: ServiceContext,
  user: TimedUser,
  medication: MedicationRow,
  logged: { date: string; instant: number },
): Promise<TimedDose[]> {
  const { doses, logs } = await dosesWithLogs(ctx, user, medication, addDays(logged.date, -2), logged.date);
  const earlier = doses.filter((dose) => dose.instant < logged.instant);
  return missedOf(earlier, logs, medication.onTimeWindowMinutes * 60_000, ctx.clock.now().getTime());
}

/**
 * Adherence of a medication between two local days (default the last 30 ending today in the user's zone): each
 * scheduled dose's outcome, per day and overall, and the streak of fully adherent scheduled days. Missed doses it
 * finds for the first time are recorded and announced (medication.dose_missed).
 */
export async function medicationStats(
  ctx: ServiceContext,
  userId: string,
  medicationId: string,
  query: { from?: string | null; to?: string | null },
): Promise<MedicationStats> {
  const { user, medication } = await medicationOf(ctx, userId, medicationId);
  const now = ctx.clock.now();
  const to = query.to == null ? localDay(user.timezone, now) : checkDay('to', query.to);
  const from = query.from == null ? addDays(to, -(DEFAULT_STATS_DAYS - 1)) : checkDay('from', query.from);
  if (from > to) throw new Invalid('from must not be after to');
  if (addDays(from, MAX_STATS_DAYS - 1) < to) throw new Invalid(`from–to spans more than ${MAX_STATS_DAYS} days`);
  const lookback = addDays(to, -STREAK_LOOKBACK_DAYS);
  const streakFrom = medication.startDate > lookback ? medication.startDate : lookback;
  const first = streakFrom < from ? streakFrom : from;
  const { doses, logs } = await dosesWithLogs(ctx, user, medication, first, to);
  const windowMs = medication.onTimeWindowMinutes * 60_000;
  const adherence = computeAdherence(
    doses.filter((dose) => dose.date >= from),
    doses.filter((dose) => dose.date >= streakFrom),
    logs,
    windowMs,
    now.getTime(),
  );
  await recordMissedDoses(
    ctx,
    medication,
    missedOf(
      doses.filter((dose) => dose.date >= from),
      logs,
      windowMs,
      now.getTime(),
    ),
  );
  return {
    medicationId: medication.id,
    from,
    to,
    onTimeWindowMinutes: medication.onTimeWindowMinutes,
    ...adherence.overall,
    days: adherence.days,
    streak: adherence.streak,
    streakFrom: streakFrom > to ? to : streakFrom,
  };
}
