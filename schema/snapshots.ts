import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import type { LatestValue } from '../src/scores/latest-values.js';
import type { LatestValueChange, ScoreChange, SnapshotChanges } from '../src/scores/snapshot-changes.js';
import { createSnapshot, listSnapshots, MAX_SNAPSHOT_LABEL, MAX_SNAPSHOT_NOTE, type Snapshot } from '../src/scores/snapshots.js';
import { serviceContext } from '../src/server/request-context.js';
import { BaselineType } from './analytics.js';
import { builder } from './builder.js';
import { HealthScoresType } from './health-scores.js';
import { pageArgs, pageType } from './pagination.js';

const LatestValueType = builder.objectRef<LatestValue>('SnapshotLatestValue').implement({
  description: 'A metric’s newest sample when the snapshot was taken.',
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit'),
    recordedAt: t.exposeString('recordedAt', { description: 'When it was measured (ISO 8601).' }),
    source: t.exposeString('source'),
  }),
});

const ScoreChangeType = builder.objectRef<ScoreChange>('SnapshotScoreChange').implement({
  description: 'A score in the previous snapshot (from) and in this one (to); delta = to − from, null when either is missing.',
  fields: (t) => ({
    score: t.exposeString('score', { description: 'overall, sleep, activity, cardio or recovery.' }),
    from: t.exposeFloat('from', { nullable: true }),
    to: t.exposeFloat('to', { nullable: true }),
    delta: t.exposeFloat('delta', { nullable: true }),
  }),
});

const ValueChangeType = builder.objectRef<LatestValueChange>('SnapshotValueChange').implement({
  description:
    'A metric’s latest value in the previous snapshot (from) and in this one (to); delta = to − from, null when either is missing.',
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    from: t.exposeFloat('from', { nullable: true }),
    to: t.exposeFloat('to', { nullable: true }),
    delta: t.exposeFloat('delta', { nullable: true }),
    fromRecordedAt: t.exposeString('fromRecordedAt', { nullable: true }),
    toRecordedAt: t.exposeString('toRecordedAt', { nullable: true }),
  }),
});

const ChangesType = builder.objectRef<SnapshotChanges>('SnapshotChanges').implement({
  description: 'This snapshot against the user’s previous one: every score and every metric’s latest value, then and now.',
  fields: (t) => ({
    previousId: t.exposeID('previousId'),
    previousTakenAt: t.field({ type: 'DateTime', resolve: (c) => c.previousTakenAt }),
    previousAsOf: t.exposeString('previousAsOf'),
    scores: t.field({ type: [ScoreChangeType], resolve: (c) => c.scores }),
    latest: t.field({ type: [ValueChangeType], resolve: (c) => c.latest }),
  }),
});

const SnapshotType = builder.objectRef<Snapshot>('Snapshot').implement({
  description:
    'A health snapshot: the health scores and the 7/30/90-day baselines as of the last complete local day (asOf: the user’s yesterday when taken), ' +
    'and each metric’s newest sample at takenAt, kept for comparison; changes compares it with the previous snapshot.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    takenAt: t.field({ type: 'DateTime', resolve: (s) => s.takenAt }),
    asOf: t.exposeString('asOf', { description: 'The local day of the scores; the baselines’ windows end on it.' }),
    label: t.exposeString('label', { nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    scores: t.field({ type: HealthScoresType, resolve: (s) => s.scores }),
    baselines: t.field({ type: [BaselineType], resolve: (s) => s.baselines }),
    latest: t.field({ type: [LatestValueType], description: 'Metric types in alphabetical order.', resolve: (s) => s.latest }),
    changes: t.field({ type: ChangesType, nullable: true, description: 'Null for the user’s first snapshot.', resolve: (s) => s.changes }),
  }),
});

const SnapshotPage = pageType('SnapshotPage', SnapshotType, 'A page of health snapshots, newest first.');

builder.queryFields((t) => ({
  snapshots: t.field({
    type: SnapshotPage,
    description: 'The user’s health snapshots, newest first, each with its changes against the one before.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listSnapshots(serviceContext(ctx), String(userId), page),
  }),
}));

builder.mutationFields((t) => ({
  createSnapshot: t.field({
    type: SnapshotType,
    description: 'Take a health snapshot now: scores, baselines and latest values, with an optional label and note.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      label: t.arg.string({ ...rule({ minLength: 1, maxLength: MAX_SNAPSHOT_LABEL, ...NOT_BLANK }) }),
      note: t.arg.string({ ...rule({ minLength: 1, maxLength: MAX_SNAPSHOT_NOTE, ...NOT_BLANK }) }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createSnapshot(serviceContext(ctx), String(userId), input),
  }),
}));
