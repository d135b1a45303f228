import { describe, expect, it } from 'vitest';
import type { DailySummary } from '../../src/health/daily-summaries.js';
import { activityComponents } from '../../src/scores/activity-area.js';
import { cardioComponents } from '../../src/scores/cardio-area.js';
import { snapshotChanges, type ComparableSnapshot } from '../../src/scores/snapshot-changes.js';

function day(metricType: string, date: string, value: number, source = 'garmin'): DailySummary {
  return {
    date,
    timezone: 'UTC',
    metricType,
    unit: 'min',
    agg: 'sum',
    value,
    count: 1,
    min: value,
    max: value,
    source,
    sources: [source],
    mergedBy: 'none',
  } as DailySummary;
}

describe('health score areas from daily values', () => {
  it('falls back to exercise minutes when no intensity minutes were recorded, and leaves out days outside the 7', () => {
    const days = [
      day('exercise_minutes', '2025-06-08', 90), // the day before the window
      day('exercise_minutes', '2025-06-10', 20),
      day('exercise_minutes', '2025-06-14', 40),
    ];
    const [minutes] = activityComponents(days, '2025-06-15');
    // (20 + 40) / 2 × 7 = 210 min/week, past the 150 of WHO 2020: full marks.
    expect(minutes).toMatchObject({ component: 'active_minutes', source: 'exercise_minutes', value: 210, n: 2, subScore: 100 });
  });

  it('does not score HRV without 7 baseline days before the window', () => {
    const days = [
      ...['2025-06-01', '2025-06-02', '2025-06-03', '2025-06-04', '2025-06-05', '2025-06-06'].map((d, i) => day('hrv_rmssd', d, 40 + i)),
      day('hrv_rmssd', '2025-06-12', 50),
    ];
    expect(cardioComponents(days, '2025-06-15')).toEqual([]);
  });
});

describe('snapshot changes', () => {
  const snapshot = (id: string, overall: number | null, latest: [string, number][]): ComparableSnapshot => ({
    id,
    takenAt: new Date('2025-06-15T00:00:00Z'),
    asOf: '2025-06-14',
    scores: {
      userId: 'u',
      timezone: 'UTC',
      asOf: '2025-06-14',
      overall,
      sleep: null,
      activity: 60,
      cardio: null,
      recovery: null,
      areas: [],
      missing: [],
    },
    latest: latest.map(([metricType, value]) => ({ metricType, value, unit: 'x', recordedAt: '2025-06-14T08:00:00.000Z', source: 'api' })),
  });

  it('gives every score and latest value then and now, with a delta only when both exist', () => {
    const changes = snapshotChanges(
      snapshot('b', 70, [
        ['weight', 79.2],
        ['spo2', 97],
      ]),
      snapshot('a', null, [
        ['weight', 80],
        ['vo2max', 45],
      ]),
    );
    expect(changes.previousId).toBe('a');
    expect(changes.scores.find((c) => c.score === 'overall')).toEqual({ score: 'overall', from: null, to: 70, delta: null });
    expect(changes.scores.find((c) => c.score === 'activity')).toEqual({ score: 'activity', from: 60, to: 60, delta: 0 });
    expect(changes.latest.map((c) => [c.metricType, c.from, c.to, c.delta])).toEqual([
      ['spo2', null, 97, null],
      ['vo2max', 45, null, null],
      ['weight', 80, 79.2, -0.8],
    ]);
  });
});
