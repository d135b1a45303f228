import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modifiedZScore, seriesStatistics } from '../../src/analytics/statistics.js';

// Values computed by NumPy and SciPy (scripts/analytics-reference.py), not by our code.
interface Reference {
  series: Record<
    string,
    {
      values: number[];
      n: number;
      mean: number;
      median: number;
      sd: number | null;
      mad: number;
      p10: number;
      p90: number;
      modifiedZ: Record<string, number | null>;
    }
  >;
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/analytics/reference.json', import.meta.url), 'utf8')) as Reference;

/** Equal to 1e-9 relative (or both exactly zero / null). */
function expectClose(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) return void expect(actual, what).toBeNull();
  expect(actual, what).not.toBeNull();
  const scale = Math.max(Math.abs(expected), Math.abs(actual!));
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * scale);
}

describe('series statistics against NumPy/SciPy', () => {
  for (const [name, ref] of Object.entries(reference.series)) {
    it(`${name}: mean, median, SD, MAD, p10 and p90 as NumPy/SciPy compute them`, () => {
      const stats = seriesStatistics(ref.values)!;
      expect(stats.n).toBe(ref.n);
      for (const key of ['mean', 'median', 'sd', 'mad', 'p10', 'p90'] as const) expectClose(stats[key], ref[key], `${name}.${key}`);
    });

    it(`${name}: modified z-scores of probe values against the series as a baseline`, () => {
      for (const [probe, expected] of Object.entries(ref.modifiedZ)) {
        expectClose(modifiedZScore(Number(probe), ref.values), expected, `${name} z(${probe})`);
      }
    });
  }

  it('has no statistics for an empty series and no SD for one value', () => {
    expect(seriesStatistics([])).toBeNull();
    expect(seriesStatistics([61])).toMatchObject({ n: 1, mean: 61, median: 61, sd: null, mad: 0, p10: 61, p90: 61 });
  });

  it('gives no modified z-score against a baseline without any spread', () => {
    expect(modifiedZScore(70, [60, 60, 60])).toBeNull();
  });
});
