import type { ServiceContext } from '../../context.js';
import { isoWeekday } from '../../goals/periods.js';
import { dayStreaks } from '../../lib/streaks.js';
import { addDays, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { dayWindow, statsWindow } from '../entry-fields.js';
import { MOOD_LABELS } from '../mood/mood-labels.js';

export const DEFAULT_JOURNAL_STATS_DAYS = 90;
export const MAX_JOURNAL_STATS_DAYS = 366;

/** Days with entries, each with its entries' mood labels (null for none). */
const DAYS_SQL = `SELECT to_char("localDate", 'YYYY-MM-DD') AS day, mood FROM "JournalEntry" WHERE "userId" = $1`;

/**
 * Journal statistics: streaks of consecutive local days with an entry (over all the user's entries, today still
 * open: src/lib/streaks.ts), and over the window from–to the entries, the mood distribution and the entries of each
 * ISO week (Monday start) the window touches, weeks without entries included.
 */
export async function journalStats(ctx: ServiceContext, userId: string, query: { from?: string | null; to?: string | null }) {
  const user = await getUser(ctx, userId);
  const today = localDay(user.timezone, ctx.clock.now());
  const window = dayWindow(query);
  const { from, to, days: span } = statsWindow(window, today, DEFAULT_JOURNAL_STATS_DAYS, MAX_JOURNAL_STATS_DAYS);

  const rows = await ctx.sql.query<{ day: string; mood: string | null }>(DAYS_SQL, [user.id]);
  const streaks = dayStreaks(
    rows.map((row) => row.day),
    today,
  );
  const inWindow = rows.filter((row) => row.day >= from && row.day <= to);
  const labelled = inWindow.filter((row) => row.mood !== null).length;
  const weeks = new Map<string, number>();
  for (let week = addDays(from, -isoWeekday(from)); week <= to; week = addDays(week, 7)) weeks.set(week, 0);
  for (const row of inWindow) {
    const week = addDays(row.day, -isoWeekday(row.day));
    weeks.set(week, weeks.get(week)! + 1);
  }
  return {
    userId: user.id,
    from,
    to,
    today,
    currentStreak: streaks.current,
    longestStreak: streaks.longest,
    entries: inWindow.length,
    daysWithEntries: new Set(inWindow.map((row) => row.day)).size,
    moodDistribution: MOOD_LABELS.map((mood) => {
      const entries = inWindow.filter((row) => row.mood === mood).length;
      return { mood, entries, share: labelled === 0 ? 0 : Math.round((1000 * entries) / labelled) / 10 };
    }),
    withoutMood: inWindow.length - labelled,
    entriesPerWeek: [...weeks].map(([weekStart, entries]) => ({ weekStart, entries })),
    meanPerWeek: Math.round((inWindow.length / (span / 7)) * 100) / 100,
  };
}

export type JournalStats = Awaited<ReturnType<typeof journalStats>>;
