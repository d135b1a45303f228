import { ingestEvents, type EventIngestResult } from '../src/events/ingest-events.js';
import { ingestSamples, SOURCE_RULE, type IngestResult } from '../src/health/ingest.js';
import { rule } from '../src/lib/input-rules.js';
import type { Rejection } from '../src/health/sample-input.js';
import { BadRequest } from '../src/lib/errors.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { PersonalRecordType } from './records.js';

/** Most samples or events one push may carry; bigger uploads go in several requests. */
export const MAX_PUSH_ITEMS = 10_000;

const HealthSampleInput = builder.inputType('HealthSampleInput', {
  fields: (t) => ({
    metricType: t.string({ required: true, description: 'A metric type id, e.g. "heart_rate".' }),
    value: t.float({ required: true }),
    unit: t.string({ description: "Unit of `value`; converted to the metric's canonical unit. Default the canonical unit." }),
    recordedAt: t.field({ type: 'DateTime', required: true, description: 'When measured; start of the interval for totals.' }),
    endAt: t.field({ type: 'DateTime', description: 'End of the interval for totals (steps…).' }),
    device: t.string({ description: 'Device or app within the source, e.g. "Apple Watch".' }),
    externalId: t.string({ description: "The source's own id for the sample." }),
  }),
});

const HealthEventInput = builder.inputType('HealthEventInput', {
  fields: (t) => ({
    type: t.string({ required: true, description: 'workout, sleep or activity.' }),
    subtype: t.string({ description: 'Sport for workouts ("running"), "main"/"nap" for sleep.' }),
    startAt: t.field({ type: 'DateTime', required: true }),
    endAt: t.field({ type: 'DateTime', required: true }),
    distance: t.float({ description: 'Metres.' }),
    energy: t.float({ description: 'Kilocalories.' }),
    avgHeartRate: t.float({ description: 'bpm.' }),
    maxHeartRate: t.float({ description: 'bpm.' }),
    elevationGain: t.float({ description: 'Metres.' }),
    details: t.field({
      type: 'JSON',
      description: 'Sleep: { stages: [{ stage: awake|light|deep|rem, startAt, endAt }], efficiency, latencySeconds, awakenings }.',
    }),
    device: t.string(),
    externalId: t.string({ description: "The source's id; events are deduplicated on it (else on type + start)." }),
  }),
});

const RejectionType = builder.objectRef<Rejection>('Rejection').implement({
  description: 'An item of a push that was not stored, and why.',
  fields: (t) => ({
    index: t.exposeInt('index', { description: 'Position in the request.' }),
    metricType: t.exposeString('metricType', { description: 'Metric type (samples) or event type (events) as sent.' }),
    reason: t.exposeString('reason'),
  }),
});

const MetricCountType = builder.objectRef<{ metricType: string; inserted: number }>('MetricCount').implement({
  fields: (t) => ({ metricType: t.exposeString('metricType'), inserted: t.exposeInt('inserted') }),
});

const SampleIngestResultType = builder.objectRef<IngestResult>('SampleIngestResult').implement({
  fields: (t) => ({
    inserted: t.exposeInt('inserted'),
    updated: t.exposeInt('updated', {
      description: 'Samples stored before under the same metric, time, source and device whose value changed.',
    }),
    duplicates: t.exposeInt('duplicates', { description: 'Valid samples already stored with the same value.' }),
    rejected: t.field({ type: [RejectionType], resolve: (result) => result.rejected }),
    metrics: t.field({ type: [MetricCountType], resolve: (result) => result.metrics }),
    records: t.field({
      type: [PersonalRecordType],
      description: 'Personal records this push set.',
      resolve: (result) => result.records as never,
    }),
  }),
});

const EventIngestResultType = builder.objectRef<EventIngestResult>('EventIngestResult').implement({
  fields: (t) => ({
    inserted: t.exposeInt('inserted'),
    updated: t.exposeInt('updated', { description: 'Events sent again with changes, stored over the old version.' }),
    duplicates: t.exposeInt('duplicates'),
    rejected: t.field({ type: [RejectionType], resolve: (result) => result.rejected }),
    records: t.field({ type: [PersonalRecordType], resolve: (result) => result.records as never }),
  }),
});

function assertPushSize(count: number): void {
  if (count > MAX_PUSH_ITEMS) throw new BadRequest(`a push carries at most ${MAX_PUSH_ITEMS} items; split it`);
}

const sourceArg = builder.args((t) => ({
  source: t.string({
    description: 'Where the data comes from, e.g. "healthkit" or "health_connect" (default "api").',
    ...rule(SOURCE_RULE),
  }),
}));

builder.mutationFields((t) => ({
  ingestHealthSamples: t.field({
    type: SampleIngestResultType,
    description: 'Push samples read on the device (HealthKit, Health Connect…): validated, converted, deduplicated.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), samples: t.arg({ type: [HealthSampleInput], required: true }), ...sourceArg },
    resolve: (_root, args, ctx) => {
      assertPushSize(args.samples.length);
      return ingestSamples(serviceContext(ctx), String(args.userId), args.samples, { source: args.source ?? 'api' });
    },
  }),
  ingestEvents: t.field({
    type: EventIngestResultType,
    description: 'Push workouts, sleep sessions and activity summaries; deduplicated on externalId (or type + start).',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), events: t.arg({ type: [HealthEventInput], required: true }), ...sourceArg },
    resolve: (_root, args, ctx) => {
      assertPushSize(args.events.length);
      return ingestEvents(serviceContext(ctx), String(args.userId), args.events as never, { source: args.source ?? 'api' });
    },
  }),
}));
