import { periodStreaks, type Streaks } from '../../lib/streaks.js';
import type { ScheduledDose } from './schedule.js';

export const DOSE_STATUSES = ['taken', 'skipped'] as const;
export type DoseStatus = (typeof DOSE_STATUSES)[number];

/** What became of a scheduled dose. */
export const DOSE_OUTCOMES = ['on_time', 'early', 'late', 'skipped', 'missed', 'pending'] as const;
export type DoseOutcome = (typeof DOSE_OUTCOMES)[number];

/** A dose's log as adherence needs it. */
export interface DoseLog {
  status: DoseStatus;
  /** When it was taken (epoch ms). */
  at: number;
  /** The dose's instant as resolved when logged (epoch ms). */
  scheduledAt: number;
}

/** A scheduled dose with its instant (epoch ms) in the user's zone. */
export interface TimedDose extends ScheduledDose {
  instant: number;
}

export const doseKey = (dose: ScheduledDose) => `${dose.date} ${dose.time}`;

/**
 * A dose's outcome. Taken within ± window of its time: on_time; before: early; after: late. No log: missed once
 * the window has closed (instant + window < now), pending until then. The logged dose is judged against the
 * instant stored with its log (the zone when it was logged), an unlogged one against the user's current zone.
 */
export function doseOutcome(dose: TimedDose, log: DoseLog | undefined, windowMs: number, now: number): DoseOutcome {
  if (log) {
    if (log.status === 'skipped') return 'skipped';
    if (log.at < log.scheduledAt - windowMs) return 'early';
    return log.at > log.scheduledAt + windowMs ? 'late' : 'on_time';
  }
  return dose.instant + windowMs < now ? 'missed' : 'pending';
}

/** Counts of a day or of a window. `scheduled` leaves out pending doses: they are not judged yet. */
export interface AdherenceCounts {
  scheduled: number;
  taken: number;
  onTime: number;
  early: number;
  late: number;
  skipped: number;
  missed: number;
  pending: number;
  /** taken / scheduled (on time, early or late all count as taken; skipped and missed do not); null when 0 are due. */
  adherence: number | null;
  /** onTime / scheduled; null when 0 are due. */
  onTimeRate: number | null;
}

export interface AdherenceDay extends AdherenceCounts {
  date: string;
  /** Every dose of the day due and taken. */
  fullyAdherent: boolean;
}

function counts(outcomes: readonly DoseOutcome[]): AdherenceCounts {
  const n = (outcome: DoseOutcome) => outcomes.filter((o) => o === outcome).length;
  const [onTime, early, late, skipped, missed, pending] = [n('on_time'), n('early'), n('late'), n('skipped'), n('missed'), n('pending')];
  const taken = onTime + early + late;
  const scheduled = outcomes.length - pending;
  return {
    scheduled,
    taken,
    onTime,
    early,
    late,
    skipped,
    missed,
    pending,
    adherence: scheduled === 0 ? null : taken / scheduled,
    onTimeRate: scheduled === 0 ? null : onTime / scheduled,
  };
}

export interface Adherence {
  overall: AdherenceCounts;
  days: AdherenceDay[];
  /** Consecutive scheduled days with every dose taken; a day with doses still pending does not break the run. */
  streak: Streaks;
}

/**
 * Adherence of the doses of a window (`doses`, grouped by day) and the streak over `streakDoses` (the window and
 * the days before it). Days without a scheduled dose neither count nor break a streak.
 */
export function computeAdherence(
  doses: readonly TimedDose[],
  streakDoses: readonly TimedDose[],
  logs: ReadonlyMap<string, DoseLog>,
  windowMs: number,
  now: number,
): Adherence {
  const byDay = (list: readonly TimedDose[]) => {
    const days = new Map<string, DoseOutcome[]>();
    for (const dose of list) {
      const outcome = doseOutcome(dose, logs.get(doseKey(dose)), windowMs, now);
      days.set(dose.date, [...(days.get(dose.date) ?? []), outcome]);
    }
    return [...days.entries()].sort(([a], [b]) => a.localeCompare(b));
  };
  const days = byDay(doses).map(([date, outcomes]) => {
    const day = counts(outcomes);
    return { date, ...day, fullyAdherent: day.pending === 0 && day.taken === outcomes.length };
  });
  const streakDays = byDay(streakDoses);
  const met = streakDays.map(([, outcomes]) => outcomes.every((o) => o === 'on_time' || o === 'early' || o === 'late'));
  const lastOpen = streakDays.length > 0 && streakDays[streakDays.length - 1]![1].includes('pending');
  return {
    overall: counts(doses.map((dose) => doseOutcome(dose, logs.get(doseKey(dose)), windowMs, now))),
    days,
    streak: periodStreaks(met, lastOpen),
  };
}
