import betainc from '@stdlib/math-base-special-betainc';

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

/**
 * Pearson's r of two equally long series (NaN when either is constant). Two passes over typed arrays, no copies:
 * correlation discovery runs thousands of these a request.
 */
export function pearsonR(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += x[i]!;
    sumY += y[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - meanX;
    const dy = y[i]! - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? Number.NaN : sxy / Math.sqrt(sxx * syy);
}

/**
 * Midranks (1-based; tied values share the average of their ranks), as Spearman's ρ and scipy's rankdata use. A
 * value's ties occupy sorted positions lo … hi − 1, so its midrank is (lo + 1 + hi) / 2: one native sort of a typed
 * copy and two binary searches a value, no comparator calls (correlation discovery ranks thousands of series).
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = values[i]!;
    const lo = firstAtLeast(sorted, value, false);
    const hi = firstAtLeast(sorted, value, true);
    ranks[i] = (lo + 1 + hi) / 2;
  }
  return ranks;
}

/** The first index of a sorted array whose value is ≥ value (or > value when strict). */
function firstAtLeast(sorted: Float64Array, value: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (strict ? sorted[mid]! <= value : sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A coefficient over n pairs as a test: null when it is undefined (a constant series) or n < 3. */
export function correlationTest(r: number, n: number): CorrelationTest | null {
  if (n < 3 || !Number.isFinite(r)) return null;
  const clamped = clamp(r);
  return { r: clamped, p: correlationPValue(clamped, n) };
}

/** Pearson's r (linear) and its p-value; null when a series is constant (r is undefined) or n < 3. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationTest | null {
  return x.length < 3 ? null : correlationTest(pearsonR(x, y), x.length);
}

/** Spearman's ρ (Pearson's r of the midranks) and its p-value; as pearson. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): CorrelationTest | null {
  return x.length < 3 ? null : correlationTest(pearsonR(midranks(x), midranks(y)), x.length);
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
