import type { ServiceContext } from '../../context.js';
import { addDays, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { dayWindow, statsWindow } from '../entry-fields.js';
import { moodAssociations, type MoodAssociation } from './mood-associations.js';
import {
  byMood,
  byTag,
  byTimeOfDay,
  byWeek,
  byWeekday,
  dailyMeans,
  meanOf,
  moodTrend,
  round2,
  type MoodTrend,
  type ScoredEntry,
} from './mood-summary.js';

export const DEFAULT_MOOD_STATS_DAYS = 30;
export const MAX_MOOD_STATS_DAYS = 366;

interface StatsEntry extends ScoredEntry {
  energy: number | null;
  stress: number | null;
}

const ENTRIES_SQL = `SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  to_char("localDate", 'YYYY-MM-DD') AS "localDate", timezone, score, mood, energy, stress, tags
FROM "MoodEntry" WHERE "userId" = $1 AND "localDate" BETWEEN $2::date AND $3::date ORDER BY at`;

async function entriesBetween(ctx: ServiceContext, userId: string, from: string, to: string): Promise<StatsEntry[]> {
  const rows = await ctx.sql.query<StatsEntry>(ENTRIES_SQL, [userId, from, to]);
  return rows.map((row) => ({ ...row, tags: row.tags ?? [] }));
}

const mean = (values: (number | null)[]) => meanOf(values.filter((v): v is number => v !== null));

/** Mood statistics of a window of local days and how its mean compares with the window just before. */
export async function moodStats(ctx: ServiceContext, userId: string, query: { from?: string | null; to?: string | null }) {
  const user = await getUser(ctx, userId);
  const window = dayWindow(query);
  const { from, to, days } = statsWindow(window, localDay(user.timezone, ctx.clock.now()), DEFAULT_MOOD_STATS_DAYS, MAX_MOOD_STATS_DAYS);
  const previousTo = addDays(from, -1);
  const previousFrom = addDays(from, -days);
  const [entries, before] = await Promise.all([
    entriesBetween(ctx, user.id, from, to),
    entriesBetween(ctx, user.id, previousFrom, previousTo),
  ]);
  const means = dailyMeans(entries);
  const meanScore = mean(entries.map((e) => e.score));
  const previousMean = mean(before.map((e) => e.score));
  const trend: MoodTrend = moodTrend(means);
  const associations: MoodAssociation[] = await moodAssociations(ctx, user, means, from, to);
  return {
    userId: user.id,
    from,
    to,
    entries: entries.length,
    days: means.size,
    meanScore,
    meanEnergy: mean(entries.map((e) => e.energy)),
    meanStress: mean(entries.map((e) => e.stress)),
    trend,
    previousPeriod: {
      from: previousFrom,
      to: previousTo,
      entries: before.length,
      meanScore: previousMean,
      change: meanScore === null || previousMean === null ? null : round2(meanScore - previousMean),
    },
    byWeek: byWeek(entries),
    byMood: byMood(entries),
    byTag: byTag(entries),
    byWeekday: byWeekday(entries),
    byTimeOfDay: byTimeOfDay(entries),
    associations,
  };
}

export type MoodStats = Awaited<ReturnType<typeof moodStats>>;
