import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, pearson, spearman, type CorrelationTest } from '../../src/analytics/correlation-tests.js';

// Values computed by SciPy (scripts/analytics-reference.py): pearsonr, spearmanr, false_discovery_control.
interface RefCorrelation {
  n: number;
  pearson: CorrelationTest;
  spearman: CorrelationTest;
}
const reference = JSON.parse(readFileSync(new URL('../fixtures/analytics/reference.json', import.meta.url), 'utf8')) as {
  correlations: Record<string, RefCorrelation & { x: number[]; y: number[] }>;
  lagged: Record<string, { x: number[]; y: number[]; lags: Record<string, RefCorrelation> }>;
  benjaminiHochberg: { p: number[]; q: number[] };
};

function expectClose(actual: number, expected: number, what: string): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-9 * Math.abs(expected));
}

function expectSameTest(actual: CorrelationTest | null, expected: CorrelationTest, what: string): void {
  expect(actual, what).not.toBeNull();
  expectClose(actual!.r, expected.r, `${what} r`);
  expectClose(actual!.p, expected.p, `${what} p`);
}

describe('correlation tests against SciPy', () => {
  for (const [name, ref] of Object.entries(reference.correlations)) {
    it(`${name}: Pearson and Spearman coefficients and p-values as scipy.stats computes them`, () => {
      expectSameTest(pearson(ref.x, ref.y), ref.pearson, `${name} pearson`);
      expectSameTest(spearman(ref.x, ref.y), ref.spearman, `${name} spearman`);
    });
  }

  for (const [name, ref] of Object.entries(reference.lagged)) {
    it(`${name}: the first series on day d against the second on day d + lag, lags 0 to 3`, () => {
      for (const [lag, expected] of Object.entries(ref.lags)) {
        const x = ref.x.slice(0, ref.x.length - Number(lag));
        const y = ref.y.slice(Number(lag));
        expect(x).toHaveLength(expected.n);
        expectSameTest(pearson(x, y), expected.pearson, `${name} lag ${lag} pearson`);
        expectSameTest(spearman(x, y), expected.spearman, `${name} lag ${lag} spearman`);
      }
    });
  }

  it('adjusts a family of p-values by Benjamini–Hochberg as false_discovery_control does', () => {
    const q = benjaminiHochberg(reference.benjaminiHochberg.p);
    reference.benjaminiHochberg.q.forEach((expected, i) => expectClose(q[i]!, expected, `q[${i}]`));
  });

  it('has no coefficient for a constant series or fewer than three pairs', () => {
    expect(pearson([1, 2, 3, 4], [5, 5, 5, 5])).toBeNull();
    expect(spearman([1, 2], [2, 1])).toBeNull();
  });
});
