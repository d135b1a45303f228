import { hostname } from 'node:os';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../workflows/activities.js';
import { findWorkflow, laneWorkflows, type JobLane } from '../../workflows/registry.js';
import { jobAttempts, RETRY_PROFILES, retryDelayMs } from '../../workflows/retry.js';
import type { Db } from '../db/client.js';
import { assertCalendar, nextCalendarFire } from './calendar.js';
import { fireCalendarSchedules } from './calendar-schedules.js';
import { clearJournal, openJournal } from './journal.js';
import { Prisma } from '../generated/prisma/client.js';
import { plainArray } from '../db/array-literal.js';
import { newId } from '../lib/ids.js';
import { log } from '../lib/logger.js';
import type { CalendarSpec } from './calendar.js';
import type { JobRunner, JobState, JobStatus, ScheduleChange, ScheduleOptions, ScheduleState } from './port.js';

export interface LocalRunnerOptions {
  db: Db;
  /** Every activity of every registered workflow; each workflow is handed the ones it declares. */
  activities: Activities;
  /** How long a claimed job stays ours without a heartbeat; after a crash another process takes it then. */
  leaseSeconds?: number;
  pollMs?: number;
  /** Jobs of the `work` lane run at once (syncs, backfills, housekeeping); 0: this runner only enqueues. */
  concurrency?: number;
  /** Jobs of the `outbound` lane run at once (webhook deliveries, notifications); default 32, or 0 with concurrency 0. */
  outboundConcurrency?: number;
}

interface JobRow {
  id: string;
  workflow: string;
  input: unknown;
  attempt: number;
  maxAttempts: number;
}

/** Temporal's non-retryable failure, thrown by an activity or the orchestration: the job fails at once. */
function isNonRetryable(error: unknown): boolean {
  return error instanceof ApplicationFailure && error.nonRetryable === true;
}

/** A calendar schedule's first slot from now (checked first: a bad spec or zone is a 422). */
function firstCalendarRun(calendar: CalendarSpec, timezone: string): Date {
  assertCalendar(calendar, timezone);
  const next = nextCalendarFire(calendar, timezone, Date.now());
  if (next === null) throw new Error(`calendar ${JSON.stringify(calendar)} never fires again`);
  return new Date(next);
}

/** The activities a declaration names, and no others. */
function pick(activities: Activities, names: readonly (keyof Activities)[]): Partial<Activities> {
  return Object.fromEntries(names.map((name) => [name, activities[name]]));
}

/**
 * Runs workflows in this process with their state in the database, so a restart (even after SIGKILL) picks up
 * unfinished work once its lease lapses. Activities are idempotent, so re-running a job repeats nothing.
 */
export function createLocalRunner(options: LocalRunnerOptions): JobRunner & { kick(): void } {
  const { db, activities } = options;
  const leaseSeconds = options.leaseSeconds ?? 30;
  const pollMs = options.pollMs ?? 500;
  const concurrency = options.concurrency ?? 2;
  const slots: Record<JobLane, number> = {
    work: concurrency,
    outbound: options.outboundConcurrency ?? (concurrency === 0 ? 0 : 32),
  };
  const outbound = laneWorkflows('outbound');
  const owner = `${hostname()}:${process.pid}:${newId()}`;
  const running: Record<JobLane, Set<Promise<void>>> = { work: new Set(), outbound: new Set() };
  /** The jobs this runner is running: never claimed again here, even when a stalled heartbeat let the lease lapse. */
  const mine = new Set<string>();
  const hasRoom = () => running.work.size < slots.work || running.outbound.size < slots.outbound;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  /** Takes the lane's most overdue job; the work lane also takes names this version does not know (to fail them). */
  async function claim(lane: JobLane): Promise<JobRow | null> {
    const rows = await db.$queryRawUnsafe<JobRow[]>(
      `UPDATE "Job" SET status = 'running', "lockedBy" = $1, "lockedUntil" = now() + make_interval(secs => $2),
         attempt = attempt + CASE WHEN status = 'sleeping' THEN 0 ELSE 1 END, "wakeAt" = NULL,
         "startedAt" = coalesce("startedAt", now()), "updatedAt" = now()
       WHERE id = (SELECT id FROM "Job"
         WHERE ((status IN ('queued', 'retrying', 'sleeping') AND "runAfter" <= now()) OR (status = 'running' AND "lockedUntil" < now()))
           AND ${lane === 'outbound' ? 'workflow = ANY($3::text[])' : 'NOT (workflow = ANY($3::text[]))'}
           AND NOT (id = ANY($4::text[]))
         ORDER BY "runAfter" LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING id, workflow, input, attempt, "maxAttempts"`,
      owner,
      leaseSeconds,
      plainArray(outbound),
      plainArray([...mine]),
    );
    return rows[0] ?? null;
  }

  async function fireSchedules(): Promise<void> {
    const due = await db.$queryRawUnsafe<{ id: string; workspaceId: string; workflow: string; input: unknown; slot: Date }[]>(
      `UPDATE "Schedule" SET "nextRunAt" = "nextRunAt" + make_interval(secs => "intervalSeconds" *
         (floor(extract(epoch FROM now() - "nextRunAt") / "intervalSeconds") + 1)), "updatedAt" = now()
       WHERE id IN (SELECT id FROM "Schedule"
         WHERE NOT paused AND "nextRunAt" <= now() AND "intervalSeconds" IS NOT NULL FOR UPDATE SKIP LOCKED)
       RETURNING id, "workspaceId", workflow, input, "nextRunAt" AS slot`,
    );
    for (const schedule of due) {
      await runner.start(schedule.workflow, schedule.input, {
        id: `${schedule.id}:${new Date(schedule.slot).toISOString()}`,
        workspaceId: schedule.workspaceId,
      });
    }
    await fireCalendarSchedules(db);
  }

  /**
   * Writes the job's state while this runner still holds it. A run whose lease lapsed (its heartbeats stalled) and
   * that another process took since writes nothing: the job is that process's now, and at-least-once activities
   * make the two runs harmless.
   */
  async function whileOurs(
    jobId: string,
    data: Prisma.JobUpdateManyMutationInput,
    also?: (tx: Prisma.TransactionClient) => Promise<unknown>,
  ) {
    const write = async (client: Prisma.TransactionClient) => {
      const { count } = await client.job.updateMany({ where: { id: jobId, lockedBy: owner }, data });
      if (count === 1) await also?.(client);
      return count === 1;
    };
    // One statement needs no transaction of its own (a transaction is three round trips on PostgreSQL).
    const held = also ? await db.$transaction(write) : await write(db);
    if (!held) log.warn('job lease lost: another process took the job', { jobId });
  }

  async function execute(job: JobRow): Promise<void> {
    const declaration = findWorkflow(job.workflow);
    const heartbeat = setInterval(
      () => {
        db.job
          .updateMany({ where: { id: job.id, lockedBy: owner }, data: { lockedUntil: new Date(Date.now() + leaseSeconds * 1000) } })
          .catch(() => undefined);
      },
      (leaseSeconds * 1000) / 3,
    );
    try {
      if (!declaration) throw ApplicationFailure.create({ message: `no workflow named ${job.workflow}`, nonRetryable: true });
      if (job.attempt > job.maxAttempts) {
        // Its last attempt's process stopped (killed, out of memory) before the attempt ended: another run could stop
        // this one too, so the job records its failure instead.
        const error = `attempt ${job.maxAttempts} of ${job.maxAttempts} never ended: the process running it stopped`;
        await declaration.giveUp?.(job.input as never, pick(activities, declaration.activities) as Activities, { jobId: job.id }, error);
        throw ApplicationFailure.create({ message: error, nonRetryable: true });
      }
      let parkedUntil: (wakeAt: Date) => void = () => undefined;
      const parked = new Promise<Date>((resolve) => (parkedUntil = resolve));
      const journal = await openJournal(db, job.id, pick(activities, declaration.activities), (wakeAt) => parkedUntil(wakeAt));
      const outcome = await Promise.race([
        declaration
          .run(job.input, journal.activities as Activities, { jobId: job.id, sleep: journal.sleep })
          .then((result) => ({ result })),
        parked.then((wakeAt) => ({ wakeAt })),
      ]);
      if ('wakeAt' in outcome) {
        // A durable timer: the job gives its slot back and waits in the table; the tick at wakeAt resumes it.
        await whileOurs(job.id, {
          status: 'sleeping',
          wakeAt: outcome.wakeAt,
          runAfter: outcome.wakeAt,
          lockedBy: null,
          lockedUntil: null,
        });
        return;
      }
      await whileOurs(job.id, {
        status: 'completed',
        result: (outcome.result ?? null) as Prisma.InputJsonValue,
        finishedAt: new Date(),
        lockedBy: null,
        lockedUntil: null,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const final = job.attempt >= job.maxAttempts || isNonRetryable(error);
      const profile = RETRY_PROFILES[declaration?.retry ?? 'sync'];
      log.warn('job attempt failed', { jobId: job.id, workflow: job.workflow, attempt: job.attempt, final, error: message });
      await whileOurs(
        job.id,
        final
          ? {
              status: 'failed',
              // A lost last attempt was counted again when the job was claimed to give up (above).
              attempt: Math.min(job.attempt, job.maxAttempts),
              lastError: message,
              finishedAt: new Date(),
              lockedBy: null,
              lockedUntil: null,
            }
          : {
              status: 'retrying',
              lastError: message,
              runAfter: new Date(Date.now() + retryDelayMs(profile, job.attempt)),
              lockedBy: null,
              lockedUntil: null,
            },
        final ? undefined : (tx) => clearJournal(tx, job.id),
      );
    } finally {
      clearInterval(heartbeat);
    }
  }

  /**
   * The one timer of this runner: armed at the earliest instant something is due (a queued or retrying job, a
   * sleeping job's wake-up, a schedule's next run, a lapsed lease), at most pollMs away so that work other
   * processes add is seen too. Nothing here grows with the number of schedules or sleeping jobs.
   */
  async function msUntilDue(): Promise<number> {
    const rows = await db.$queryRawUnsafe<{ due: Date | null }[]>(
      `SELECT least(
         (SELECT min("runAfter") FROM "Job" WHERE status IN ('queued', 'retrying', 'sleeping')),
         (SELECT min("nextRunAt") FROM "Schedule" WHERE NOT paused)) AS due`,
    );
    const due = rows[0]?.due;
    return due ? Math.max(0, new Date(due).getTime() - Date.now()) : pollMs;
  }

  async function tick(): Promise<void> {
    timer = null;
    if (stopped) return;
    try {
      await fireSchedules();
      for (const lane of ['outbound', 'work'] as const) {
        while (!stopped && running[lane].size < slots[lane]) {
          const job = await claim(lane);
          if (!job) break;
          mine.add(job.id);
          const run = execute(job).finally(() => {
            mine.delete(job.id);
            running[lane].delete(run);
            kick();
          });
          running[lane].add(run);
        }
      }
    } catch (error) {
      if (!stopped) log.error('job runner poll failed', { error: String(error) });
    }
    let delay = pollMs;
    if (!stopped && hasRoom()) delay = Math.min(pollMs, await msUntilDue().catch(() => pollMs));
    if (!stopped && !timer) timer = setTimeout(() => void tick(), delay);
  }

  function kick(): void {
    // Concurrency 0: a runner that only enqueues (another process of the install runs the jobs).
    if (stopped || !(slots.work || slots.outbound)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void tick(), 0);
  }

  async function describeSchedule(id: string): Promise<ScheduleState | null> {
    const row = await db.schedule.findUnique({ where: { id } });
    if (!row) return null;
    return {
      id: row.id,
      workspaceId: row.workspaceId,
      everySeconds: row.intervalSeconds,
      calendar: (row.calendar as CalendarSpec | null) ?? null,
      timezone: row.timezone,
      paused: row.paused,
      nextRunAt: row.paused ? null : row.nextRunAt,
    };
  }

  const runner = {
    kick,
    async start(workflow: string, input: unknown, start: { id: string; workspaceId: string }) {
      const declaration = findWorkflow(workflow);
      if (!declaration) throw new Error(`no workflow named ${workflow}`);
      const created = await db.job.createMany({
        data: [
          {
            id: start.id,
            workspaceId: start.workspaceId,
            workflow,
            input: input as Prisma.InputJsonValue,
            status: 'queued',
            maxAttempts: jobAttempts(RETRY_PROFILES[declaration.retry]),
          },
        ],
        skipDuplicates: true,
      });
      kick();
      return { id: start.id, started: created.count === 1 };
    },
    async status(id: string): Promise<JobState | null> {
      const job = await db.job.findUnique({ where: { id } });
      if (!job) return null;
      return {
        id: job.id,
        workspaceId: job.workspaceId,
        workflow: job.workflow as JobState['workflow'],
        status: job.status as JobStatus,
        attempt: job.attempt,
        lastError: job.lastError,
        progress: job.progress,
        result: job.result,
        createdAt: job.createdAt,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
      };
    },
    async schedule(workflow: string, input: unknown, schedule: ScheduleOptions) {
      const timing =
        'calendar' in schedule
          ? {
              intervalSeconds: null,
              calendar: schedule.calendar as unknown as Prisma.InputJsonValue,
              timezone: schedule.timezone,
              nextRunAt: firstCalendarRun(schedule.calendar, schedule.timezone),
            }
          : {
              intervalSeconds: schedule.everySeconds,
              calendar: Prisma.DbNull,
              timezone: null,
              nextRunAt: schedule.firstRunAt ?? new Date(Date.now() + schedule.everySeconds * 1000),
            };
      const { nextRunAt: _nextRunAt, ...kept } = timing;
      await db.schedule.upsert({
        where: { id: schedule.id },
        create: { id: schedule.id, workspaceId: schedule.workspaceId, workflow, input: input as Prisma.InputJsonValue, ...timing },
        // An interval schedule keeps its phase; a calendar's next run follows its (maybe new) spec.
        update: { workflow, input: input as Prisma.InputJsonValue, paused: false, ...('calendar' in schedule ? timing : kept) },
      });
      kick();
    },
    describeSchedule,
    async updateSchedule(id: string, change: ScheduleChange) {
      const current = await db.schedule.findUnique({ where: { id } });
      if (!current) return null;
      const everySeconds = change.everySeconds ?? current.intervalSeconds;
      if (everySeconds === null) {
        // A calendar schedule pauses and resumes; resumed, it fires at its next slot from now.
        const resumed = current.paused && change.paused === false;
        await db.schedule.update({
          where: { id },
          data: {
            paused: change.paused ?? current.paused,
            ...(resumed && { nextRunAt: firstCalendarRun(current.calendar as unknown as CalendarSpec, current.timezone!) }),
          },
        });
        kick();
        return describeSchedule(id);
      }
      // A shorter interval takes effect now (the next run comes no later than one new interval from now); a
      // resumed schedule does not replay the runs it missed while paused.
      const soonest = new Date(Date.now() + everySeconds * 1000);
      const resumed = current.paused && change.paused === false;
      const nextRunAt = resumed || current.nextRunAt > soonest ? soonest : current.nextRunAt;
      await db.schedule.update({
        where: { id },
        data: { intervalSeconds: everySeconds, paused: change.paused ?? current.paused, nextRunAt },
      });
      return describeSchedule(id);
    },
    async unschedule(id: string) {
      await db.schedule.deleteMany({ where: { id } });
    },
    async close() {
      stopped = true;
      if (timer) clearTimeout(timer);
      // Give running jobs a moment; what is still running resumes from its checkpoints once its lease lapses.
      await Promise.race([
        Promise.allSettled([...running.work, ...running.outbound]),
        new Promise((resolve) => setTimeout(resolve, 5000).unref()),
      ]);
    },
  };
  kick();
  return runner;
}
