import type { SqlSession } from '../db/client.js';
import type { RollupReader } from '../health/daily-summaries.js';
import { goalMetric } from './goal-metrics.js';
import type { GoalPeriod } from './periods.js';
import type { GoalDirection, JudgedGoal } from './progress.js';

export const GOAL_STATUSES = ['active', 'archived'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

/** A stored goal as the services use it: dates as the user's local days (YYYY-MM-DD). */
export interface GoalRow {
  id: string;
  workspaceId: string;
  userId: string;
  name: string;
  metricType: string;
  target: number;
  direction: GoalDirection;
  period: GoalPeriod;
  startDate: string;
  endDate: string | null;
  status: GoalStatus;
  createdAt: Date;
  updatedAt: Date;
}

// Dates leave the database as text: a DATE parsed into a JS Date would shift with the server's zone.
export const GOAL_COLUMNS = `id, "workspaceId", "userId", name, "metricType", target, direction, period,
  to_char("startDate", 'YYYY-MM-DD') AS "startDate", to_char("endDate", 'YYYY-MM-DD') AS "endDate", status, "createdAt", "updatedAt"`;

export function toGoalRow(row: Record<string, unknown>): GoalRow {
  return {
    ...(row as unknown as GoalRow),
    target: Number(row.target),
    createdAt: new Date(row.createdAt as string),
    updatedAt: new Date(row.updatedAt as string),
  };
}

export function judged(goal: GoalRow): JudgedGoal {
  return { ...goal, metric: goalMetric(goal.metricType) };
}

/** A user's active goals on some metrics (the goal checks of an ingest). */
export async function activeGoalsOn(tx: RollupReader['sql'], userId: string, metricTypes: readonly string[]): Promise<GoalRow[]> {
  const rows = await tx.query(
    `SELECT ${GOAL_COLUMNS} FROM "Goal" WHERE "userId" = $1 AND status = 'active' AND "metricType" = ANY($2::text[]) ORDER BY id`,
    [userId, `{${metricTypes.join(',')}}`],
  );
  return rows.map(toGoalRow);
}

export async function insertGoal(tx: SqlSession, goal: Omit<GoalRow, 'createdAt' | 'updatedAt' | 'status'>): Promise<GoalRow> {
  const [row] = await tx.query(
    `INSERT INTO "Goal" (id, "workspaceId", "userId", name, "metricType", target, direction, period, "startDate", "endDate", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10::date, now()) RETURNING ${GOAL_COLUMNS}`,
    [
      goal.id,
      goal.workspaceId,
      goal.userId,
      goal.name,
      goal.metricType,
      goal.target,
      goal.direction,
      goal.period,
      goal.startDate,
      goal.endDate,
    ],
  );
  return toGoalRow(row!);
}

export async function saveGoal(tx: SqlSession, goal: GoalRow): Promise<GoalRow> {
  const [row] = await tx.query(
    `UPDATE "Goal" SET name = $2, target = $3, direction = $4, "endDate" = $5::date, status = $6, "updatedAt" = now()
     WHERE id = $1 RETURNING ${GOAL_COLUMNS}`,
    [goal.id, goal.name, goal.target, goal.direction, goal.endDate, goal.status],
  );
  return toGoalRow(row!);
}
