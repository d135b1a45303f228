import type { SqlSession } from '../db/client.js';
import type { ConsumerDeps, DomainEventConsumer } from '../domain-events/consumers.js';
import { mergedDays, type RollupReader } from '../health/daily-summaries.js';
import { addDays, localDay } from '../lib/time.js';
import { CHALLENGE_COLUMNS, toChallengeRow, type ChallengeAggregation, type ChallengeRow } from './challenge-store.js';

/** A member's score from their daily values in the window: 0 without data (they stand last, tied). */
export function scoreOf(aggregation: ChallengeAggregation, values: readonly number[]): number {
  if (values.length === 0) return 0;
  if (aggregation === 'sum') return values.reduce((a, b) => a + b, 0);
  if (aggregation === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  return Math.max(...values);
}

/**
 * Recomputes one member's standing from the merged daily rollups of their own local days in the window (so a member
 * in UTC+14 and one in UTC−11 each count their own calendar days), in the caller's transaction.
 */
export async function refreshStanding(sql: RollupReader['sql'], challenge: ChallengeRow, userId: string): Promise<void> {
  const days = await mergedDays({ sql, workspaceId: challenge.workspaceId }, userId, challenge.startDate, challenge.endDate, [
    challenge.metricType,
  ]);
  await sql.query(`UPDATE "ChallengeMember" SET value = $3, days = $4, "updatedAt" = now() WHERE "challengeId" = $1 AND "userId" = $2`, [
    challenge.id,
    userId,
    scoreOf(
      challenge.aggregation,
      days.map((day) => day.value),
    ),
    days.length,
  ]);
}

const MEMBER_CHALLENGES_SQL = `
SELECT ${CHALLENGE_COLUMNS} FROM "ChallengeMember" m JOIN "Challenge" c ON c.id = m."challengeId"
WHERE m."userId" = $1 AND c."metricType" = ANY($2::text[]) AND c."startDate" <= $4::date AND c."endDate" >= $3::date`;

/**
 * Challenge standings as a domain event consumer: an ingest of a metric refreshes the standing of its user in each
 * challenge on that metric whose window the ingest's local days touch. Leaderboards then read standings only.
 */
export function challengeStandingsConsumer(_deps: ConsumerDeps): DomainEventConsumer {
  return {
    name: 'challenge-standings',
    handle: async (event, tx: SqlSession) => {
      if (event.type !== 'health_data.ingested') return;
      const payload = event.payload;
      const [user] = await tx.query<{ id: string; timezone: string }>('SELECT id, timezone FROM "User" WHERE id = $1', [payload.userId]);
      if (!user) return;
      const metrics = (payload.metrics ?? []).map((metric: { metricType: string }) => metric.metricType);
      // A day either side: merged days around an ingest can change (merged-daily-rollups.ts).
      const from = addDays(localDay(user.timezone, new Date(payload.from)), -1);
      const to = addDays(localDay(user.timezone, new Date(payload.to)), 1);
      const challenges = await tx.query(MEMBER_CHALLENGES_SQL, [user.id, `{${metrics.join(',')}}`, from, to]);
      for (const row of challenges) await refreshStanding(tx, toChallengeRow(row), user.id);
    },
  };
}
