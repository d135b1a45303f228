/**
 * A weighted score from sub-scores of which some may be missing: each weight's share is its part of the weights
 * of the items that have data, so a missing item gives its weight to the others (none: no score). Readiness
 * (src/training/readiness.ts) and the health scores (src/scores/) both weigh their parts this way.
 */
export interface Weighted {
  weight: number;
  /** The weight's share among the items with data; contribution = subScore × share. */
  share: number;
  contribution: number;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

/** The items with their weight, share (4 decimals) and contribution (2 decimals); the score rounded to an integer. */
export function weighScores<T extends { subScore: number }>(
  found: readonly T[],
  weightOf: (item: T) => number,
): { items: (T & Weighted)[]; score: number | null } {
  const total = found.reduce((sum, item) => sum + weightOf(item), 0);
  const items = found.map((item) => {
    const weight = weightOf(item);
    const share = weight / total;
    return { ...item, weight, share: round(share, 4), contribution: round(item.subScore * share, 2) };
  });
  const score = items.length ? Math.round(found.reduce((sum, item) => sum + item.subScore * (weightOf(item) / total), 0)) : null;
  return { items, score };
}
