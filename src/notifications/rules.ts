import type { ServiceContext } from '../context.js';
import type { NotificationRule, Prisma } from '../generated/prisma/client.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { removeDigestSchedule, syncDigestSchedule } from './digest-schedule.js';
import {
  checkCondition,
  DEFAULT_CATEGORY,
  highestSeverityOf,
  LOCAL_TIME,
  LOCAL_TIME_WORDS,
  severityRank,
  type ConditionInput,
  type NotificationCategory,
  type Severity,
} from './rule-conditions.js';

export interface RuleInput {
  name: string;
  category?: NotificationCategory | null;
  minSeverity?: Severity | null;
  channelIds: readonly string[];
  condition: ConditionInput;
  quietHours?: { start: string; end: string } | null;
  cooldownMinutes?: number | null;
  enabled?: boolean | null;
}

export const MAX_RULE_CHANNELS = 10;
/** One week: a rule meant to be quieter than that is better disabled. */
export const MAX_COOLDOWN_MINUTES = 7 * 24 * 60;
/** An hour: a condition that keeps holding (a long run of high readings) notifies at most hourly by default. */
export const DEFAULT_COOLDOWN_MINUTES = 60;

/** Checks every field (422 naming it) and returns the row's columns. */
async function checkRule(ctx: ServiceContext, userId: string, input: RuleInput) {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new Invalid('name must be 1 to 100 characters');
  const condition = checkCondition(input.condition);
  if ((condition.kind === 'medication_reminder' || condition.kind === 'missed_dose') && condition.medicationId !== null) {
    const medication = await ctx.db.medication.findFirst({ where: { id: condition.medicationId, userId }, select: { id: true } });
    if (!medication) throw new Invalid(`condition.medicationId ${condition.medicationId} is not a medication of this user`);
  }
  const minSeverity = input.minSeverity ?? 'info';
  if (severityRank(minSeverity) > severityRank(highestSeverityOf(condition))) {
    throw new Invalid(
      `minSeverity ${minSeverity} is above what ${condition.kind} conditions notify with (${highestSeverityOf(condition)}), so the rule could never notify`,
    );
  }
  const channelIds = [...new Set(input.channelIds)];
  if (channelIds.length < 1 || channelIds.length > MAX_RULE_CHANNELS) {
    throw new Invalid(`channelIds must list 1 to ${MAX_RULE_CHANNELS} channels`);
  }
  const found = await ctx.db.notificationChannel.findMany({ where: { userId, id: { in: channelIds } }, select: { id: true } });
  const known = new Set(found.map((channel) => channel.id));
  const missing = input.channelIds.findIndex((id) => !known.has(id));
  if (missing >= 0) throw new Invalid(`channelIds[${missing}] ${input.channelIds[missing]} is not a notification channel of this user`);
  for (const field of ['start', 'end'] as const) {
    if (input.quietHours && !LOCAL_TIME.test(input.quietHours[field])) throw new Invalid(`quietHours.${field} must be ${LOCAL_TIME_WORDS}`);
  }
  // Dose notifications are once per dose already: a cooldown would drop a second medication's dose of the same hour.
  const perDose = condition.kind === 'medication_reminder' || condition.kind === 'missed_dose';
  const cooldownMinutes = input.cooldownMinutes ?? (perDose ? 0 : DEFAULT_COOLDOWN_MINUTES);
  if (!Number.isInteger(cooldownMinutes) || cooldownMinutes < 0 || cooldownMinutes > MAX_COOLDOWN_MINUTES) {
    throw new Invalid(`cooldownMinutes must be a whole number from 0 to ${MAX_COOLDOWN_MINUTES}`);
  }
  return {
    name,
    category: input.category ?? DEFAULT_CATEGORY[condition.kind],
    minSeverity,
    channelIds,
    condition: condition as Prisma.InputJsonObject,
    quietStart: input.quietHours?.start ?? null,
    quietEnd: input.quietHours?.end ?? null,
    cooldownMinutes,
  };
}

export async function listRules(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<NotificationRule>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id };
  return paginate(args, {
    list: `notification-rules:${user.id}`,
    count: () => ctx.db.notificationRule.count({ where }),
    fetch: (window) => ctx.db.notificationRule.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
}

/**
 * Stores a rule; a digest's calendar schedule is put in place after the commit (the job engine is outside the
 * database, as for the connections' sync schedules), in the user's zone.
 */
export async function createRule(ctx: ServiceContext, userId: string, input: RuleInput): Promise<NotificationRule> {
  const user = await getUser(ctx, userId);
  const columns = await checkRule(ctx, user.id, input);
  const rule = await ctx.db.notificationRule.create({
    data: { id: newId(), workspaceId: ctx.workspaceId, userId: user.id, ...columns, enabled: input.enabled ?? true },
  });
  await syncDigestSchedule(ctx, rule, user.timezone);
  return rule;
}

async function findRule(ctx: ServiceContext, userId: string, ruleId: string) {
  const user = await getUser(ctx, userId);
  const rule = await ctx.db.notificationRule.findFirst({ where: { id: ruleId, userId: user.id } });
  if (!rule) throw new NotFound(`notification rule ${ruleId} not found`);
  return { user, rule };
}

/** Replaces every field (PUT); a digest's schedule follows (moved, removed when disabled or no longer a digest). */
export async function replaceRule(ctx: ServiceContext, userId: string, ruleId: string, input: RuleInput): Promise<NotificationRule> {
  const { user, rule } = await findRule(ctx, userId, ruleId);
  const columns = await checkRule(ctx, user.id, input);
  const updated = await ctx.db.notificationRule.update({
    where: { id: rule.id },
    data: { ...columns, enabled: input.enabled ?? rule.enabled },
  });
  await syncDigestSchedule(ctx, updated, user.timezone);
  return updated;
}

/** Deletes a rule with its triggers; its log entries stay (they name the rule id). */
export async function deleteRule(ctx: ServiceContext, userId: string, ruleId: string): Promise<void> {
  const { rule } = await findRule(ctx, userId, ruleId);
  await ctx.db.notificationRule.delete({ where: { id: rule.id } });
  await removeDigestSchedule(ctx, rule.id);
}
