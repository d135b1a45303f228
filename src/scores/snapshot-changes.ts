import { AREA_IDS, type HealthScores } from './health-scores.js';
import type { LatestValue } from './latest-values.js';

/** One figure then and now: from (the previous snapshot), to (this one), delta = to − from (null when one is missing). */
export interface FigureChange {
  from: number | null;
  to: number | null;
  delta: number | null;
}

export interface ScoreChange extends FigureChange {
  /** overall, sleep, activity, cardio or recovery. */
  score: string;
}

export interface LatestValueChange extends FigureChange {
  metricType: string;
  unit: string;
  fromRecordedAt: string | null;
  toRecordedAt: string | null;
}

/** A snapshot against the one taken before it, so comparing needs no client arithmetic. */
export interface SnapshotChanges {
  previousId: string;
  previousTakenAt: Date;
  previousAsOf: string;
  scores: ScoreChange[];
  /** Every metric with a latest value in either snapshot, alphabetical. */
  latest: LatestValueChange[];
}

export interface ComparableSnapshot {
  id: string;
  takenAt: Date;
  asOf: string;
  scores: HealthScores;
  latest: LatestValue[];
}

const change = (from: number | null, to: number | null): FigureChange => ({
  from,
  to,
  delta: from === null || to === null ? null : Math.round((to - from) * 1e6) / 1e6,
});

export function snapshotChanges(current: ComparableSnapshot, previous: ComparableSnapshot): SnapshotChanges {
  const scores = (['overall', ...AREA_IDS] as const).map((score) => ({ score, ...change(previous.scores[score], current.scores[score]) }));
  const before = new Map(previous.latest.map((value) => [value.metricType, value]));
  const now = new Map(current.latest.map((value) => [value.metricType, value]));
  const metrics = [...new Set([...before.keys(), ...now.keys()])].sort();
  return {
    previousId: previous.id,
    previousTakenAt: previous.takenAt,
    previousAsOf: previous.asOf,
    scores,
    latest: metrics.map((metricType) => {
      const then = before.get(metricType);
      const latest = now.get(metricType);
      return {
        metricType,
        unit: (latest ?? then)!.unit,
        ...change(then?.value ?? null, latest?.value ?? null),
        fromRecordedAt: then?.recordedAt ?? null,
        toRecordedAt: latest?.recordedAt ?? null,
      };
    }),
  };
}
