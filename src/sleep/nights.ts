import { zoneOffsetAt } from '../lib/time.js';

/** A sleep session as stored (a health event of type sleep), with the local day it ended on. */
export interface SleepSession {
  id: string;
  /** main | nap | … as the source named it; null when it did not say. */
  subtype: string | null;
  startAt: Date;
  endAt: Date;
  durationSeconds: number;
  details: Record<string, unknown>;
  source: string;
  /** The local day of waking: a night belongs to the morning after. */
  date: string;
}

/** What one session tells about sleep, each figure null when the source did not give what it takes. */
export interface SessionFigures {
  /** Time in bed: the session's span. */
  inBedMinutes: number;
  /** Asleep: the light, deep and REM stages when staged; else time in bed × efficiency; else time in bed. */
  asleepMinutes: number;
  /** Asleep / in bed, %: the source's own figure, else from the stages. */
  efficiency: number | null;
  /** Minutes from the session's start to the first stage of sleep: the source's own figure, else from the stage list. */
  latencyMinutes: number | null;
  /** Wake after sleep onset: awake minutes between the first and the last stage of sleep. */
  wasoMinutes: number | null;
  /** Awakenings after sleep onset: the source's count, else the awake stages between the first and last sleep. */
  awakenings: number | null;
  /** Shares of the time asleep, %. */
  stageShares: { light: number; deep: number; rem: number } | null;
}

interface Stage {
  stage: string;
  startAt: string;
  endAt: string;
}

const minutes = (seconds: number) => seconds / 60;
const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function sessionFigures(session: SleepSession): SessionFigures {
  const { details } = session;
  const inBed = session.durationSeconds;
  const stageSeconds = details.stageSeconds as Record<string, number> | undefined;
  const staged = stageSeconds ? (stageSeconds.light ?? 0) + (stageSeconds.deep ?? 0) + (stageSeconds.rem ?? 0) : 0;
  const givenEfficiency = finite(details.efficiency);
  const asleep = staged > 0 ? staged : givenEfficiency !== null ? (inBed * givenEfficiency) / 100 : inBed;
  const stages = (Array.isArray(details.stages) ? (details.stages as Stage[]) : [])
    .map((s) => ({ stage: s.stage, from: Date.parse(s.startAt), to: Date.parse(s.endAt) }))
    .sort((a, b) => a.from - b.from);
  const sleeping = stages.filter((s) => s.stage !== 'awake');
  const onset = sleeping[0]?.from ?? null;
  const finalWake = sleeping.at(-1)?.to ?? null;
  const awakeInside = onset === null ? [] : stages.filter((s) => s.stage === 'awake' && s.from >= onset && s.to <= finalWake!);
  const givenLatency = finite(details.latencySeconds);
  let waso: number | null = null;
  if (onset !== null) waso = awakeInside.reduce((sum, s) => sum + (s.to - s.from) / 1000, 0);
  else if (stageSeconds && givenLatency !== null) waso = Math.max(0, (stageSeconds.awake ?? 0) - givenLatency);
  return {
    inBedMinutes: minutes(inBed),
    asleepMinutes: minutes(asleep),
    efficiency: givenEfficiency ?? (staged > 0 ? (100 * staged) / inBed : null),
    latencyMinutes:
      givenLatency !== null ? minutes(givenLatency) : onset !== null ? minutes((onset - session.startAt.getTime()) / 1000) : null,
    wasoMinutes: waso === null ? null : minutes(waso),
    awakenings: finite(details.awakenings) ?? (onset !== null ? awakeInside.length : null),
    stageShares:
      staged > 0
        ? {
            light: (100 * (stageSeconds!.light ?? 0)) / staged,
            deep: (100 * (stageSeconds!.deep ?? 0)) / staged,
            rem: (100 * (stageSeconds!.rem ?? 0)) / staged,
          }
        : null,
  };
}

/** A night: the sleep of one source that ended on one local day (its main sleep and its naps). */
export interface Night {
  date: string;
  source: string;
  sessions: SleepSession[];
  /** The longest session of the night (subtype main first): the one whose quality is judged. */
  main: SleepSession;
  asleepMinutes: number;
}

/**
 * One night per local day of waking. Two sources recording the same night would count it twice, so each day takes
 * the source with the most time asleep (as the sleep_minutes series does), not the sum of sources.
 */
export function nightsOf(sessions: readonly SleepSession[]): Map<string, Night> {
  const bySourceDay = new Map<string, SleepSession[]>();
  for (const session of sessions) {
    const key = `${session.date}\u0000${session.source}`;
    bySourceDay.set(key, [...(bySourceDay.get(key) ?? []), session]);
  }
  const nights = new Map<string, Night>();
  for (const group of bySourceDay.values()) {
    const asleep = group.reduce((sum, s) => sum + sessionFigures(s).asleepMinutes, 0);
    const main = [...group].sort(
      (a, b) => Number(b.subtype === 'main') - Number(a.subtype === 'main') || b.durationSeconds - a.durationSeconds,
    )[0]!;
    const night: Night = { date: main.date, source: main.source, sessions: group, main, asleepMinutes: asleep };
    const other = nights.get(night.date);
    if (!other || night.asleepMinutes > other.asleepMinutes) nights.set(night.date, night);
  }
  return nights;
}

/**
 * A local clock time as minutes after the previous local noon (−720 … 720 around midnight would wrap): bedtimes
 * at 23:30 and 00:30 are 690 and 750, one hour apart, as they should be.
 */
export function minutesAfterNoon(timeZone: string, at: Date): number {
  const local = at.getTime() + zoneOffsetAt(timeZone, at.getTime());
  const ofDay = ((local % 86_400_000) + 86_400_000) % 86_400_000;
  return (ofDay / 60_000 + 720) % 1440;
}
