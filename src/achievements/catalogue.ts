/**
 * The achievement catalogue: what a user can unlock, once each, and what unlocks it. The outbox consumer
 * (achievement-consumer.ts) checks them as data arrives; `fromHealthData` ones are erased with the data they came
 * from (DELETE …/health) and can be unlocked again by data ingested afterwards.
 */
export interface AchievementType {
  id: string;
  name: string;
  description: string;
  /** Unlocked by health data (samples, events, records, goals met on them) rather than by a connection. */
  fromHealthData: boolean;
}

/** The step count of a 10,000-step day, and of each day of a step streak. */
export const STEP_DAY = 10_000;
export const STEP_STREAKS = [7, 30, 100] as const;
/** Periods in a row one goal must be met for goal_streak_7. */
export const GOAL_STREAK = 7;

export const ACHIEVEMENT_TYPES = [
  { id: 'first_connection', name: 'Connected', description: 'Connected a first provider account.', fromHealthData: false },
  { id: 'first_sync', name: 'First sync', description: 'A sync from a provider completed.', fromHealthData: false },
  { id: 'first_workout', name: 'First workout', description: 'A first workout was recorded.', fromHealthData: true },
  { id: 'steps_10k_day', name: '10,000 steps', description: 'A local day with at least 10,000 steps.', fromHealthData: true },
  ...STEP_STREAKS.map((days) => ({
    id: `steps_streak_${days}`,
    name: `${days}-day streak`,
    description: `${days} local days in a row with at least 10,000 steps each.`,
    fromHealthData: true,
  })),
  { id: 'first_personal_record', name: 'Personal best', description: 'A first personal record was set.', fromHealthData: true },
  { id: 'first_goal_achieved', name: 'Goal met', description: 'A goal was met for a first period.', fromHealthData: true },
  {
    id: `goal_streak_${GOAL_STREAK}`,
    name: 'Goal streak',
    description: `One goal met ${GOAL_STREAK} periods in a row (days, weeks or months).`,
    fromHealthData: true,
  },
] as const satisfies readonly AchievementType[];

export type AchievementTypeId = (typeof ACHIEVEMENT_TYPES)[number]['id'];

const byId = new Map<string, AchievementType>(ACHIEVEMENT_TYPES.map((type) => [type.id, type]));

export function achievementType(id: string): AchievementType {
  const type = byId.get(id);
  if (!type) throw new Error(`unknown achievement type ${id}`);
  return type;
}

export const HEALTH_DATA_ACHIEVEMENTS: readonly string[] = ACHIEVEMENT_TYPES.filter((type) => type.fromHealthData).map((type) => type.id);
