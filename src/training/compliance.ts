import { addDays } from '../lib/time.js';
import { isoDayOfWeek, sessionsBetween, weekStart, type DatedSession, type PlannedSession } from './sessions.js';

/**
 * How planned sessions are judged against the workouts that happened:
 * - A session is met by one workout of its sport in the same ISO week (Monday to Sunday, the user's local days):
 *   on its own day first; else the nearest workout of another day of that week that completes it; else, once the
 *   session's day has passed, the nearest shorter one (sessions move within a week, not across weeks). Each
 *   workout meets one session at most.
 * - The same workout recorded by two sources (a watch and the app it syncs to) counts once: workouts of different
 *   sources overlapping by more than half of the shorter one are one workout (the longer record is kept).
 * - A met session is `completed` when the workout reaches 80% of each planned figure it reports (duration,
 *   distance), else `partial` with the share reached; a figure the workout does not report is not judged, so a
 *   run without GPS still completes a duration session. A workout that reports none of the session's figures
 *   meets it only on the session's own day.
 * - An unmet session is `missed` once its week is over, `upcoming` until then.
 */
export const COMPLETION_SHARE = 0.8;

/** Overlap share above which workouts of two sources are the same workout. */
const SAME_WORKOUT_OVERLAP = 0.5;

export interface PlanWorkout {
  id: string;
  /** The workout's subtype as the source named it (running, trail_running, Run…), or null. */
  subtype: string | null;
  startAt: Date;
  endAt: Date;
  durationSeconds: number;
  /** Metres. */
  distance: number | null;
  source: string;
  /** The local day it started on, in the user's zone. */
  date: string;
}

export type SessionStatus = 'completed' | 'partial' | 'missed' | 'upcoming';

export interface JudgedSession extends DatedSession {
  status: SessionStatus;
  /** Share of the planned figures reached, 0–1 (1 when completed with nothing to measure); null when unmet. */
  achieved: number | null;
  workout: PlanWorkout | null;
}

export interface ComplianceCounts {
  planned: number;
  completed: number;
  partial: number;
  missed: number;
  upcoming: number;
  plannedMinutes: number;
  /** Minutes of the workouts that met sessions. */
  completedMinutes: number;
  /** Metres. */
  plannedDistance: number;
  completedDistance: number;
  /** Sessions due (not upcoming) weighted by the share reached (completed 1, partial its share, missed 0), in %; null when none is due. */
  compliance: number | null;
}

export interface JudgedWeek extends ComplianceCounts {
  weekStart: string;
  weekEnd: string;
  sessions: JudgedSession[];
  /** Workouts of the week that met no session. */
  unplannedWorkouts: number;
}

// Sources name sports their own way: Strava "Run" and "Ride", Garmin "running", WHOOP "cycling".
const SPORT_WORDS: Record<string, string> = {
  run: 'running',
  ride: 'cycling',
  bike: 'cycling',
  biking: 'cycling',
  swim: 'swimming',
  walk: 'walking',
  hike: 'hiking',
  row: 'rowing',
};

function sportWords(subtype: string | null): string[] {
  if (!subtype) return [];
  return subtype
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => SPORT_WORDS[word] ?? word);
}

/** `any` takes every workout; otherwise the sport itself, or a kind of it (trail_running and Run are running). */
export function sportMatches(sport: string, subtype: string | null): boolean {
  if (sport === 'any') return true;
  const words = sportWords(subtype);
  return words.join('_') === sport || words.at(-1) === sport;
}

/** Workouts with the records of other sources of the same workout folded in (the longest record stays). */
export function distinctWorkouts(workouts: readonly PlanWorkout[]): PlanWorkout[] {
  const byStart = [...workouts].sort((a, b) => a.startAt.getTime() - b.startAt.getTime() || a.id.localeCompare(b.id));
  const kept: PlanWorkout[] = [];
  for (const workout of byStart) {
    const same = kept.findIndex((other) => {
      if (other.source === workout.source) return false;
      const overlap =
        Math.min(other.endAt.getTime(), workout.endAt.getTime()) - Math.max(other.startAt.getTime(), workout.startAt.getTime());
      const shorter = Math.min(other.endAt.getTime() - other.startAt.getTime(), workout.endAt.getTime() - workout.startAt.getTime());
      return shorter > 0 && overlap > SAME_WORKOUT_OVERLAP * shorter;
    });
    if (same < 0) kept.push(workout);
    else if (workout.durationSeconds > kept[same]!.durationSeconds) kept[same] = workout;
  }
  return kept;
}

/** Share of the planned figures one workout reaches (each capped at 1; the smallest counts); null when it reports none of them. */
function achievedShare(session: PlannedSession, workout: PlanWorkout): number | null {
  const shares: number[] = [];
  if (session.durationMinutes !== null) shares.push(workout.durationSeconds / 60 / session.durationMinutes);
  if (session.distance !== null && workout.distance !== null) shares.push(workout.distance / session.distance);
  return shares.length === 0 ? null : Math.min(1, ...shares);
}

function dayDistance(a: string, b: string): number {
  return Math.abs(isoDayOfWeek(a) - isoDayOfWeek(b));
}

/** One ISO week's sessions against the week's workouts, as of a local day. */
function judgeWeek(sessions: readonly DatedSession[], workouts: readonly PlanWorkout[], weekEnd: string, today: string): JudgedWeek {
  const free = new Set(workouts);
  const met = new Map<DatedSession, PlanWorkout>();
  const take = (session: DatedSession, candidates: PlanWorkout[]): void => {
    const best = candidates.sort(
      (a, b) => dayDistance(a.date, session.date) - dayDistance(b.date, session.date) || a.date.localeCompare(b.date),
    )[0];
    if (!best) return;
    met.set(session, best);
    free.delete(best);
  };
  const ofSport = (session: DatedSession, accept: (workout: PlanWorkout) => boolean): PlanWorkout[] =>
    [...free].filter((workout) => sportMatches(session.sport, workout.subtype) && accept(workout));
  // Sessions met on their own day first, so a moved session cannot take the workout of the day's own session; then
  // by a workout of another day that completes them; a shorter one counts only once the session's day has passed
  // (Monday's short extra run is not Thursday's hard session while Thursday may still come).
  for (const session of sessions)
    take(
      session,
      ofSport(session, (w) => w.date === session.date),
    );
  for (const session of sessions) {
    if (!met.has(session))
      take(
        session,
        ofSport(session, (w) => (achievedShare(session, w) ?? 0) >= COMPLETION_SHARE),
      );
  }
  for (const session of sessions) {
    if (!met.has(session) && session.date < today)
      take(
        session,
        ofSport(session, (w) => achievedShare(session, w) !== null),
      );
  }
  const judged = sessions.map((session): JudgedSession => {
    const workout = met.get(session) ?? null;
    if (!workout) return { ...session, status: weekEnd < today ? 'missed' : 'upcoming', achieved: null, workout: null };
    // Only a workout of the session's own day meets it without a figure to compare (a distance run without GPS).
    const achieved = achievedShare(session, workout) ?? 1;
    return { ...session, status: achieved >= COMPLETION_SHARE ? 'completed' : 'partial', achieved, workout };
  });
  return { weekStart: weekStart(weekEnd), weekEnd, sessions: judged, unplannedWorkouts: free.size, ...countsOf(judged) };
}

function countsOf(sessions: readonly JudgedSession[]): ComplianceCounts {
  const counts: ComplianceCounts = {
    planned: sessions.length,
    completed: 0,
    partial: 0,
    missed: 0,
    upcoming: 0,
    plannedMinutes: 0,
    completedMinutes: 0,
    plannedDistance: 0,
    completedDistance: 0,
    compliance: null,
  };
  let score = 0;
  for (const session of sessions) {
    counts[session.status] += 1;
    counts.plannedMinutes += session.durationMinutes ?? 0;
    counts.plannedDistance += session.distance ?? 0;
    if (session.workout) {
      counts.completedMinutes += session.workout.durationSeconds / 60;
      counts.completedDistance += session.workout.distance ?? 0;
    }
    if (session.status === 'completed') score += 1;
    if (session.status === 'partial') score += session.achieved!;
  }
  const due = counts.planned - counts.upcoming;
  counts.compliance = due === 0 ? null : Math.round((1000 * score) / due) / 10;
  counts.completedMinutes = Math.round(counts.completedMinutes * 10) / 10;
  return counts;
}

export interface PlanCompliance {
  /** The week holding the day judged (clipped to the plan's weeks). */
  currentWeek: JudgedWeek;
  /** Every week from the plan's start through the current week. */
  toDate: ComplianceCounts & { weeks: number };
}

/**
 * A plan judged as of a local day: each week from the plan's first through the one holding `asOf` (the first
 * week before the plan starts, the last after it ends) against the user's workouts of those days.
 */
export function planCompliance(
  plan: { startDate: string; goalDate: string; sessions: readonly PlannedSession[] },
  workouts: readonly PlanWorkout[],
  asOf: string,
  today: string,
): PlanCompliance {
  const firstWeek = weekStart(plan.startDate);
  const lastWeek = weekStart(plan.goalDate);
  const heldWeek = weekStart(asOf);
  const currentWeek = heldWeek < firstWeek ? firstWeek : heldWeek > lastWeek ? lastWeek : heldWeek;
  // A day judged in the past is judged as it ended: its week is over once the day after it has come.
  const judgedToday = asOf < today ? addDays(asOf, 1) : today;
  const lastDay = asOf < plan.goalDate ? asOf : plan.goalDate;
  const inPlan = distinctWorkouts(workouts.filter((w) => w.date >= plan.startDate && w.date <= lastDay));
  const weeks: JudgedWeek[] = [];
  for (let monday = firstWeek; monday <= currentWeek; monday = addDays(monday, 7)) {
    const sunday = addDays(monday, 6);
    const sessions = sessionsBetween(plan, monday, sunday);
    weeks.push(
      judgeWeek(
        sessions,
        inPlan.filter((w) => w.date >= monday && w.date <= sunday),
        sunday,
        judgedToday,
      ),
    );
  }
  return { currentWeek: weeks.at(-1)!, toDate: { ...countsOf(weeks.flatMap((week) => week.sessions)), weeks: weeks.length } };
}
