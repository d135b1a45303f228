import { linearRegression } from 'simple-statistics';
import { isoWeekday } from '../../goals/periods.js';
import { addDays, zoneOffsetAt } from '../../lib/time.js';
import { MOOD_LABELS } from './mood-labels.js';

/** The figures of an entry the statistics read. */
export interface ScoredEntry {
  at: string;
  localDate: string;
  timezone: string;
  score: number;
  mood: string | null;
  tags: string[];
}

/** Entries in a group with their mean score (null when there are none), rounded to 2 decimals. */
export interface ScoreGroup {
  entries: number;
  meanScore: number | null;
}

export const round2 = (x: number) => Math.round(x * 100) / 100;

export function meanOf(values: readonly number[]): number | null {
  return values.length === 0 ? null : round2(values.reduce((sum, x) => sum + x, 0) / values.length);
}

function group(entries: readonly ScoredEntry[]): ScoreGroup {
  return { entries: entries.length, meanScore: meanOf(entries.map((e) => e.score)) };
}

/** The mean score of each local day with entries, oldest first (each day weighs the same in trends and correlations). */
export function dailyMeans(entries: readonly ScoredEntry[]): Map<string, number> {
  const byDay = new Map<string, number[]>();
  for (const entry of entries) byDay.set(entry.localDate, [...(byDay.get(entry.localDate) ?? []), entry.score]);
  const days = [...byDay.keys()].sort();
  return new Map(days.map((day) => [day, byDay.get(day)!.reduce((s, x) => s + x, 0) / byDay.get(day)!.length]));
}

export const MIN_TREND_DAYS = 3;

export interface MoodTrend {
  /** Least-squares slope of the daily mean score against the day, × 7: score points per week; null below MIN_TREND_DAYS. */
  slopePerWeek: number | null;
  /** Days with entries the line was fitted to. */
  days: number;
}

/**
 * Ordinary least squares of each day's mean score on its day number (days without entries are left out, not
 * zeros), scaled to a week. A slope of +0.5 means the score rose by half a point a week over the window.
 */
export function moodTrend(means: Map<string, number>): MoodTrend {
  const days = [...means.keys()];
  if (days.length < MIN_TREND_DAYS) return { slopePerWeek: null, days: days.length };
  const origin = Date.parse(days[0]! + 'T00:00:00Z');
  const points = days.map((day) => [(Date.parse(day + 'T00:00:00Z') - origin) / 86_400_000, means.get(day)!]);
  return { slopePerWeek: Math.round(linearRegression(points).m * 7 * 1000) / 1000, days: days.length };
}

/** Mean score per ISO week (Monday start) of the local days, weeks without entries left out. */
export function byWeek(entries: readonly ScoredEntry[]): ({ weekStart: string } & ScoreGroup)[] {
  const weeks = new Map<string, ScoredEntry[]>();
  for (const entry of entries) {
    const start = addDays(entry.localDate, -isoWeekday(entry.localDate));
    weeks.set(start, [...(weeks.get(start) ?? []), entry]);
  }
  return [...weeks.keys()].sort().map((weekStart) => ({ weekStart, ...group(weeks.get(weekStart)!) }));
}

/** Entries per mood label (every label, in the catalogue's order) with their share of labelled entries in %. */
export function byMood(entries: readonly ScoredEntry[]): ({ mood: string; share: number } & ScoreGroup)[] {
  const labelled = entries.filter((e) => e.mood !== null).length;
  return MOOD_LABELS.map((mood) => {
    const of = entries.filter((e) => e.mood === mood);
    return { mood, ...group(of), share: labelled === 0 ? 0 : Math.round((1000 * of.length) / labelled) / 10 };
  });
}

/** Entries and mean score per tag, most used first (ties by name). */
export function byTag(entries: readonly ScoredEntry[]): ({ tag: string } & ScoreGroup)[] {
  const tags = new Map<string, ScoredEntry[]>();
  for (const entry of entries) for (const tag of entry.tags) tags.set(tag, [...(tags.get(tag) ?? []), entry]);
  return [...tags.entries()]
    .map(([tag, of]) => ({ tag, ...group(of) }))
    .sort((a, b) => b.entries - a.entries || a.tag.localeCompare(b.tag));
}

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;

/** Entries per weekday of their local day, Monday first. */
export function byWeekday(entries: readonly ScoredEntry[]): ({ weekday: string } & ScoreGroup)[] {
  return WEEKDAYS.map((weekday, index) => ({ weekday, ...group(entries.filter((e) => isoWeekday(e.localDate) === index)) }));
}

/** Parts of the day by the local hour of the entry (in the zone it was written in): [fromHour, toHour). */
export const DAY_PARTS = [
  { part: 'night', fromHour: 0, toHour: 6 },
  { part: 'morning', fromHour: 6, toHour: 12 },
  { part: 'afternoon', fromHour: 12, toHour: 18 },
  { part: 'evening', fromHour: 18, toHour: 24 },
] as const;

export function localHour(entry: Pick<ScoredEntry, 'at' | 'timezone'>): number {
  const at = Date.parse(entry.at);
  return new Date(at + zoneOffsetAt(entry.timezone, at)).getUTCHours();
}

export function byTimeOfDay(entries: readonly ScoredEntry[]): ({ part: string; fromHour: number; toHour: number } & ScoreGroup)[] {
  const hours = entries.map((entry) => ({ entry, hour: localHour(entry) }));
  return DAY_PARTS.map((part) => ({
    ...part,
    ...group(hours.filter(({ hour }) => hour >= part.fromHour && hour < part.toHour).map(({ entry }) => entry)),
  }));
}
