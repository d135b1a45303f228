import { percentileSorted } from '../analytics/statistics.js';
import { addDays } from '../lib/time.js';
import type { Night } from './nights.js';

/**
 * Sleep debt: a running balance of time asleep against a nightly need.
 *
 * - Need: 8 h by default, the middle of the 7–9 h the National Sleep Foundation recommends for adults
 *   (Hirshkowitz et al. 2015, "National Sleep Foundation's sleep time duration recommendations", Sleep Health
 *   1(1):40–43). Personalised once the user has PERSONAL_MIN_NIGHTS nights in the HISTORY_NIGHTS before the window:
 *   the 75th percentile of their time asleep (their longer nights, when sleep is not cut short, come closest to
 *   what they need; a heuristic, not a clinical measure), kept within the recommended 7–9 h.
 * - Balance: from 0 at the window's start, each night with data adds need − asleep, and the debt never goes below 0
 *   (a long night repays debt; it does not bank sleep for later). Nights without data change nothing: a missing
 *   night is not a sleepless one.
 * - Level (VitaSync's bands, for display): none under 1 h, low under 5 h, moderate under 10 h, high from 10 h.
 */
export const DEFAULT_NEED_MINUTES = 480;
export const NEED_RANGE_MINUTES = [420, 540] as const;
export const HISTORY_NIGHTS = 90;
export const PERSONAL_MIN_NIGHTS = 28;
export const PERSONAL_PERCENTILE = 75;
export const DEFAULT_DEBT_NIGHTS = 14;
export const MAX_DEBT_NIGHTS = 90;

export type DebtLevel = 'none' | 'low' | 'moderate' | 'high';

export interface SleepNeed {
  minutes: number;
  basis: 'default' | 'personal';
  /** Nights of history the need was computed from (personal), or that were found (default: too few). */
  historyNights: number;
  historyFrom: string;
  historyTo: string;
}

export interface DebtNight {
  date: string;
  /** Null: no sleep recorded that night. */
  asleepMinutes: number | null;
  source: string | null;
  /** need − asleep (positive: short of the need). */
  balanceMinutes: number | null;
  /** The debt after this night. */
  debtMinutes: number;
}

export interface SleepDebt {
  asOf: string;
  from: string;
  to: string;
  need: SleepNeed;
  debtMinutes: number;
  level: DebtLevel;
  nightsWithData: number;
  averageAsleepMinutes: number | null;
  /** Σ max(0, need − asleep): the shortfall before long nights repaid any of it. */
  shortfallMinutes: number;
  sources: string[];
  nights: DebtNight[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

export function sleepNeed(nights: ReadonlyMap<string, Night>, windowStart: string): SleepNeed {
  const historyFrom = addDays(windowStart, -HISTORY_NIGHTS);
  const historyTo = addDays(windowStart, -1);
  const asleep = [...nights.values()]
    .filter((night) => night.date >= historyFrom && night.date <= historyTo)
    .map((night) => night.asleepMinutes)
    .sort((a, b) => a - b);
  if (asleep.length < PERSONAL_MIN_NIGHTS) {
    return { minutes: DEFAULT_NEED_MINUTES, basis: 'default', historyNights: asleep.length, historyFrom, historyTo };
  }
  const [low, high] = NEED_RANGE_MINUTES;
  const minutes = Math.min(high, Math.max(low, percentileSorted(asleep, PERSONAL_PERCENTILE)));
  return { minutes: round1(minutes), basis: 'personal', historyNights: asleep.length, historyFrom, historyTo };
}

function levelOf(debtMinutes: number): DebtLevel {
  if (debtMinutes < 60) return 'none';
  if (debtMinutes < 300) return 'low';
  if (debtMinutes < 600) return 'moderate';
  return 'high';
}

/** The debt over the `days` nights ending on asOf (the night that ended that morning included). */
export function sleepDebt(nights: ReadonlyMap<string, Night>, asOf: string, days: number): SleepDebt {
  const from = addDays(asOf, 1 - days);
  const need = sleepNeed(nights, from);
  let debt = 0;
  let shortfall = 0;
  const rows: DebtNight[] = [];
  const sources = new Set<string>();
  const asleepValues: number[] = [];
  for (let date = from; date <= asOf; date = addDays(date, 1)) {
    const night = nights.get(date);
    if (!night) {
      rows.push({ date, asleepMinutes: null, source: null, balanceMinutes: null, debtMinutes: round1(debt) });
      continue;
    }
    const balance = need.minutes - night.asleepMinutes;
    debt = Math.max(0, debt + balance);
    shortfall += Math.max(0, balance);
    sources.add(night.source);
    asleepValues.push(night.asleepMinutes);
    rows.push({
      date,
      asleepMinutes: round1(night.asleepMinutes),
      source: night.source,
      balanceMinutes: round1(balance),
      debtMinutes: round1(debt),
    });
  }
  const average = asleepValues.length ? asleepValues.reduce((a, b) => a + b, 0) / asleepValues.length : null;
  return {
    asOf,
    from,
    to: asOf,
    need,
    debtMinutes: round1(debt),
    level: levelOf(debt),
    nightsWithData: asleepValues.length,
    averageAsleepMinutes: average === null ? null : round1(average),
    shortfallMinutes: round1(shortfall),
    sources: [...sources].sort(),
    nights: rows,
  };
}
