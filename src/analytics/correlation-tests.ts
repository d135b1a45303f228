import betainc from '@stdlib/math-base-special-betainc';
import { sampleCorrelation, sampleRankCorrelation } from 'simple-statistics';

/** A correlation coefficient with its two-sided p-value. */
export interface CorrelationTest {
  r: number;
  p: number;
}

/**
 * Two-sided p-value of a correlation r over n pairs under the null of no correlation: the t-test with n − 2 degrees
 * of freedom, t = r √((n − 2) / (1 − r²)). With t² = r² df / (1 − r²), P(|T| ≥ |t|) = I_{1−r²}(df/2, 1/2), the
 * regularized incomplete beta function (Abramowitz & Stegun 26.7.1; what scipy.stats.pearsonr and spearmanr
 * compute). stdlib's betainc is accurate to ~1e-15 where jStat's is to ~1e-8.
 */
export function correlationPValue(r: number, n: number): number {
  const df = n - 2;
  if (Math.abs(r) >= 1) return 0;
  return betainc(1 - r * r, df / 2, 0.5);
}

/** Pearson's r (linear) and its p-value; null when a series is constant (r is undefined) or n < 3. */
export function pearson(x: readonly number[], y: readonly number[]): CorrelationTest | null {
  if (x.length < 3) return null;
  const r = sampleCorrelation([...x], [...y]);
  return Number.isFinite(r) ? { r: clamp(r), p: correlationPValue(clamp(r), x.length) } : null;
}

/** Spearman's ρ (Pearson's r of the midranks: ties share their average rank) and its p-value; as pearson. */
export function spearman(x: readonly number[], y: readonly number[]): CorrelationTest | null {
  if (x.length < 3) return null;
  const r = sampleRankCorrelation([...x], [...y]);
  return Number.isFinite(r) ? { r: clamp(r), p: correlationPValue(clamp(r), x.length) } : null;
}

// Rounding can carry |r| a hair past 1 for perfectly related series.
const clamp = (r: number) => Math.max(-1, Math.min(1, r));

/**
 * Benjamini–Hochberg adjusted p-values (q-values) of a family of tests, in the input order: q₍ᵢ₎ = min over j ≥ i
 * of m p₍ⱼ₎ / j, at most 1 (Benjamini & Hochberg 1995; scipy.stats.false_discovery_control(method='bh')). A test
 * with q ≤ α is a discovery with the false discovery rate controlled at α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, index) => ({ p, index })).sort((a, b) => a.p - b.p);
  const q = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const { p, index } = order[rank - 1]!;
    running = Math.min(running, (m * p) / rank);
    q[index] = running;
  }
  return q;
}
