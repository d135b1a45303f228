import type { ServiceContext } from '../context.js';
import type { CalendarSpec } from '../jobs/calendar.js';
import { getUser } from '../users/users.js';

/**
 * Scheduled reports (beyond the contract: PUT /v1/users/:userId/report-schedule): a weekly report every Monday and a
 * monthly report every 1st, at REPORT_SCHEDULE_TIME local time in the user's zone, each a calendar schedule of the
 * `healthReport` workflow (src/jobs/calendar-schedules.ts, as medication reminders and digests). A slot records and
 * makes the report of the period that just ended: the ISO week Monday–Sunday before, or the calendar month before.
 * The schedules live in the job engine (Temporal or the local runner's Schedule table): GET answers from it.
 */
export const REPORT_SCHEDULE_KINDS = ['weekly', 'monthly'] as const;
export type ReportScheduleKind = (typeof REPORT_SCHEDULE_KINDS)[number];
/** 06:00 local: after the night, so the last day's sleep is in. */
export const REPORT_SCHEDULE_TIME = { hour: 6, minute: 0 } as const;

export const reportScheduleId = (userId: string, kind: ReportScheduleKind) => `health-report:${userId}:${kind}`;

const CALENDARS: Record<ReportScheduleKind, CalendarSpec> = {
  weekly: { ...REPORT_SCHEDULE_TIME, daysOfWeek: [1] },
  monthly: { ...REPORT_SCHEDULE_TIME, daysOfMonth: [1] },
};

export interface ReportScheduleView {
  userId: string;
  timezone: string;
  weekly: boolean;
  monthly: boolean;
  /** When the weekly report is made next; null when off. */
  weeklyNextRunAt: Date | null;
  monthlyNextRunAt: Date | null;
}

async function viewOf(ctx: ServiceContext, user: { id: string; timezone: string }): Promise<ReportScheduleView> {
  const [weekly, monthly] = await Promise.all(
    REPORT_SCHEDULE_KINDS.map((kind) => ctx.jobs.describeSchedule(reportScheduleId(user.id, kind))),
  );
  return {
    userId: user.id,
    timezone: user.timezone,
    weekly: weekly != null,
    monthly: monthly != null,
    weeklyNextRunAt: weekly?.nextRunAt ?? null,
    monthlyNextRunAt: monthly?.nextRunAt ?? null,
  };
}

export async function getReportSchedule(ctx: ServiceContext, userId: string): Promise<ReportScheduleView> {
  return viewOf(ctx, await getUser(ctx, userId));
}

async function setSchedule(
  ctx: Pick<ServiceContext, 'jobs'>,
  user: { id: string; workspaceId: string; timezone: string },
  kind: ReportScheduleKind,
  on: boolean,
) {
  const id = reportScheduleId(user.id, kind);
  if (!on) return ctx.jobs.unschedule(id);
  // An upsert on both engines: it also moves the schedule to the user's new zone.
  await ctx.jobs.schedule(
    'healthReport',
    { userId: user.id, period: kind },
    { id, workspaceId: user.workspaceId, calendar: CALENDARS[kind], timezone: user.timezone },
  );
}

/** Turns the weekly and / or monthly reports on or off (a kind not given stays as it is). */
export async function updateReportSchedule(
  ctx: ServiceContext,
  userId: string,
  change: { weekly?: boolean | null; monthly?: boolean | null },
): Promise<ReportScheduleView> {
  const user = await getUser(ctx, userId);
  for (const kind of REPORT_SCHEDULE_KINDS) {
    const on = change[kind];
    if (on != null) await setSchedule(ctx, user, kind, on);
  }
  return viewOf(ctx, user);
}

/** A user's zone changed: their scheduled reports move to it. */
export async function rescheduleReportsOf(
  ctx: Pick<ServiceContext, 'jobs'>,
  user: { id: string; workspaceId: string; timezone: string },
): Promise<void> {
  for (const kind of REPORT_SCHEDULE_KINDS) {
    if (await ctx.jobs.describeSchedule(reportScheduleId(user.id, kind))) await setSchedule(ctx, user, kind, true);
  }
}

/** A user was deleted: their schedules go too. */
export async function removeReportSchedules(ctx: Pick<ServiceContext, 'jobs'>, userId: string): Promise<void> {
  for (const kind of REPORT_SCHEDULE_KINDS) await ctx.jobs.unschedule(reportScheduleId(userId, kind));
}
