import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATL_DAYS, CTL_DAYS, ewma } from '../../src/training/training-load.js';

// CTL and ATL of 20 weeks of daily loads computed by SciPy (scripts/analytics-reference.py: scipy.signal.lfilter
// with alpha = 1 − e^(−1/τ)), not by our code.
interface Reference {
  ewma: { loads: number[]; ctl: { tau: number; values: number[] }; atl: { tau: number; values: number[] } };
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/analytics/reference.json', import.meta.url), 'utf8')) as Reference;

function expectCloseSeries(actual: number[], expected: number[], what: string): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((value, day) => {
    const scale = Math.max(Math.abs(value), Math.abs(actual[day]!));
    expect(Math.abs(actual[day]! - value), `${what} day ${day}: ${actual[day]} vs ${value}`).toBeLessThanOrEqual(1e-9 * scale);
  });
}

describe('training load averages against SciPy', () => {
  it('CTL is the 42-day exponentially weighted average of daily load, day by day', () => {
    expect(reference.ewma.ctl.tau).toBe(CTL_DAYS);
    expectCloseSeries(ewma(reference.ewma.loads, CTL_DAYS), reference.ewma.ctl.values, 'CTL');
  });

  it('ATL is the 7-day exponentially weighted average of daily load, day by day', () => {
    expect(reference.ewma.atl.tau).toBe(ATL_DAYS);
    expectCloseSeries(ewma(reference.ewma.loads, ATL_DAYS), reference.ewma.atl.values, 'ATL');
  });

  it('differs from the 2 / (τ + 1) and 1 / τ smoothing constants other tools use (the test would catch either)', () => {
    const alphaSeries = (alpha: number) => {
      let average = 0;
      return reference.ewma.loads.map((load) => (average += (load - average) * alpha));
    };
    const last = reference.ewma.loads.length - 1;
    for (const alpha of [2 / (CTL_DAYS + 1), 1 / CTL_DAYS]) {
      expect(Math.abs(alphaSeries(alpha)[last]! - reference.ewma.ctl.values[last]!)).toBeGreaterThan(1e-6);
    }
  });
});
