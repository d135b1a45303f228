import { describe, expect, it } from 'vitest';
import { Invalid } from '../../src/lib/errors.js';
import { entryTime } from '../../src/wellness/entry-time.js';
import { byTimeOfDay, byWeek, dailyMeans, localHour, moodTrend, type ScoredEntry } from '../../src/wellness/mood/mood-summary.js';
import { normalizeTags } from '../../src/wellness/tags.js';

const entry = (localDate: string, score: number, at = `${localDate}T12:00:00.000Z`, timezone = 'UTC'): ScoredEntry => ({
  at,
  localDate,
  timezone,
  score,
  mood: null,
  tags: [],
});

describe('mood trend', () => {
  it('is the least-squares slope of daily means per week, skipping days without entries', () => {
    // Days 0, 1, 3, 6 with means 4, 5, 5, 8: x̄ = 2.5, ȳ = 5.5; Sxy = (−2.5)(−1.5) + (−1.5)(−0.5) + (0.5)(−0.5) + (3.5)(2.5) = 13;
    // Sxx = 6.25 + 2.25 + 0.25 + 12.25 = 21; slope 13/21 a day.
    const means = dailyMeans([
      entry('2025-06-01', 3),
      entry('2025-06-01', 5),
      entry('2025-06-02', 5),
      entry('2025-06-04', 5),
      entry('2025-06-07', 8),
    ]);
    expect([...means.values()]).toEqual([4, 5, 5, 8]);
    expect(moodTrend(means)).toEqual({ slopePerWeek: Math.round((13 / 21) * 7 * 1000) / 1000, days: 4 });
  });

  it('has no slope below three days', () => {
    expect(moodTrend(dailyMeans([entry('2025-06-01', 3), entry('2025-06-02', 9)]))).toEqual({ slopePerWeek: null, days: 2 });
  });
});

describe('mood distributions', () => {
  it('groups by ISO week starting on Monday', () => {
    // Sunday 8 June 2025 closes the week of 2 June; Monday 9 June opens the next.
    expect(byWeek([entry('2025-06-08', 4), entry('2025-06-09', 6), entry('2025-06-10', 9)])).toEqual([
      { weekStart: '2025-06-02', entries: 1, meanScore: 4 },
      { weekStart: '2025-06-09', entries: 2, meanScore: 7.5 },
    ]);
  });

  it('reads the hour in the zone the entry was written in, across a DST change', () => {
    // 06:30 UTC on 30 March 2025 is 08:30 in Berlin (summer time from 03:00); 00:30 UTC was 01:30 (winter time).
    expect(localHour({ at: '2025-03-30T06:30:00.000Z', timezone: 'Europe/Berlin' })).toBe(8);
    expect(localHour({ at: '2025-03-30T00:30:00.000Z', timezone: 'Europe/Berlin' })).toBe(1);
    const parts = byTimeOfDay([
      entry('2025-03-30', 2, '2025-03-30T00:30:00.000Z', 'Europe/Berlin'),
      entry('2025-03-30', 6, '2025-03-30T06:30:00.000Z', 'Europe/Berlin'),
      entry('2025-03-30', 8, '2025-03-30T21:59:00.000Z', 'Europe/Berlin'),
    ]);
    expect(parts.map((p) => [p.part, p.entries, p.meanScore])).toEqual([
      ['night', 1, 2],
      ['morning', 1, 6],
      ['afternoon', 0, null],
      ['evening', 1, 8],
    ]);
  });
});

describe('entry time and tags', () => {
  const clock = { now: () => new Date('2025-06-10T12:00:00.000Z') };

  it('files an instant under the local day of the user’s zone and refuses the future', () => {
    expect(entryTime({ clock }, { timezone: 'Pacific/Kiritimati' }, new Date('2025-06-10T10:30:00.000Z'))).toMatchObject({
      localDate: '2025-06-11',
    });
    expect(entryTime({ clock }, { timezone: 'UTC' }, null).at.toISOString()).toBe('2025-06-10T12:00:00.000Z');
    expect(() => entryTime({ clock }, { timezone: 'UTC' }, new Date('2025-06-10T12:06:00.000Z'))).toThrow(Invalid);
  });

  it('stores tags trimmed, lower-case and once each', () => {
    expect(normalizeTags([' Work', 'work', 'FAMILY '])).toEqual(['work', 'family']);
    expect(() => normalizeTags([' '])).toThrow(Invalid);
  });
});
