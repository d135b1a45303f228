import {
  Client,
  Connection,
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  DAYS_OF_WEEK,
  type CalendarSpecDescription,
} from '@temporalio/client';
import type { TemporalConfig } from '../config.js';
import { assertCalendar, type CalendarSpec } from './calendar.js';
import { temporalConnectionOptions } from './temporal-connection.js';
import type { JobRunner, JobState, JobStatus, ScheduleOptions, ScheduleState } from './port.js';

/** temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED: not yet picked up by a worker. */
const PENDING_ACTIVITY_SCHEDULED = 1;

/** The innermost cause: a failed workflow's error wraps the activity failure, which wraps what the activity threw. */
function rootCause(error: Error): Error {
  return error.cause instanceof Error ? rootCause(error.cause) : error;
}

/** Our calendar from the one Temporal describes (ranges of single values, as calendarSpec writes them). */
function calendarOf(calendar: CalendarSpecDescription): CalendarSpec {
  const values = <T>(ranges: { start: T; end: T; step: number }[], index: (value: T) => number) =>
    ranges.flatMap((range) => {
      const out: number[] = [];
      for (let value = index(range.start); value <= index(range.end); value += range.step || 1) out.push(value);
      return out;
    });
  const daysOfWeek = values(calendar.dayOfWeek, (day) => DAYS_OF_WEEK.indexOf(day));
  const daysOfMonth = values(calendar.dayOfMonth, (day) => day);
  return {
    hour: calendar.hour[0]?.start ?? 0,
    minute: calendar.minute[0]?.start ?? 0,
    ...(daysOfWeek.length < 7 && { daysOfWeek }),
    ...(daysOfMonth.length < 31 && { daysOfMonth }),
  };
}

export type TemporalSettings = TemporalConfig & { address: string };

/**
 * The job port on Temporal: jobs are workflow executions (id = job id, so a double start is a no-op), periodic
 * work is a Temporal Schedule, and status comes from Temporal's own state, in the local runner's shape.
 */
export async function createTemporalRunner(settings: TemporalSettings): Promise<JobRunner> {
  const connection = await Connection.connect(temporalConnectionOptions(settings));
  const client = new Client({ connection, namespace: settings.namespace });

  async function status(id: string): Promise<JobState | null> {
    const handle = client.workflow.getHandle(id);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return null;
      throw error;
    }
    const raw = await description.raw;
    const pending = raw.pendingActivities?.[0];
    // In the local runner's terms: "retrying" is the backoff wait after a failed attempt (a pending activity
    // scheduled again), and `attempt` counts the attempts made so far, the one running included.
    const waitingToRetry = (pending?.attempt ?? 1) > 1 && pending?.state === PENDING_ACTIVITY_SCHEDULED;
    const attempt = Math.max(1, (pending?.attempt ?? 1) - (waitingToRetry ? 1 : 0));
    const lastError = pending?.lastFailure?.message ?? null;
    let state: JobStatus =
      description.status.name === 'COMPLETED'
        ? 'completed'
        : description.status.name === 'RUNNING'
          ? waitingToRetry
            ? 'retrying'
            : 'running'
          : 'failed';
    let result: unknown = null;
    let failure: string | null = lastError;
    if (state === 'completed') result = await handle.result();
    if (state === 'failed') {
      failure = await handle.result().then(
        () => null,
        (error: Error) => rootCause(error).message,
      );
      state = 'failed';
    }
    return {
      id,
      workspaceId: String((description.memo as Record<string, unknown> | undefined)?.workspaceId ?? ''),
      workflow: description.type as JobState['workflow'],
      status: state,
      attempt,
      lastError: failure,
      progress: null,
      result,
      createdAt: description.startTime,
      startedAt: description.startTime,
      finishedAt: description.closeTime ?? null,
    };
  }

  /**
   * Temporal runs an interval schedule at multiples of `every` since the epoch plus `offset`. Without an offset every
   * connection's hourly sync would start at the top of the hour at once; with the offset of its first run (default
   * one interval from now, as on the local runner) each keeps its own phase and the load spreads over the hour.
   */
  function intervalSpec(everySeconds: number, firstRunAt?: Date) {
    const everyMs = everySeconds * 1000;
    const first = firstRunAt?.getTime() ?? Date.now() + everyMs;
    return { intervals: [{ every: everyMs, offset: ((first % everyMs) + everyMs) % everyMs }] };
  }

  /** A calendar schedule as a Temporal calendar spec in its zone: Temporal's scheduler computes the instants. */
  function calendarSpec(calendar: CalendarSpec, timezone: string) {
    assertCalendar(calendar, timezone);
    return {
      calendars: [
        {
          hour: calendar.hour,
          minute: calendar.minute,
          ...(calendar.daysOfWeek && { dayOfWeek: calendar.daysOfWeek.map((day) => DAYS_OF_WEEK[day]!) }),
          ...(calendar.daysOfMonth && { dayOfMonth: calendar.daysOfMonth }),
        },
      ],
      timezone,
    };
  }

  function specOf(options: ScheduleOptions) {
    return 'calendar' in options
      ? calendarSpec(options.calendar, options.timezone)
      : intervalSpec(options.everySeconds, options.firstRunAt);
  }

  async function describeSchedule(id: string): Promise<ScheduleState | null> {
    let description;
    try {
      description = await client.schedule.getHandle(id).describe();
    } catch (error) {
      if (error instanceof ScheduleNotFoundError) return null;
      throw error;
    }
    const paused = description.state.paused;
    const interval = description.spec.intervals?.[0];
    const calendar = description.spec.calendars?.[0];
    return {
      id,
      workspaceId: String((description.memo as Record<string, unknown> | undefined)?.workspaceId ?? ''),
      everySeconds: interval ? Math.round(interval.every / 1000) : null,
      calendar: calendar ? calendarOf(calendar) : null,
      timezone: description.spec.timezone ?? null,
      paused,
      nextRunAt: paused ? null : (description.info.nextActionTimes[0] ?? null),
    };
  }

  return {
    async start(workflow, input, options) {
      try {
        await client.workflow.start(workflow, {
          taskQueue: settings.taskQueue,
          workflowId: options.id,
          args: [input],
          memo: { workspaceId: options.workspaceId },
        });
        return { id: options.id, started: true };
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) return { id: options.id, started: false };
        throw error;
      }
    },
    status,
    async schedule(workflow, input, options) {
      const action = {
        type: 'startWorkflow' as const,
        workflowType: workflow,
        args: [input],
        taskQueue: settings.taskQueue,
        memo: { workspaceId: options.workspaceId },
      };
      const spec = specOf(options);
      try {
        // The task queue in the memo names the installation a schedule belongs to in a namespace several share.
        await client.schedule.create({
          scheduleId: options.id,
          spec,
          action,
          memo: { workspaceId: options.workspaceId, taskQueue: settings.taskQueue },
        });
      } catch (error) {
        if (!(error instanceof ScheduleAlreadyRunning)) throw error;
        await client.schedule.getHandle(options.id).update((previous) => ({ ...previous, spec, action }));
      }
    },
    describeSchedule,
    async updateSchedule(id, change) {
      const handle = client.schedule.getHandle(id);
      try {
        if (change.everySeconds !== undefined) {
          const spec = intervalSpec(change.everySeconds);
          await handle.update((previous) => ({ ...previous, spec }));
        }
        if (change.paused === true) await handle.pause('paused through the API');
        if (change.paused === false) await handle.unpause('resumed through the API');
      } catch (error) {
        if (error instanceof ScheduleNotFoundError) return null;
        throw error;
      }
      return describeSchedule(id);
    },
    async unschedule(id) {
      try {
        await client.schedule.getHandle(id).delete();
      } catch (error) {
        if (!(error instanceof ScheduleNotFoundError)) throw error;
      }
    },
    async close() {
      await connection.close();
    },
  };
}
