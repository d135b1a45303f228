export const CHALLENGE_AGGREGATIONS = ['sum', 'mean', 'max'] as const;
export type ChallengeAggregation = (typeof CHALLENGE_AGGREGATIONS)[number];
export const CHALLENGE_VISIBILITIES = ['public', 'private'] as const;
export type ChallengeVisibility = (typeof CHALLENGE_VISIBILITIES)[number];

/** A stored challenge, its dates as local days (YYYY-MM-DD). */
export interface ChallengeRow {
  id: string;
  workspaceId: string;
  name: string;
  metricType: string;
  aggregation: ChallengeAggregation;
  startDate: string;
  endDate: string;
  visibility: ChallengeVisibility;
  createdAt: Date;
}

// Dates leave the database as text: a DATE parsed into a JS Date would shift with the server's zone.
export const CHALLENGE_COLUMNS = `c.id, c."workspaceId", c.name, c."metricType", c.aggregation, to_char(c."startDate", 'YYYY-MM-DD') AS "startDate",
  to_char(c."endDate", 'YYYY-MM-DD') AS "endDate", c.visibility, c."createdAt"`;

export function toChallengeRow(row: Record<string, unknown>): ChallengeRow {
  return { ...(row as unknown as ChallengeRow), createdAt: new Date(row.createdAt as string) };
}
