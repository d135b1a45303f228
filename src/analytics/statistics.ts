import { mean, median, medianAbsoluteDeviation, sampleStandardDeviation } from 'simple-statistics';

/**
 * The summary statistics of a series of daily values that baselines and anomaly checks share. Each matches the
 * NumPy/SciPy function named beside it (test/analytics/statistics.test.ts compares with values those computed,
 * scripts/analytics-reference.py).
 */
export interface SeriesStatistics {
  /** Days with a value. */
  n: number;
  mean: number;
  median: number;
  /** Sample standard deviation (n − 1; numpy.std(ddof=1)); null below two days. */
  sd: number | null;
  /** Median absolute deviation from the median, unscaled (scipy.stats.median_abs_deviation, scale=1). */
  mad: number;
  /** 10th and 90th percentiles by linear interpolation (numpy.percentile's default, Hyndman–Fan type 7). */
  p10: number;
  p90: number;
}

export function seriesStatistics(values: readonly number[]): SeriesStatistics | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    mean: mean(sorted),
    median: median(sorted),
    sd: sorted.length > 1 ? sampleStandardDeviation(sorted) : null,
    mad: medianAbsoluteDeviation(sorted),
    p10: percentileSorted(sorted, 10),
    p90: percentileSorted(sorted, 90),
  };
}

/**
 * Percentile q (0–100) of ascending values by linear interpolation between closest ranks (Hyndman & Fan 1996,
 * definition 7; numpy.percentile's default). simple-statistics' quantile picks a rank instead, which differs from
 * what analysts compare with, hence these few lines.
 */
export function percentileSorted(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * (q / 100);
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower]! + (h - lower) * (sorted[upper]! - sorted[lower]!);
}

/** 0.6745 = Φ⁻¹(0.75): it makes the MAD an estimate of the standard deviation for normal data. */
const MAD_TO_SD = 0.6745;
/** √(π/2) ≈ 1.253314: the mean absolute deviation's ratio to the SD for normal data (the MAD = 0 fallback). */
const MEAN_AD_TO_SD = 1.253314;

/**
 * The modified z-score of x against a baseline (Iglewicz & Hoaglin 1993, "How to Detect and Handle Outliers",
 * §2.2): 0.6745 · (x − median) / MAD. When more than half the baseline is one value the MAD is 0; the score then
 * uses the mean absolute deviation, (x − median) / (1.253314 · meanAD) (the convention of IBM SPSS's outlier
 * procedure). Null when the baseline has no spread at all.
 */
export function modifiedZScore(x: number, baseline: readonly number[]): number | null {
  if (baseline.length === 0) return null;
  const centre = median([...baseline]);
  const mad = medianAbsoluteDeviation([...baseline]);
  if (mad > 0) return (MAD_TO_SD * (x - centre)) / mad;
  const meanAd = baseline.reduce((sum, value) => sum + Math.abs(value - centre), 0) / baseline.length;
  if (meanAd > 0) return (x - centre) / (MEAN_AD_TO_SD * meanAd);
  return null;
}
