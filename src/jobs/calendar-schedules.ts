import { findWorkflow } from '../../workflows/registry.js';
import { jobAttempts, RETRY_PROFILES } from '../../workflows/retry.js';
import { textArray } from '../db/array-literal.js';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { nextCalendarFire, type CalendarSpec } from './calendar.js';

/** Schedules fired per transaction: 10,000 digests due at 07:30 are taken 500 at a time. */
const BATCH = 500;

interface DueRow {
  id: string;
  workspaceId: string;
  workflow: string;
  input: unknown;
  calendar: CalendarSpec;
  timezone: string;
  slot: Date;
}

/**
 * Fires the calendar schedules that are due on the local runner: each one's job (id `<scheduleId>:<slot>`, so two
 * runners firing the same slot start it once) and its next fire time, computed in its zone (src/jobs/calendar.ts)
 * and stored, so the runner's one timer can aim at the earliest. Runs missed while no runner ran are not
 * replayed: the next slot is the first after now. Returns the number of schedules fired.
 */
export async function fireCalendarSchedules(db: Db): Promise<number> {
  let fired = 0;
  for (;;) {
    const due = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRawUnsafe<DueRow[]>(
        `SELECT id, "workspaceId", workflow, input, calendar, timezone, "nextRunAt" AS slot FROM "Schedule"
         WHERE NOT paused AND calendar IS NOT NULL AND "nextRunAt" <= now()
         ORDER BY "nextRunAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return rows;
      const now = Date.now();
      const next = rows.map((row) => nextCalendarFire(row.calendar, row.timezone, Math.max(now, new Date(row.slot).getTime())));
      // A spec with no time left (past 2100) stays, paused, rather than firing again.
      await tx.$executeRawUnsafe(
        `UPDATE "Schedule" s SET "nextRunAt" = coalesce(v.next::timestamptz, s."nextRunAt"), paused = v.next IS NULL,
           "updatedAt" = now()
         FROM unnest($1::text[], $2::text[]) AS v(id, next) WHERE s.id = v.id`,
        textArray(rows.map((row) => row.id)),
        textArray(next.map((instant) => (instant === null ? null : new Date(instant).toISOString()))),
      );
      return rows;
    });
    if (due.length > 0) {
      await db.job.createMany({
        data: due.map((row) => ({
          id: `${row.id}:${new Date(row.slot).toISOString()}`,
          workspaceId: row.workspaceId,
          workflow: row.workflow,
          input: row.input as Prisma.InputJsonValue,
          status: 'queued',
          maxAttempts: jobAttemptsOf(row.workflow),
        })),
        skipDuplicates: true,
      });
    }
    fired += due.length;
    if (due.length < BATCH) return fired;
  }
}

function jobAttemptsOf(workflow: string): number {
  return jobAttempts(RETRY_PROFILES[findWorkflow(workflow)?.retry ?? 'sync']);
}
