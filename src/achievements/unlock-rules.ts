import type { SqlSession } from '../db/client.js';
import type { DomainEventRecord } from '../domain-events/consumers.js';
import { toGoalRow, GOAL_COLUMNS } from '../goals/goal-store.js';
import { periodOf, previousPeriod, type PeriodSpan } from '../goals/periods.js';
import { mergedDays } from '../health/daily-summaries.js';
import { addDays, localDay } from '../lib/time.js';
import { GOAL_STREAK, STEP_DAY, STEP_STREAKS } from './catalogue.js';

/** An achievement an event unlocks, with the data that unlocked it. */
export interface Unlock {
  type: string;
  data: Record<string, unknown>;
}

const STEP_ACHIEVEMENTS = ['steps_10k_day', ...STEP_STREAKS.map((days) => `steps_streak_${days}`)];

/** A backfill of years is checked over its latest days only; streaks look this far around the data. */
const MAX_CHECKED_DAYS = 400;
const STREAK_MARGIN_DAYS = 100;

/** The longest run of consecutive days in a sorted list of days. */
function longestRun(days: readonly string[]): { from: string; days: number } | null {
  let best: { from: string; days: number } | null = null;
  let start = 0;
  for (let i = 0; i < days.length; i++) {
    if (i > 0 && days[i] !== addDays(days[i - 1]!, 1)) start = i;
    const length = i - start + 1;
    if (!best || length > best.days) best = { from: days[start]!, days: length };
  }
  return best;
}

/** 10,000-step days and streaks of them, from the merged daily steps around the days an ingest touched. */
async function stepUnlocks(tx: SqlSession, event: DomainEventRecord, user: { id: string; timezone: string }): Promise<Unlock[]> {
  const to = localDay(user.timezone, new Date(event.payload.to));
  const firstTouched = localDay(user.timezone, new Date(event.payload.from));
  const from = firstTouched < addDays(to, -MAX_CHECKED_DAYS) ? addDays(to, -MAX_CHECKED_DAYS) : firstTouched;
  const days = await mergedDays(
    { sql: tx, workspaceId: event.workspaceId },
    user.id,
    addDays(from, -STREAK_MARGIN_DAYS),
    addDays(to, STREAK_MARGIN_DAYS),
    ['steps'],
  );
  const big = days.filter((day) => day.value >= STEP_DAY);
  const unlocks: Unlock[] = [];
  const firstBig = big.find((day) => day.date >= from && day.date <= to);
  if (firstBig) unlocks.push({ type: 'steps_10k_day', data: { date: firstBig.date, steps: firstBig.value } });
  const run = longestRun(big.map((day) => day.date));
  for (const length of STEP_STREAKS) {
    if (run && run.days >= length)
      unlocks.push({ type: `steps_streak_${length}`, data: { from: run.from, to: addDays(run.from, length - 1), days: length } });
  }
  return unlocks;
}

/** Consecutive periods of one goal met around the period a goal.achieved announced. */
async function goalStreakUnlock(tx: SqlSession, payload: any): Promise<Unlock | null> {
  const [row] = await tx.query(`SELECT ${GOAL_COLUMNS} FROM "Goal" WHERE id = $1`, [payload.goalId]);
  if (!row) return null;
  const goal = toGoalRow(row);
  const met = new Set(
    (
      await tx.query<{ start: string }>(`SELECT to_char("periodStart", 'YYYY-MM-DD') AS start FROM "GoalAchievement" WHERE "goalId" = $1`, [
        goal.id,
      ])
    ).map((achieved) => achieved.start),
  );
  let first: PeriodSpan = { start: payload.periodStart, end: payload.periodEnd };
  let count = 1;
  for (let span = previousPeriod(goal, first); span && met.has(span.start); span = previousPeriod(goal, span), count++) first = span;
  for (let span = periodOf(goal, addDays(payload.periodEnd, 1)); span && met.has(span.start); span = periodOf(goal, addDays(span.end, 1)))
    count++;
  if (count < GOAL_STREAK) return null;
  return {
    type: `goal_streak_${GOAL_STREAK}`,
    data: { goalId: goal.id, metricType: goal.metricType, period: goal.period, from: first.start, periods: count },
  };
}

/** The achievements an event can unlock (the consumer skips those the user already has). */
export async function unlocksOf(
  tx: SqlSession,
  event: DomainEventRecord,
  user: { id: string; timezone: string },
  have: ReadonlySet<string>,
): Promise<Unlock[]> {
  const payload = event.payload ?? {};
  switch (event.type) {
    case 'connection.created':
      return [{ type: 'first_connection', data: { connectionId: payload.id, providerId: payload.providerId } }];
    case 'sync.completed':
      return [{ type: 'first_sync', data: { connectionId: payload.connectionId, providerId: payload.providerId, jobId: payload.jobId } }];
    case 'health_event.created':
      return payload.type === 'workout'
        ? [{ type: 'first_workout', data: { eventId: payload.id, subtype: payload.subtype ?? null, startAt: payload.startAt } }]
        : [];
    case 'personal_record.created':
      return [
        {
          type: 'first_personal_record',
          data: { recordId: payload.id, metricType: payload.metricType, kind: payload.kind, value: payload.value, unit: payload.unit },
        },
      ];
    case 'health_data.ingested':
      // Every ingest of steps would read the days around it: once all step achievements are in, none need to.
      if (STEP_ACHIEVEMENTS.every((type) => have.has(type))) return [];
      return (payload.metrics ?? []).some((metric: { metricType: string }) => metric.metricType === 'steps')
        ? stepUnlocks(tx, event, user)
        : [];
    case 'goal.achieved': {
      if (have.has('first_goal_achieved') && have.has(`goal_streak_${GOAL_STREAK}`)) return [];
      const first: Unlock = {
        type: 'first_goal_achieved',
        data: {
          goalId: payload.goalId,
          periodStart: payload.periodStart,
          periodEnd: payload.periodEnd,
          value: payload.value,
          target: payload.target,
        },
      };
      const streak = await goalStreakUnlock(tx, payload);
      return streak ? [first, streak] : [first];
    }
    default:
      return [];
  }
}
