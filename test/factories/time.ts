/** A length of time as a reader writes it: `30s`, `5min`, `1h`, `7d`. */
export type Duration = `${number}${'s' | 'min' | 'h' | 'd'}`;

const UNIT_MS = { s: 1_000, min: 60_000, h: 3_600_000, d: 86_400_000 } as const;

export function milliseconds(duration: Duration): number {
  const match = /^(\d+(?:\.\d+)?)(s|min|h|d)$/.exec(duration);
  if (!match) throw new Error(`"${duration}" is not a duration such as 30s, 5min, 1h or 7d`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** The instant `duration` after `at` (an ISO timestamp), as an ISO timestamp. */
export function after(at: string, duration: Duration): string {
  return new Date(Date.parse(at) + milliseconds(duration)).toISOString();
}

/** The day most factory data falls on when a test does not say: a plain summer Tuesday, no DST change near. */
export const A_DAY = '2025-06-10T00:00:00.000Z';
