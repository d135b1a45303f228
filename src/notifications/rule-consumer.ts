import { textArray } from '../db/array-literal.js';
import type { ConsumerDeps, DomainEventConsumer } from '../domain-events/consumers.js';
import type { JobRunner } from '../jobs/port.js';
import { newId } from '../lib/ids.js';
import { CONDITION_EVENTS, CONDITION_KINDS } from './rule-conditions.js';

export const notifyJobId = (triggerId: string) => `notify:${triggerId}`;

/** The condition kinds an event type can make fire. */
const KINDS_BY_EVENT = new Map<string, string[]>();
for (const kind of CONDITION_KINDS)
  for (const type of CONDITION_EVENTS[kind]) KINDS_BY_EVENT.set(type, [...(KINDS_BY_EVENT.get(type) ?? []), kind]);

const RULES_SQL = `
SELECT id, condition->>'metricType' AS "metricType" FROM "NotificationRule"
WHERE "workspaceId" = $1 AND "userId" = $2 AND enabled AND condition->>'kind' = ANY($3::text[])`;

const TRIGGERS_SQL = `
INSERT INTO "NotificationTrigger" (id, "workspaceId", "userId", "ruleId", "triggerKey", "eventId", "updatedAt")
SELECT t.id, $1, $2, t."ruleId", 'event:' || $3, $3, now() FROM unnest($4::text[], $5::text[]) AS t(id, "ruleId")
ON CONFLICT ("ruleId", "triggerKey") DO NOTHING
RETURNING id`;

/** Starts the notifyRule workflows of fresh triggers (a job id per trigger: a second start is a no-op). */
export async function startNotifications(jobs: JobRunner, workspaceId: string, triggerIds: readonly string[]): Promise<void> {
  for (const id of triggerIds) await jobs.start('notifyRule', { triggerId: id }, { id: notifyJobId(id), workspaceId });
}

/**
 * Notification rules as a domain event consumer: an event that a user's enabled rule listens to (a personal record,
 * a failed sync, an ingest of the metric a threshold watches) becomes one trigger per rule, written with the
 * consumer's receipt (so once per rule however often the relay retries); the notifyRule workflow, started after
 * that commit, evaluates it (the daily summaries for thresholds) and sends it.
 */
export function notificationRulesConsumer({ jobs }: ConsumerDeps): DomainEventConsumer {
  return {
    name: 'notification-rules',
    handle: async (event, tx) => {
      const kinds = KINDS_BY_EVENT.get(event.type);
      const userId: unknown = event.payload?.userId;
      if (!kinds || typeof userId !== 'string') return;
      const rules = await tx.query<{ id: string; metricType: string | null }>(RULES_SQL, [event.workspaceId, userId, textArray(kinds)]);
      const ingested = new Set<string>((event.payload.metrics ?? []).map((metric: { metricType: string }) => metric.metricType));
      const listening = rules.filter((rule) => rule.metricType === null || ingested.has(rule.metricType));
      if (listening.length === 0) return;
      const inserted = await tx.query<{ id: string }>(TRIGGERS_SQL, [
        event.workspaceId,
        userId,
        event.id,
        textArray(listening.map(() => newId())),
        textArray(listening.map((rule) => rule.id)),
      ]);
      if (inserted.length === 0) return;
      return () =>
        startNotifications(
          jobs,
          event.workspaceId,
          inserted.map((row) => row.id),
        );
    },
  };
}
