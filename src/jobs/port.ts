import type { WorkflowInput, WorkflowName } from '../../workflows/registry.js';
import type { CalendarSpec } from './calendar.js';

/**
 * The job-runner port: how services start and watch background work, whatever engine runs it
 * (the in-process local runner by default, Temporal when TEMPORAL_ADDRESS is set).
 */
/** `sleeping`: waiting on a durable timer (the local runner holds no slot for it; Temporal reports it `running`). */
export const JOB_STATUSES = ['queued', 'running', 'sleeping', 'retrying', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobState {
  id: string;
  workspaceId: string;
  workflow: WorkflowName;
  status: JobStatus;
  attempt: number;
  lastError: string | null;
  progress: unknown;
  result: unknown;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StartOptions {
  /** Deterministic id from the business key: starting an id that exists is a no-op. */
  id: string;
  workspaceId: string;
}

/** Every `everySeconds`, phased to start at `firstRunAt` (default one interval from now). */
export interface IntervalTiming {
  everySeconds: number;
  firstRunAt?: Date;
}

/** At wall-clock times in an IANA zone: every day at 07:30 Europe/Paris, on given weekdays or days of the month. */
export interface CalendarTiming {
  calendar: CalendarSpec;
  timezone: string;
}

export type ScheduleOptions = { id: string; workspaceId: string } & (IntervalTiming | CalendarTiming);

/** A periodic job as its engine holds it (local: the Schedule table; Temporal: a Temporal Schedule). */
export interface ScheduleState {
  id: string;
  workspaceId: string;
  /** Seconds between runs; null for a calendar schedule. */
  everySeconds: number | null;
  /** The calendar and its zone; null for an interval schedule. */
  calendar: CalendarSpec | null;
  timezone: string | null;
  paused: boolean;
  /** When it fires next; null while paused. */
  nextRunAt: Date | null;
}

export interface ScheduleChange {
  everySeconds?: number;
  paused?: boolean;
}

export interface JobRunner {
  /** Starts a registered workflow (workflows/registry.ts); its input type is checked against the declaration. */
  start<Name extends WorkflowName>(
    workflow: Name,
    input: WorkflowInput<Name>,
    options: StartOptions,
  ): Promise<{ id: string; started: boolean }>;
  status(id: string): Promise<JobState | null>;
  schedule<Name extends WorkflowName>(workflow: Name, input: WorkflowInput<Name>, options: ScheduleOptions): Promise<void>;
  describeSchedule(id: string): Promise<ScheduleState | null>;
  /** Changes the interval and/or pauses or resumes; null when there is no such schedule. */
  updateSchedule(id: string, change: ScheduleChange): Promise<ScheduleState | null>;
  unschedule(id: string): Promise<void>;
  close(): Promise<void>;
}
