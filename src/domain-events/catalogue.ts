/**
 * The catalogue of domain events: every type a consumer (live updates, webhook deliveries, notification rules,
 * achievement checks) can receive, with its payload and when it is emitted. The GraphQL enum `DomainEventType`,
 * the OpenAPI document's `x-domain-event-types` and GET /v1/event-types are all printed from this list.
 */
export interface DomainEventTypeInfo {
  type: string;
  description: string;
  /** The OpenAPI component the payload is (resource events), or a JSON schema of it. */
  payload: { $ref: string } | Record<string, unknown>;
}

const resource = (
  name: string,
  what: string,
  component: string,
  actions: readonly ('created' | 'updated' | 'deleted')[] = ['created', 'updated', 'deleted'],
  note = '',
) =>
  actions.map((action) => ({
    type: `${name}.${action}`,
    description:
      action === 'deleted'
        ? `A ${what} was deleted. The payload is the ${what} as GET returned it just before.` + note
        : `A ${what} was ${action}. The payload is what GET of the ${what} returns at that moment.` + note,
    payload: { $ref: `#/components/schemas/${component}` },
  }));

const object = (properties: Record<string, unknown>) => ({
  type: 'object',
  required: Object.keys(properties),
  properties,
});
const string = { type: 'string' };
const nullableString = { type: 'string', nullable: true };
const integer = { type: 'integer' };
const instant = { type: 'string', format: 'date-time' };
const counts = object({ pages: integer, samples: integer, events: integer });
const syncIds = { connectionId: string, userId: string, providerId: string, jobId: string };

export const DOMAIN_EVENT_TYPES = [
  ...resource('user', 'user', 'User'),
  ...resource('connection', 'connection', 'Connection'),
  ...resource('health_event', 'health event (workout, sleep session, activity day)', 'HealthEvent'),
  ...resource('personal_record', 'personal record', 'PersonalRecord'),
  // Logs the contract's routes only create (meals, moods, doses, symptoms) or create and delete (water): the
  // catalogue lists only what is emitted.
  ...resource('water_log', 'water log', 'WaterLog', ['created', 'deleted']),
  ...resource('meal', 'meal log', 'Meal', ['created']),
  ...resource('mood_entry', 'mood entry', 'MoodEntry', ['created']),
  ...resource(
    'journal_entry',
    'journal entry',
    'JournalEntry',
    undefined,
    ' Journal text is personal: webhook deliveries carry `body` only to endpoints that list this event type by name ' +
      'in eventTypes; an endpoint subscribed to every type (empty eventTypes) gets the entry without `body`.',
  ),
  {
    type: 'health_data.ingested',
    description:
      'An ingest stored new or corrected samples (a push, an import or one page of a sync): one event per ingest, ' +
      'with the counts per metric type and the time range the samples span.',
    payload: object({
      userId: string,
      source: string,
      connectionId: nullableString,
      inserted: integer,
      updated: integer,
      metrics: { type: 'array', items: object({ metricType: string, inserted: integer, updated: integer }) },
      from: instant,
      to: instant,
    }),
  },
  {
    type: 'sync.started',
    description: "A connection's sync (backfill, scheduled, manual or pushed) started.",
    payload: object({ ...syncIds, reason: string }),
  },
  {
    type: 'sync.progress',
    description: 'A sync stored one more page of a stream; the counts are those of the stream so far.',
    payload: object({ ...syncIds, stream: string, counts }),
  },
  {
    type: 'sync.completed',
    description: 'A sync finished; the counts per stream are what it stored.',
    payload: object({ ...syncIds, counts: { type: 'object', additionalProperties: counts } }),
  },
  {
    type: 'sync.failed',
    description: 'A sync gave up after its retries; `error` says why.',
    payload: object({ ...syncIds, counts: { type: 'object', additionalProperties: counts }, error: string }),
  },
  {
    type: 'connection.error',
    description: 'The provider refused the connection (revoked consent, failed token refresh): status is now error.',
    payload: object({ connectionId: string, userId: string, providerId: string, reason: string }),
  },
  {
    type: 'connection.revoked',
    description: 'The user withdrew consent at the provider: the connection is disconnected (its data stays).',
    payload: object({ connectionId: string, userId: string, providerId: string, reason: string }),
  },
  {
    type: 'anomaly.detected',
    description:
      "A metric left the user's baseline or crossed a clinical limit on a day (POST /v1/users/{userId}/analytics/anomalies " +
      'found it first). The payload is the anomaly as that route returns it.',
    payload: { $ref: '#/components/schemas/Anomaly' },
  },
  {
    type: 'health_score.computed',
    description:
      "A user's health scores were computed and stored for a local day (POST /v1/users/{userId}/health-scores/compute; " +
      'each compute, a recompute of the day included). The payload is the score as that route returns it.',
    payload: { $ref: '#/components/schemas/HealthScore' },
  },
  {
    type: 'goal.achieved',
    description:
      "A user's goal was met for a period (a day, a week, a month, or the span up to its end date), in the user's local days; " +
      'announced once per goal and period, however often the data is re-ingested.',
    payload: object({
      goalId: string,
      userId: string,
      metricType: string,
      period: string,
      periodStart: { type: 'string', format: 'date' },
      periodEnd: { type: 'string', format: 'date' },
      value: { type: 'number' },
      target: { type: 'number' },
      direction: string,
      achievedAt: instant,
    }),
  },
  {
    type: 'achievement.unlocked',
    description:
      'A user unlocked an achievement of the catalogue (once each; see GET /v1/users/{userId}/achievements). The payload is the ' +
      'achievement as that route lists it, with the data that unlocked it.',
    payload: { $ref: '#/components/schemas/Achievement' },
  },
  ...resource('habit', 'habit', 'Habit'),
  ...resource('habit_completion', "habit completion (a habit's count on a local day)", 'HabitCompletion'),
  {
    type: 'habit.streak_reached',
    description:
      "A habit's streak reached 7, 30 or 100 of its periods (days for a daily habit, scheduled days for a weekdays habit, " +
      'ISO weeks for a times_per_week habit), counted when a completion was set: announced once per habit and milestone, ' +
      'in the completion’s transaction. date is the local day completed.',
    payload: object({
      habitId: string,
      userId: string,
      milestone: integer,
      unit: { type: 'string', enum: ['day', 'scheduled_day', 'week'] },
      date: { type: 'string', format: 'date' },
      reachedAt: instant,
    }),
  },
  ...resource('medication', 'medication', 'Medication', ['created']),
  ...resource('medication_dose', 'medication dose log', 'MedicationDose', ['created']),
  {
    type: 'medication.dose_missed',
    description:
      'A scheduled dose of a medication had no log (taken or skipped) when its on-time window closed. Announced once per ' +
      'dose, when a stats read or a later log of the medication first finds it, or — for a medication with reminders — ' +
      "when the reminder's timer reaches the window's end.",
    payload: object({
      userId: string,
      medicationId: string,
      name: string,
      date: { type: 'string', format: 'date' },
      time: string,
      scheduledAt: instant,
      onTimeWindowMinutes: integer,
    }),
  },
  {
    type: 'medication.reminder_due',
    description:
      'A dose of a medication with reminders is due now: its dose time came (local HH:MM in the user’s zone, on a ' +
      'scheduled day between its start and end dates) and the dose has no log yet. Sent by the dose time’s calendar ' +
      'schedule; a spring-forward night’s skipped wall time (02:30) gets no reminder that day. A notification rule of ' +
      'kind medication_reminder routes it to the user’s channels.',
    payload: object({
      userId: string,
      medicationId: string,
      name: string,
      dosage: nullableString,
      date: { type: 'string', format: 'date' },
      time: string,
      scheduledAt: instant,
    }),
  },
  ...resource('symptom', 'symptom log', 'SymptomLog', ['created']),
  {
    type: 'report.completed',
    description:
      'A health report (POST /v1/users/:userId/reports, or a scheduled one) is ready: `files` gives the StoredFile id of each ' +
      'format (GET /v1/files/:fileId for a signed download URL).',
    payload: object({
      reportId: string,
      userId: string,
      jobId: string,
      period: string,
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      formats: { type: 'array', items: string },
      files: { type: 'object', additionalProperties: string },
      scheduled: { type: 'boolean' },
    }),
  },
  {
    type: 'report.failed',
    description: 'A health report could not be made after its retries (the workflow’s last attempt on either engine); `error` says why.',
    payload: object({
      reportId: string,
      userId: string,
      jobId: string,
      period: string,
      from: { type: 'string', format: 'date' },
      to: { type: 'string', format: 'date' },
      error: string,
    }),
  },
  {
    type: 'export.completed',
    description:
      'A data export finished: its file is stored, with its row counts per kind and what was left out. The payload is the ' +
      'export as GET /v1/users/{userId}/exports lists it (file with a signed downloadUrl, valid DOWNLOAD_URL_TTL_SECONDS; ' +
      'list the exports again for a fresh one until expiresAt).',
    payload: { $ref: '#/components/schemas/DataExport' },
  },
  {
    type: 'export.failed',
    description: 'A data export failed on its last attempt; the payload is the export with its error.',
    payload: { $ref: '#/components/schemas/DataExport' },
  },
  {
    type: 'import.completed',
    description:
      'An import of a file (Apple Health export, FIT, GPX, TCX) finished: its samples and events are stored. The payload is ' +
      'the import as GET …/imports/:importId returns it, with its counts (records read, samples and events stored, ' +
      'duplicates, skipped types, rejections). Emitted once, in the transaction that completes it.',
    payload: { $ref: '#/components/schemas/DataImport' },
  },
  {
    type: 'import.failed',
    description:
      'An import of a file failed: the file is not what its format says (not well-formed, not an export, no activity), or ' +
      'the job gave up after its retries. The payload is the import with its error; the batches stored before the failure ' +
      'stay stored (counted in the import).',
    payload: { $ref: '#/components/schemas/DataImport' },
  },
  {
    type: 'webhook.disabled',
    description:
      'VitaSync stopped delivering to a webhook endpoint: it answered 410 Gone, or every attempt failed for five days. ' +
      'PATCH it with enabled: true to resume (and recover what it missed).',
    payload: object({ webhookId: string, url: string, reason: string, disabledAt: instant }),
  },
] as const satisfies readonly DomainEventTypeInfo[];

export type DomainEventType = (typeof DOMAIN_EVENT_TYPES)[number]['type'];

/**
 * Payload fields too personal for an endpoint that did not ask for them: webhook endpoints receive them only when
 * they list the event type by name (src/webhooks/webhook-consumer.ts); endpoints of every type get the payload
 * without them.
 */
export const PRIVATE_PAYLOAD_FIELDS: Partial<Record<DomainEventType, readonly string[]>> = {
  'journal_entry.created': ['body'],
  'journal_entry.updated': ['body'],
  'journal_entry.deleted': ['body'],
};

export const DOMAIN_EVENT_TYPE_NAMES: readonly DomainEventType[] = DOMAIN_EVENT_TYPES.map((info) => info.type);

export function isDomainEventType(type: string): type is DomainEventType {
  return (DOMAIN_EVENT_TYPE_NAMES as readonly string[]).includes(type);
}
