import type { ServiceContext } from '../context.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getChallenge } from './challenges.js';

export interface LeaderboardEntry {
  /** Competition ranking: members with the same value share a rank, and the next rank skips (1, 2, 2, 4). */
  rank: number;
  userId: string;
  externalId: string;
  value: number;
  days: number;
  joinedAt: Date;
}

type Row = Omit<LeaderboardEntry, 'rank'>;

const PAGE_SQL = `
SELECT m."userId", u."externalId", m.value, m.days, m."joinedAt" FROM "ChallengeMember" m JOIN "User" u ON u.id = m."userId"
WHERE m."challengeId" = $1 AND ($2::float8 IS NULL OR m.value < $2 OR (m.value = $2 AND m."userId" > $3))
ORDER BY m.value DESC, m."userId" LIMIT $4 OFFSET $5`;

const ABOVE_SQL = `
SELECT count(*) FILTER (WHERE value > $2)::int AS above, count(*) FILTER (WHERE value = $2 AND "userId" < $3)::int AS "tiedBefore"
FROM "ChallengeMember" WHERE "challengeId" = $1 AND value >= $2`;

/**
 * Ranks a page: the first row's rank is 1 + the members above it (an index range count); within the page, a row
 * whose value differs from the one before starts a new rank at its position. The page's position comes from the
 * offset, or for keyset pages from the members before its first row.
 */
async function ranked(ctx: ServiceContext, challengeId: string, rows: Row[], offset: number | null): Promise<LeaderboardEntry[]> {
  const first = rows[0];
  if (!first) return [];
  const [counts] = await ctx.sql.query<{ above: number; tiedBefore: number }>(ABOVE_SQL, [challengeId, first.value, first.userId]);
  const above = Number(counts!.above);
  const position = offset ?? above + Number(counts!.tiedBefore);
  let rank = above + 1;
  return rows.map((row, index) => {
    if (index > 0 && row.value !== rows[index - 1]!.value) rank = position + index + 1;
    return { ...row, rank };
  });
}

/** A challenge's members best first (ties ordered by user id), from the standings the consumer keeps. */
export async function leaderboard(ctx: ServiceContext, challengeId: string, args: PageArgs): Promise<Page<LeaderboardEntry>> {
  const challenge = await getChallenge(ctx, challengeId);
  let offset: number | null = null;
  const page = await paginate<Row>(args, {
    list: `leaderboard:${challenge.id}`,
    count: async () =>
      Number(
        (await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "ChallengeMember" WHERE "challengeId" = $1`, [challenge.id]))[0]
          ?.n ?? 0,
      ),
    fetch: async ({ take, skip, after }) => {
      offset = after ? null : skip;
      const rows = await ctx.sql.query<Row>(PAGE_SQL, [
        challenge.id,
        after ? Number(after[0]) : null,
        after ? String(after[1]) : null,
        take,
        after ? 0 : skip,
      ]);
      return rows.map((row) => ({ ...row, value: Number(row.value), days: Number(row.days), joinedAt: new Date(row.joinedAt) }));
    },
    keyOf: (row) => [row.value, row.userId],
  });
  return { ...page, data: await ranked(ctx, challenge.id, page.data, offset) };
}
