import { achievementType } from './catalogue.js';

export interface AchievementRow {
  id: string;
  userId: string;
  type: string;
  data: unknown;
  eventId: string;
  unlockedAt: Date | string;
}

/** What GET …/achievements lists and achievement.unlocked carries (one serializer). */
export function achievementResource(row: AchievementRow) {
  const type = achievementType(row.type);
  return {
    id: row.id,
    userId: row.userId,
    type: row.type,
    name: type.name,
    description: type.description,
    unlockedAt: new Date(row.unlockedAt).toISOString(),
    data: (typeof row.data === 'string' ? JSON.parse(row.data) : row.data) as Record<string, unknown>,
    eventId: row.eventId,
  };
}

export type AchievementResource = ReturnType<typeof achievementResource>;
