/**
 * A deterministic random number source in [0, 1) (a linear congruential generator): generated data that is the
 * same on every run, so a failure reproduces from the seed in the test.
 */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
