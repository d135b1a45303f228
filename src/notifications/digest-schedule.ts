import type { ServiceContext } from '../context.js';
import type { NotificationRule } from '../generated/prisma/client.js';
import type { Condition } from './rule-conditions.js';

export const digestScheduleId = (ruleId: string) => `notification-digest:${ruleId}`;

/**
 * Keeps a rule's digest schedule as the rule says: a calendar schedule of the `notificationDigest` workflow at the
 * digest's local time (and weekday) in the user's zone, or none for a disabled rule or another kind. `schedule`
 * is an upsert on both engines, so this also moves it after a change of time or zone.
 */
export async function syncDigestSchedule(ctx: ServiceContext, rule: NotificationRule, timezone: string): Promise<void> {
  const condition = rule.condition as unknown as Condition;
  if (condition.kind !== 'digest' || !rule.enabled) return removeDigestSchedule(ctx, rule.id);
  const [hour, minute] = condition.time.split(':').map(Number) as [number, number];
  await ctx.jobs.schedule(
    'notificationDigest',
    { ruleId: rule.id },
    {
      id: digestScheduleId(rule.id),
      workspaceId: rule.workspaceId,
      calendar: { hour, minute, ...(condition.dayOfWeek === null ? {} : { daysOfWeek: [condition.dayOfWeek] }) },
      timezone,
    },
  );
}

export async function removeDigestSchedule(ctx: Pick<ServiceContext, 'jobs'>, ruleId: string): Promise<void> {
  await ctx.jobs.unschedule(digestScheduleId(ruleId));
}

/** A user's zone changed: their digests move to it. */
export async function rescheduleDigestsOf(ctx: ServiceContext, userId: string, timezone: string): Promise<void> {
  const rules = await ctx.db.notificationRule.findMany({ where: { userId } });
  for (const rule of rules) if ((rule.condition as unknown as Condition).kind === 'digest') await syncDigestSchedule(ctx, rule, timezone);
}
