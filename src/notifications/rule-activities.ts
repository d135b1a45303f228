import type { NotificationActivities, NotifyOutcome } from '../../workflows/notifications.js';
import type { ServiceContext } from '../context.js';
import type { Prisma } from '../generated/prisma/client.js';
import type { Platform } from '../jobs/platform.js';
import { newId } from '../lib/ids.js';
import { digestNotification, digestPeriod } from './digest.js';
import type { Notification } from './messages.js';
import { quietHoursEnd } from './quiet-hours.js';
import { severityRank, type Condition, type Severity } from './rule-conditions.js';
import { evaluateCondition, type Firing } from './rule-evaluation.js';
import { sendOnChannel } from './send.js';

const SKIPPED: NotifyOutcome = { status: 'skipped', waitMs: null };

const isUniqueViolation = (error: unknown) => (error as { code?: string }).code === 'P2002' || /unique/i.test(String(error));

/** The activities of the notifyRule and notificationDigest workflows (workflows/notifications.ts). */
export function createNotificationActivities(platform: Platform): NotificationActivities {
  const { db } = platform;
  const contextOf = (workspaceId: string): ServiceContext => ({ ...platform, workspaceId });

  /**
   * Records a firing unless the rule is cooling down or already notified this condition. The rule's row is locked
   * meanwhile, so two triggers of one rule (two ingests at once) cannot both pass the cooldown.
   */
  async function fire(triggerId: string, ruleId: string, cooldownMinutes: number, firing: Firing): Promise<boolean> {
    try {
      return await db.$transaction(async (tx) => {
        await tx.$queryRawUnsafe(`SELECT id FROM "NotificationRule" WHERE id = $1 FOR UPDATE`, ruleId);
        const now = platform.clock.now();
        const recent = await tx.notificationTrigger.findFirst({
          where: { ruleId, firedAt: { gt: new Date(now.getTime() - cooldownMinutes * 60_000) } },
          select: { id: true },
        });
        if (recent) return false;
        await tx.notificationTrigger.update({
          where: { id: triggerId },
          data: { conditionKey: firing.conditionKey, notification: firing.notification as unknown as Prisma.InputJsonObject, firedAt: now },
        });
        return true;
      });
    } catch (error) {
      // The same condition already notified (another trigger of the same run of days).
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  return {
    async evaluateTrigger({ triggerId }) {
      const trigger = await db.notificationTrigger.findUnique({ where: { id: triggerId }, include: { rule: true } });
      if (!trigger) return SKIPPED;
      if (trigger.conditionKey !== null) return { status: trigger.status as NotifyOutcome['status'], waitMs: null };
      const { rule } = trigger;
      const event = trigger.eventId ? await db.domainEvent.findUnique({ where: { id: trigger.eventId } }) : null;
      const user = await db.user.findUnique({ where: { id: rule.userId }, select: { timezone: true } });
      const condition = rule.condition as unknown as Condition;
      const firing =
        rule.enabled && event && user
          ? await evaluateCondition(contextOf(rule.workspaceId), { ...rule, condition }, user.timezone, event)
          : null;
      const fired =
        firing !== null &&
        severityRank(firing.notification.severity) >= severityRank(rule.minSeverity as Severity) &&
        (await fire(trigger.id, rule.id, rule.cooldownMinutes, firing));
      if (fired) return { status: 'pending', waitMs: null };
      // What did not fire is forgotten: only firings count for cooldowns and for once-per-condition.
      await db.notificationTrigger.deleteMany({ where: { id: trigger.id, conditionKey: null } });
      return SKIPPED;
    },

    async dispatchTrigger({ triggerId }) {
      const trigger = await db.notificationTrigger.findUnique({ where: { id: triggerId }, include: { rule: true } });
      if (!trigger || trigger.conditionKey === null || !trigger.notification) return SKIPPED;
      if (trigger.status === 'sent' || trigger.status === 'failed') return { status: trigger.status, waitMs: null };
      const { rule } = trigger;
      const note = trigger.notification as unknown as Notification;
      const user = await db.user.findUnique({ where: { id: rule.userId }, select: { timezone: true } });
      const now = platform.clock.now().getTime();
      const quiet = rule.quietStart && rule.quietEnd ? { start: rule.quietStart, end: rule.quietEnd } : null;
      // Critical notifications are not held: a lost connection should not wait for the morning.
      const quietEnd = note.severity === 'critical' || !user ? null : quietHoursEnd(quiet, user.timezone, now);
      if (quietEnd !== null) {
        await db.notificationTrigger.update({ where: { id: trigger.id }, data: { status: 'held', sendAt: new Date(quietEnd) } });
        return { status: 'held', waitMs: quietEnd - now };
      }
      const channels = await db.notificationChannel.findMany({
        where: { id: { in: rule.channelIds }, userId: rule.userId, enabled: true },
        orderBy: { id: 'asc' },
      });
      // A retried dispatch (the activity failed half-way) does not send twice on a channel already tried.
      const tried = new Set(
        (await db.notificationLog.findMany({ where: { triggerId: trigger.id }, select: { channelId: true } })).map((row) => row.channelId),
      );
      let sent = 0;
      for (const channel of channels.filter((candidate) => !tried.has(candidate.id))) {
        const outcome = await sendOnChannel(platform, channel, note);
        const ok = outcome.ok;
        if (ok) sent += 1;
        await db.notificationLog.create({
          data: {
            id: newId(),
            workspaceId: rule.workspaceId,
            userId: rule.userId,
            channelId: channel.id,
            channelType: channel.type,
            kind: (rule.condition as unknown as Condition).kind === 'digest' ? 'digest' : 'rule',
            ruleId: rule.id,
            eventId: trigger.eventId,
            triggerId: trigger.id,
            status: ok ? 'sent' : 'failed',
            statusCode: outcome.statusCode,
            latencyMs: outcome.durationMs,
            error: ok ? null : (outcome.error ?? `the channel answered ${outcome.statusCode}`),
          },
        });
      }
      const status = sent > 0 || (tried.size > 0 && channels.length === tried.size) ? 'sent' : 'failed';
      await db.notificationTrigger.update({ where: { id: trigger.id }, data: { status, sendAt: null } });
      return { status, waitMs: null };
    },

    async prepareDigest({ ruleId }) {
      const rule = await db.notificationRule.findUnique({ where: { id: ruleId }, include: { user: { select: { timezone: true } } } });
      const condition = rule?.condition as unknown as Condition | undefined;
      if (!rule || !rule.enabled || condition?.kind !== 'digest') return { triggerId: null };
      const period = digestPeriod(condition, rule.user.timezone, platform.clock.now().getTime());
      // One digest per period: a wall time that a fall-back night repeats (New York's 01:30) fires twice, sends once.
      const key = `digest:${period.from}`;
      const existing = await db.notificationTrigger.findUnique({ where: { ruleId_triggerKey: { ruleId, triggerKey: key } } });
      if (existing) return { triggerId: existing.id };
      const note = await digestNotification(contextOf(rule.workspaceId), rule.userId, { category: rule.category, condition }, period);
      const id = newId();
      try {
        await db.notificationTrigger.create({
          data: {
            id,
            workspaceId: rule.workspaceId,
            userId: rule.userId,
            ruleId,
            triggerKey: key,
            conditionKey: key,
            notification: note as unknown as Prisma.InputJsonObject,
            firedAt: platform.clock.now(),
          },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        const raced = await db.notificationTrigger.findUnique({ where: { ruleId_triggerKey: { ruleId, triggerKey: key } } });
        return { triggerId: raced?.id ?? null };
      }
      return { triggerId: id };
    },
  };
}
