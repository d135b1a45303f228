import type { SqlSession } from '../db/client.js';
import type { ConsumerDeps, DomainEventConsumer } from '../domain-events/consumers.js';
import { emit } from '../domain-events/emit.js';
import { newId } from '../lib/ids.js';
import { achievementResource, type AchievementRow } from './achievement-resource.js';
import { unlocksOf } from './unlock-rules.js';

const UNLOCK_SQL = `
INSERT INTO "Achievement" (id, "workspaceId", "userId", type, data, "eventId", "unlockedAt")
VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::timestamptz)
ON CONFLICT ("userId", type) DO NOTHING
RETURNING id, "userId", type, data, "eventId", "unlockedAt"`;

async function unlockedTypes(tx: SqlSession, userId: string): Promise<Set<string>> {
  return new Set((await tx.query<{ type: string }>('SELECT type FROM "Achievement" WHERE "userId" = $1', [userId])).map((row) => row.type));
}

/**
 * Achievements as a domain event consumer: each event that can unlock something (a connection, a sync, a workout, a
 * record, an ingest of steps, a goal met) is checked against the catalogue; a new unlock is written with the
 * consumer's receipt and announced with achievement.unlocked in the same transaction. The unique (user, type) key
 * makes it once each: re-ingested data, a retried event or a second qualifying day unlock nothing twice.
 */
export function achievementsConsumer(_deps: ConsumerDeps): DomainEventConsumer {
  return {
    name: 'achievements',
    handle: async (event, tx) => {
      const userId: unknown = event.payload?.userId;
      if (typeof userId !== 'string') return;
      const [user] = await tx.query<{ id: string; timezone: string }>('SELECT id, timezone FROM "User" WHERE id = $1', [userId]);
      if (!user) return;
      const have = await unlockedTypes(tx, user.id);
      const candidates = (await unlocksOf(tx, event, user, have)).filter((unlock) => !have.has(unlock.type));
      const unlocked: AchievementRow[] = [];
      for (const unlock of candidates) {
        const [row] = await tx.query<AchievementRow>(UNLOCK_SQL, [
          newId(),
          event.workspaceId,
          user.id,
          unlock.type,
          JSON.stringify(unlock.data),
          event.id,
          new Date().toISOString(),
        ]);
        if (row) unlocked.push(row);
      }
      if (unlocked.length === 0) return;
      await emit(
        tx,
        unlocked.map((row) => ({
          workspaceId: event.workspaceId,
          type: 'achievement.unlocked' as const,
          payload: achievementResource(row),
          occurredAt: new Date(row.unlockedAt),
        })),
      );
    },
  };
}
