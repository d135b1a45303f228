import { Invalid } from '../lib/errors.js';
import { isoWeekday } from '../goals/periods.js';
import { addDays } from '../lib/time.js';

export const SESSION_INTENSITIES = ['recovery', 'easy', 'moderate', 'hard', 'race'] as const;
export type SessionIntensity = (typeof SESSION_INTENSITIES)[number];

/** Most sessions a planned week may hold: two a day. */
export const MAX_WEEK_SESSIONS = 14;
export const MAX_SESSION_MINUTES = 24 * 60;
/** Metres: a multi-day ultra is the longest single session. */
export const MAX_SESSION_DISTANCE = 1_000_000;
export const MAX_DESCRIPTION = 200;
/** Sports as workouts name them (running, trail_running, cycling…), or `any` for any workout. */
export const SPORT_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;
export const SPORT_WORDS = 'a sport in lower-case snake_case (running, cycling, strength_training…) or any';

/** One session of the planned week, repeated every week of the plan. */
export interface PlannedSession {
  /** ISO day of the week: Monday 1 … Sunday 7. */
  dayOfWeek: number;
  sport: string;
  durationMinutes: number | null;
  /** Metres. */
  distance: number | null;
  intensity: SessionIntensity;
  description: string | null;
}

export type PlannedSessionInput = {
  dayOfWeek: number;
  sport: string;
  durationMinutes?: number | null;
  distance?: number | null;
  intensity?: SessionIntensity | null;
  description?: string | null;
};

function within(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) throw new Invalid(`${name} must be a number from ${min} to ${max}`);
  return value;
}

/** The planned week as stored: checked, in day order (a day's sessions in the order given). */
export function checkSessions(inputs: readonly PlannedSessionInput[]): PlannedSession[] {
  if (inputs.length < 1 || inputs.length > MAX_WEEK_SESSIONS)
    throw new Invalid(`sessions must hold 1 to ${MAX_WEEK_SESSIONS} planned sessions (one week, repeated)`);
  const sessions = inputs.map((input, index): PlannedSession => {
    const at = `sessions[${index}]`;
    if (!Number.isInteger(input.dayOfWeek) || input.dayOfWeek < 1 || input.dayOfWeek > 7)
      throw new Invalid(`${at}.dayOfWeek must be an integer from 1 (Monday) to 7 (Sunday)`);
    if (!SPORT_PATTERN.test(input.sport)) throw new Invalid(`${at}.sport must be ${SPORT_WORDS}`);
    const durationMinutes =
      input.durationMinutes == null ? null : within(`${at}.durationMinutes`, input.durationMinutes, 1, MAX_SESSION_MINUTES);
    const distance = input.distance == null ? null : within(`${at}.distance`, input.distance, 1, MAX_SESSION_DISTANCE);
    if (durationMinutes === null && distance === null) throw new Invalid(`${at} needs durationMinutes or distance (or both)`);
    const intensity = input.intensity ?? 'moderate';
    if (!SESSION_INTENSITIES.includes(intensity)) throw new Invalid(`${at}.intensity must be one of ${SESSION_INTENSITIES.join(', ')}`);
    const description = input.description == null ? null : input.description.trim() || null;
    if (description !== null && description.length > MAX_DESCRIPTION)
      throw new Invalid(`${at}.description must be at most ${MAX_DESCRIPTION} characters`);
    return { dayOfWeek: input.dayOfWeek, sport: input.sport, durationMinutes, distance, intensity, description };
  });
  // A stable sort: a day's sessions keep the order given.
  return sessions.sort((a, b) => a.dayOfWeek - b.dayOfWeek);
}

/** ISO day of the week of a YYYY-MM-DD day: Monday 1 … Sunday 7. */
export function isoDayOfWeek(day: string): number {
  return isoWeekday(day) + 1;
}

/** The Monday of the ISO week holding a day. */
export function weekStart(day: string): string {
  return addDays(day, -isoWeekday(day));
}

/** A planned session on its local day. */
export interface DatedSession extends PlannedSession {
  date: string;
}

/** The plan's sessions from one day to another (inclusive), clipped to the plan's own days, in date order. */
export function sessionsBetween(
  plan: { startDate: string; goalDate: string; sessions: readonly PlannedSession[] },
  from: string,
  to: string,
): DatedSession[] {
  const first = from < plan.startDate ? plan.startDate : from;
  const last = to > plan.goalDate ? plan.goalDate : to;
  const dated: DatedSession[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) {
    const dayOfWeek = isoDayOfWeek(day);
    for (const session of plan.sessions) if (session.dayOfWeek === dayOfWeek) dated.push({ ...session, date: day });
  }
  return dated;
}
