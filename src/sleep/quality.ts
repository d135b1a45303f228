import { mean, sampleStandardDeviation } from 'simple-statistics';
import { addDays } from '../lib/time.js';
import { minutesAfterNoon, sessionFigures, type Night, type SessionFigures } from './nights.js';

/**
 * Sleep quality over the nights of a window, from each night's main sleep (the longest session, or the one the
 * source calls main): efficiency, latency, wake after sleep onset (WASO), awakenings and stage shares (each from the
 * source's own figure or its stages: src/sleep/nights.ts), and regularity.
 *
 * - Ratings of the window's means follow the National Sleep Foundation's sleep quality indicators for adults
 *   (Ohayon et al. 2017, "National Sleep Foundation's sleep quality recommendations: first report", Sleep Health
 *   3(1):6–19): latency ≤ 30 min appropriate, 31–60 uncertain, > 60 inappropriate; WASO ≤ 20 min appropriate,
 *   21–50 uncertain, > 50 inappropriate; efficiency ≥ 85% appropriate, 75–84% uncertain, < 75% inappropriate;
 *   awakenings ≤ 1 appropriate, 2–3 uncertain, ≥ 4 inappropriate (the report counts awakenings over 5 minutes;
 *   sources count all, so this rating is the stricter one).
 * - Regularity: the sample standard deviation across nights of the local bedtime, wake time and midpoint of the
 *   main sleep, in minutes (lower is more regular; timing variability as reviewed by Fischer et al. 2021,
 *   "Measuring sleep regularity: theoretical properties and practical usage of existing metrics", Sleep 44(10)).
 *   Clock times count from local noon, so 23:30 and 00:30 are an hour apart.
 */
export const DEFAULT_QUALITY_NIGHTS = 14;
export const MAX_QUALITY_NIGHTS = 90;

export type Rating = 'appropriate' | 'uncertain' | 'inappropriate';

export interface QualityNight extends SessionFigures {
  date: string;
  source: string;
  sessionId: string;
  /** Local clock times (HH:MM) of the main sleep's start and end. */
  bedtime: string;
  wakeTime: string;
}

export interface MeanFigure {
  mean: number | null;
  /** Nights that gave the figure. */
  n: number;
  rating: Rating | null;
}

export interface SleepQuality {
  asOf: string;
  from: string;
  to: string;
  nightsWithData: number;
  sources: string[];
  efficiency: MeanFigure;
  latencyMinutes: MeanFigure;
  wasoMinutes: MeanFigure;
  awakenings: MeanFigure;
  asleepMinutes: MeanFigure;
  stageShares: { light: number; deep: number; rem: number; n: number } | null;
  regularity: { bedtimeSdMinutes: number | null; wakeTimeSdMinutes: number | null; midpointSdMinutes: number | null; n: number };
  nights: QualityNight[];
}

const round1 = (value: number) => Math.round(value * 10) / 10;

function clock(minutesAfterNoonValue: number): string {
  const ofDay = Math.round(minutesAfterNoonValue + 720) % 1440;
  return `${String(Math.floor(ofDay / 60)).padStart(2, '0')}:${String(ofDay % 60).padStart(2, '0')}`;
}

function rate(value: number, appropriate: (v: number) => boolean, uncertain: (v: number) => boolean): Rating {
  return appropriate(value) ? 'appropriate' : uncertain(value) ? 'uncertain' : 'inappropriate';
}

function meanOf(values: readonly (number | null)[], rating?: (mean: number) => Rating): MeanFigure {
  const given = values.filter((v): v is number => v !== null);
  if (given.length === 0) return { mean: null, n: 0, rating: null };
  const m = mean(given);
  return { mean: round1(m), n: given.length, rating: rating ? rating(m) : null };
}

function sd(values: readonly number[]): number | null {
  return values.length < 2 ? null : round1(sampleStandardDeviation(values));
}

export function sleepQuality(nights: ReadonlyMap<string, Night>, timeZone: string, asOf: string, days: number): SleepQuality {
  const from = addDays(asOf, 1 - days);
  const rows: QualityNight[] = [];
  const bed: number[] = [];
  const wake: number[] = [];
  const mid: number[] = [];
  for (let date = from; date <= asOf; date = addDays(date, 1)) {
    const night = nights.get(date);
    if (!night) continue;
    const figures = sessionFigures(night.main);
    const start = minutesAfterNoon(timeZone, night.main.startAt);
    // The end as minutes after the noon before the start: past the next noon for a sleep into the afternoon.
    const end = start + night.main.durationSeconds / 60;
    bed.push(start);
    wake.push(end);
    mid.push((start + end) / 2);
    rows.push({ ...figures, date, source: night.source, sessionId: night.main.id, bedtime: clock(start), wakeTime: clock(end) });
  }
  const staged = rows.filter((row) => row.stageShares !== null);
  const share = (stage: 'light' | 'deep' | 'rem') => round1(mean(staged.map((row) => row.stageShares![stage])));
  return {
    asOf,
    from,
    to: asOf,
    nightsWithData: rows.length,
    sources: [...new Set(rows.map((row) => row.source))].sort(),
    efficiency: meanOf(
      rows.map((r) => r.efficiency),
      (m) =>
        rate(
          m,
          (v) => v >= 85,
          (v) => v >= 75,
        ),
    ),
    latencyMinutes: meanOf(
      rows.map((r) => r.latencyMinutes),
      (m) =>
        rate(
          m,
          (v) => v <= 30,
          (v) => v <= 60,
        ),
    ),
    wasoMinutes: meanOf(
      rows.map((r) => r.wasoMinutes),
      (m) =>
        rate(
          m,
          (v) => v <= 20,
          (v) => v <= 50,
        ),
    ),
    awakenings: meanOf(
      rows.map((r) => r.awakenings),
      (m) =>
        rate(
          m,
          (v) => v <= 1,
          (v) => v <= 3,
        ),
    ),
    asleepMinutes: meanOf(rows.map((r) => r.asleepMinutes)),
    stageShares: staged.length ? { light: share('light'), deep: share('deep'), rem: share('rem'), n: staged.length } : null,
    regularity: { bedtimeSdMinutes: sd(bed), wakeTimeSdMinutes: sd(wake), midpointSdMinutes: sd(mid), n: rows.length },
    nights: rows.map((row) => ({
      ...row,
      inBedMinutes: round1(row.inBedMinutes),
      asleepMinutes: round1(row.asleepMinutes),
      efficiency: row.efficiency === null ? null : round1(row.efficiency),
      latencyMinutes: row.latencyMinutes === null ? null : round1(row.latencyMinutes),
      wasoMinutes: row.wasoMinutes === null ? null : round1(row.wasoMinutes),
      stageShares: row.stageShares && {
        light: round1(row.stageShares.light),
        deep: round1(row.stageShares.deep),
        rem: round1(row.stageShares.rem),
      },
    })),
  };
}
