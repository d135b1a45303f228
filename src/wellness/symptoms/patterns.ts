import { addDays } from '../../lib/time.js';
import type { SymptomRow } from './symptom-store.js';

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
/** Parts of the local day by the hour a symptom started: night 00–06, morning 06–12, afternoon 12–18, evening 18–24. */
export const TIMES_OF_DAY = ['night', 'morning', 'afternoon', 'evening'] as const;
/** Days each side needs before a sleep association is given. */
export const MIN_ASSOCIATION_DAYS = 3;

export interface TypeFrequency {
  type: string;
  count: number;
  /** Distinct local days with the type. */
  days: number;
  meanSeverity: number;
  maxSeverity: number;
}

export interface CoOccurrence {
  types: [string, string];
  /** Local days with both types logged. */
  days: number;
}

/**
 * Sleep of the night before symptom days against the other days of the window: the mean of `sleep_minutes`
 * (sleep per local day of waking, src/analytics/daily-series.ts: a night counts for the morning after) over the days
 * with the type and over the days without it, each counting only days with sleep data. Null means with `reason`
 * when a side has fewer than MIN_ASSOCIATION_DAYS days.
 */
export interface SleepAssociation {
  type: string;
  symptomDays: number;
  otherDays: number;
  meanSleepMinutesBefore: number | null;
  meanSleepMinutesOtherDays: number | null;
  /** meanSleepMinutesBefore − meanSleepMinutesOtherDays: negative when nights before the symptom were shorter. */
  differenceMinutes: number | null;
  reason: string | null;
}

export interface SymptomPatterns {
  total: number;
  byType: TypeFrequency[];
  byWeekday: { weekday: number; name: string; count: number }[];
  byTimeOfDay: { period: string; count: number }[];
  coOccurrences: CoOccurrence[];
  sleep: SleepAssociation[];
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

function sleepAssociation(type: string, typeDays: ReadonlySet<string>, sleep: ReadonlyMap<string, number>, from: string, to: string) {
  const before: number[] = [];
  const other: number[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const minutes = sleep.get(day);
    if (minutes !== undefined) (typeDays.has(day) ? before : other).push(minutes);
  }
  const short = before.length < MIN_ASSOCIATION_DAYS || other.length < MIN_ASSOCIATION_DAYS;
  const association: SleepAssociation = {
    type,
    symptomDays: before.length,
    otherDays: other.length,
    meanSleepMinutesBefore: short ? null : mean(before),
    meanSleepMinutesOtherDays: short ? null : mean(other),
    differenceMinutes: short ? null : mean(before) - mean(other),
    reason: short
      ? `needs sleep data on at least ${MIN_ASSOCIATION_DAYS} days with ${type} and ${MIN_ASSOCIATION_DAYS} without ` +
        `(has ${before.length} and ${other.length})`
      : null,
  };
  return association;
}

/** Frequencies, co-occurrences and the sleep association of the logs of a window of local days. */
export function symptomPatterns(
  logs: readonly SymptomRow[],
  sleep: ReadonlyMap<string, number>,
  from: string,
  to: string,
): SymptomPatterns {
  const byType = new Map<string, SymptomRow[]>();
  for (const log of logs) byType.set(log.type, [...(byType.get(log.type) ?? []), log]);
  const daysOf = new Map([...byType].map(([type, list]) => [type, new Set(list.map((log) => log.localDate))]));
  const types = [...byType.keys()].sort();
  const coOccurrences: CoOccurrence[] = [];
  for (const [i, a] of types.entries()) {
    for (const b of types.slice(i + 1)) {
      const days = [...daysOf.get(a)!].filter((day) => daysOf.get(b)!.has(day)).length;
      if (days > 0) coOccurrences.push({ types: [a, b], days });
    }
  }
  return {
    total: logs.length,
    byType: types
      .map((type) => {
        const severities = byType.get(type)!.map((log) => log.severity);
        return {
          type,
          count: severities.length,
          days: daysOf.get(type)!.size,
          meanSeverity: mean(severities),
          maxSeverity: Math.max(...severities),
        };
      })
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
    byWeekday: WEEKDAYS.map((name, weekday) => ({
      weekday,
      name,
      count: logs.filter((log) => new Date(log.localDate + 'T00:00:00Z').getUTCDay() === weekday).length,
    })),
    byTimeOfDay: TIMES_OF_DAY.map((period, index) => ({
      period,
      count: logs.filter((log) => Math.floor(Number(log.localTime.slice(0, 2)) / 6) === index).length,
    })),
    coOccurrences: coOccurrences.sort((a, b) => b.days - a.days || a.types.join().localeCompare(b.types.join())),
    sleep: types.map((type) => sleepAssociation(type, daysOf.get(type)!, sleep, from, to)),
  };
}
