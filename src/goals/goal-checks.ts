import type { SqlSession } from '../db/client.js';
import type { ConsumerDeps, DomainEventConsumer, DomainEventRecord } from '../domain-events/consumers.js';
import { emit } from '../domain-events/emit.js';
import { newId } from '../lib/ids.js';
import { addDays, localDay, startOfLocalDay } from '../lib/time.js';
import { DERIVED_GOAL_METRICS, dailyValues } from './goal-metrics.js';
import { activeGoalsOn, judged, type GoalRow } from './goal-store.js';
import { periodsBetween } from './periods.js';
import { judgePeriod, REACH_BASELINE_DAYS, startValueOf } from './progress.js';

/** An ingest older than this (a backfill of years) is checked over its latest days only. */
const MAX_CHECKED_DAYS = 400;

/** What goal.achieved carries. */
export interface GoalAchieved {
  goalId: string;
  userId: string;
  metricType: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  value: number;
  target: number;
  direction: string;
  achievedAt: string;
}

const RECORD_SQL = `
INSERT INTO "GoalAchievement" (id, "goalId", "periodStart", "periodEnd", value, target, "achievedAt")
VALUES ($1, $2, $3::date, $4::date, $5, $6, $7::timestamptz)
ON CONFLICT ("goalId", "periodStart") DO NOTHING RETURNING id`;

/**
 * Judges a goal's periods that hold the local days `from`…`to` and records each period met for the first time,
 * announcing it with goal.achieved in the same transaction: a period is achieved once, however often its data is
 * re-ingested or the check runs. at_most periods are met only once over, so they are recorded by the first check
 * after their end (the next ingest of the metric, or a PATCH of the goal).
 */
export async function recordAchievedPeriods(
  tx: SqlSession,
  user: { id: string; timezone: string },
  goal: GoalRow,
  from: string,
  to: string,
  now: Date,
): Promise<GoalAchieved[]> {
  const today = localDay(user.timezone, now);
  const last = [to, today, goal.endDate ?? to].sort()[0]!;
  const first = from < addDays(last, -MAX_CHECKED_DAYS) ? addDays(last, -MAX_CHECKED_DAYS) : from;
  const spans = periodsBetween(goal, first, last);
  if (spans.length === 0) return [];
  const spec = judged(goal);
  const readFrom = goal.direction === 'reach' ? addDays(goal.startDate, -REACH_BASELINE_DAYS) : spans[0]!.start;
  const values = await dailyValues({ sql: tx, workspaceId: goal.workspaceId }, user, spec.metric, readFrom, spans.at(-1)!.end);
  const startValue = startValueOf(spec, values);
  const achieved: GoalAchieved[] = [];
  for (const span of spans) {
    const completed = now.getTime() >= startOfLocalDay(user.timezone, addDays(span.end, 1));
    const result = judgePeriod(spec, span, values, today, completed, startValue);
    if (!result.met) continue;
    const value = result.value ?? 0;
    const inserted = await tx.query(RECORD_SQL, [newId(), goal.id, span.start, span.end, value, goal.target, now.toISOString()]);
    if (inserted.length === 0) continue;
    achieved.push({
      goalId: goal.id,
      userId: user.id,
      metricType: goal.metricType,
      period: goal.period,
      periodStart: span.start,
      periodEnd: span.end,
      value,
      target: goal.target,
      direction: goal.direction,
      achievedAt: now.toISOString(),
    });
  }
  if (achieved.length) {
    await emit(
      tx,
      achieved.map((payload) => ({ workspaceId: goal.workspaceId, type: 'goal.achieved' as const, payload, occurredAt: now })),
    );
  }
  return achieved;
}

/** The metrics an event touched and the instants it spans, for the events that can move a goal. */
function touched(event: DomainEventRecord): { userId: string; metrics: string[]; from: Date; to: Date } | null {
  const payload = event.payload ?? {};
  if (event.type === 'health_data.ingested') {
    return {
      userId: payload.userId,
      metrics: (payload.metrics ?? []).map((metric: { metricType: string }) => metric.metricType),
      from: new Date(payload.from),
      to: new Date(payload.to),
    };
  }
  if ((event.type === 'health_event.created' || event.type === 'health_event.updated') && ['workout', 'sleep'].includes(payload.type)) {
    const metrics = payload.type === 'workout' ? DERIVED_GOAL_METRICS.filter((id) => id !== 'sleep_minutes') : ['sleep_minutes'];
    return { userId: payload.userId, metrics, from: new Date(payload.startAt), to: new Date(payload.endAt) };
  }
  return null;
}

/**
 * Goal checks as a domain event consumer: data that arrived for a user (an ingest of samples, a workout or sleep
 * session) has the user's active goals on those metrics judged over the periods it falls in. The check reads the
 * daily rollups in the consumer's transaction and records what it finds with the receipt: exactly once per event.
 */
export function goalChecksConsumer(_deps: ConsumerDeps): DomainEventConsumer {
  return {
    name: 'goal-checks',
    handle: async (event, tx) => {
      const hit = touched(event);
      if (!hit || typeof hit.userId !== 'string' || hit.metrics.length === 0) return;
      const goals = await activeGoalsOn(tx, hit.userId, hit.metrics);
      if (goals.length === 0) return;
      const [user] = await tx.query<{ id: string; timezone: string }>('SELECT id, timezone FROM "User" WHERE id = $1', [hit.userId]);
      if (!user) return;
      const from = localDay(user.timezone, hit.from);
      // A sleep ending after midnight belongs to the morning after; a day later catches it.
      const to = addDays(localDay(user.timezone, hit.to), 1);
      for (const goal of goals) await recordAchievedPeriods(tx, user, goal, from, to, new Date());
    },
  };
}
