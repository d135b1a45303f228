import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import {
  COMPLETION_SHARE,
  type ComplianceCounts,
  type JudgedSession,
  type JudgedWeek,
  type PlanWorkout,
} from '../src/training/compliance.js';
import {
  createTrainingPlan,
  listTrainingPlans,
  MAX_PLAN_DAYS,
  MAX_PLAN_NAME,
  PLAN_GOAL_KINDS,
  type TrainingPlanView,
} from '../src/training/plans.js';
import {
  MAX_DESCRIPTION,
  MAX_SESSION_DISTANCE,
  MAX_SESSION_MINUTES,
  MAX_WEEK_SESSIONS,
  SESSION_INTENSITIES,
  SPORT_PATTERN,
  SPORT_WORDS,
  type PlannedSession,
} from '../src/training/sessions.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const SHARE = `${COMPLETION_SHARE * 100}%`;

const GoalKindEnum = builder.enumType('TrainingGoalKind', {
  description: 'race: a race of goalDistance on goalDate; distance: cover goalDistance by goalDate; event: goalDescription on goalDate.',
  values: PLAN_GOAL_KINDS,
});
const IntensityEnum = builder.enumType('TrainingIntensity', { values: SESSION_INTENSITIES });
const SessionStatusEnum = builder.enumType('TrainingSessionStatus', {
  description: `completed: a workout of the sport reached ${SHARE} of each planned figure it reports; partial: it reached less; missed: no workout by the end of the session’s week; upcoming: its week is not over.`,
  values: ['completed', 'partial', 'missed', 'upcoming'] as const,
});
const PlanStatusEnum = builder.enumType('TrainingPlanStatus', {
  description: 'As of the day judged: upcoming before startDate, active up to goalDate, finished after it.',
  values: ['upcoming', 'active', 'finished'] as const,
});

const PlannedSessionType = builder.objectRef<PlannedSession>('PlannedSession').implement({
  description: 'A session of the planned week, repeated every week of the plan.',
  fields: (t) => ({
    dayOfWeek: t.exposeInt('dayOfWeek', { description: 'ISO day of the week: 1 = Monday … 7 = Sunday.' }),
    sport: t.exposeString('sport'),
    durationMinutes: t.exposeFloat('durationMinutes', { nullable: true }),
    distance: t.exposeFloat('distance', { nullable: true, description: 'Metres.' }),
    intensity: t.field({ type: IntensityEnum, resolve: (session) => session.intensity }),
    description: t.exposeString('description', { nullable: true }),
  }),
});

const PlanWorkoutType = builder.objectRef<PlanWorkout>('TrainingPlanWorkout').implement({
  description: 'The workout (a health event) that met a session.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The health event’s id (GET /v1/users/{userId}/events).' }),
    subtype: t.exposeString('subtype', { nullable: true }),
    date: t.exposeString('date', { description: 'The local day it started on.' }),
    startAt: t.expose('startAt', { type: 'DateTime' }),
    durationMinutes: t.float({ resolve: (workout) => Math.round((workout.durationSeconds / 60) * 10) / 10 }),
    distance: t.exposeFloat('distance', { nullable: true, description: 'Metres.' }),
    source: t.exposeString('source'),
  }),
});

const JudgedSessionType = builder.objectRef<JudgedSession>('TrainingSession').implement({
  description: 'A planned session on its local day, and the workout that met it.',
  fields: (t) => ({
    date: t.exposeString('date'),
    dayOfWeek: t.exposeInt('dayOfWeek'),
    sport: t.exposeString('sport'),
    durationMinutes: t.exposeFloat('durationMinutes', { nullable: true }),
    distance: t.exposeFloat('distance', { nullable: true, description: 'Metres.' }),
    intensity: t.field({ type: IntensityEnum, resolve: (session) => session.intensity }),
    description: t.exposeString('description', { nullable: true }),
    status: t.field({ type: SessionStatusEnum, resolve: (session) => session.status }),
    achieved: t.float({
      nullable: true,
      description: 'Share of the planned figures the workout reached (0–1, the smaller of duration and distance); null when unmet.',
      resolve: (session) => (session.achieved === null ? null : Math.round(session.achieved * 1000) / 1000),
    }),
    workout: t.field({ type: PlanWorkoutType, nullable: true, resolve: (session) => session.workout }),
  }),
});

/** The counts of a week and of the plan to date. */
function complianceFields(t: any) {
  return {
    planned: t.exposeInt('planned', { description: 'Sessions planned.' }),
    completed: t.exposeInt('completed'),
    partial: t.exposeInt('partial'),
    missed: t.exposeInt('missed'),
    upcoming: t.exposeInt('upcoming'),
    plannedMinutes: t.exposeFloat('plannedMinutes'),
    completedMinutes: t.exposeFloat('completedMinutes', { description: 'Minutes of the workouts that met sessions.' }),
    plannedDistance: t.exposeFloat('plannedDistance', { description: 'Metres.' }),
    completedDistance: t.exposeFloat('completedDistance', { description: 'Metres of the workouts that met sessions.' }),
    compliance: t.exposeFloat('compliance', {
      nullable: true,
      description:
        'Sessions due (all but upcoming), each counted by the share reached (completed 1, partial its share, missed 0), in %; null when none is due.',
    }),
  };
}

const WeekType = builder.objectRef<JudgedWeek>('TrainingWeek').implement({
  description: 'An ISO week of the plan (Monday to Sunday, the user’s local days).',
  fields: (t) => ({
    weekStart: t.exposeString('weekStart'),
    weekEnd: t.exposeString('weekEnd'),
    ...complianceFields(t),
    unplannedWorkouts: t.exposeInt('unplannedWorkouts', { description: 'Workouts of the week that met no session.' }),
    sessions: t.field({ type: [JudgedSessionType], resolve: (week) => week.sessions }),
  }),
});

const ToDateType = builder.objectRef<ComplianceCounts & { weeks: number }>('TrainingCompliance').implement({
  description: 'Every week from the plan’s start through the current week.',
  fields: (t) => ({ weeks: t.exposeInt('weeks'), ...complianceFields(t) }),
});

const PlanType = builder.objectRef<TrainingPlanView>('TrainingPlan').implement({
  description:
    'A plan toward a goal: a planned week repeated to the goal’s day, judged against the workouts that happened. currentWeek is the week holding asOf (the first week before the plan starts, the last after it ends).',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    name: t.exposeString('name'),
    goalKind: t.field({ type: GoalKindEnum, resolve: (plan) => plan.goalKind }),
    goalDistance: t.exposeFloat('goalDistance', { nullable: true, description: 'Metres.' }),
    goalDescription: t.exposeString('goalDescription', { nullable: true }),
    startDate: t.exposeString('startDate'),
    goalDate: t.exposeString('goalDate', { description: 'The race, event or due day: the plan’s last day.' }),
    sessions: t.field({ type: [PlannedSessionType], description: 'The planned week.', resolve: (plan) => plan.sessions }),
    asOf: t.exposeString('asOf', { description: 'The local day judged (YYYY-MM-DD).' }),
    status: t.field({ type: PlanStatusEnum, resolve: (plan) => plan.status }),
    weeks: t.exposeInt('weeks', { description: 'ISO weeks the plan touches.' }),
    weekNumber: t.exposeInt('weekNumber', { description: 'The current week’s number in the plan (1 = the first).' }),
    daysToGoal: t.exposeInt('daysToGoal'),
    currentWeek: t.field({ type: WeekType, resolve: (plan) => plan.currentWeek }),
    toDate: t.field({ type: ToDateType, resolve: (plan) => plan.toDate }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const PlanPage = pageType('TrainingPlanPage', PlanType, 'A page of training plans in creation order, each with its current week.');

const PlannedSessionInput = builder.inputType('PlannedSessionInput', {
  description: 'A session of the planned week: durationMinutes or distance, or both.',
  fields: (t) => ({
    dayOfWeek: t.int({ required: true, description: '1 = Monday … 7 = Sunday.', ...rule({ minimum: 1, maximum: 7 }) }),
    sport: t.string({
      required: true,
      description: 'The workouts that meet it: running also takes trail_running and a Strava Run; any takes every workout.',
      ...rule({ pattern: SPORT_PATTERN, patternWords: SPORT_WORDS }),
    }),
    durationMinutes: t.float({ ...rule({ minimum: 1, maximum: MAX_SESSION_MINUTES }) }),
    distance: t.float({ description: 'Metres.', ...rule({ minimum: 1, maximum: MAX_SESSION_DISTANCE }) }),
    intensity: t.field({ type: IntensityEnum, description: 'Default moderate.' }),
    description: t.string({ ...rule({ maxLength: MAX_DESCRIPTION }) }),
  }),
});

builder.queryFields((t) => ({
  trainingPlans: t.field({
    type: PlanPage,
    description: 'List a user’s training plans, each with its current week and its compliance to date.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: 'YYYY-MM-DD: judge the plans as that day ended (default: now).', ...DAY_RULE }),
      ...pageArgs,
    },
    resolve: (_root, { userId, asOf, ...page }, ctx) => listTrainingPlans(serviceContext(ctx), String(userId), { asOf }, page),
  }),
}));

builder.mutationFields((t) => ({
  createTrainingPlan: t.field({
    type: PlanType,
    description: `Create a training plan: a week of planned sessions (1 to ${MAX_WEEK_SESSIONS}) repeated from startDate to goalDate.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      name: t.arg.string({ required: true, ...rule({ minLength: 1, maxLength: MAX_PLAN_NAME, ...NOT_BLANK }) }),
      goalKind: t.arg({ type: GoalKindEnum, required: true }),
      goalDate: t.arg.string({ required: true, description: `YYYY-MM-DD, at most ${MAX_PLAN_DAYS} days after startDate.`, ...DAY_RULE }),
      goalDistance: t.arg.float({
        description: 'Metres; required for race and distance goals.',
        ...rule({ minimum: 1, maximum: MAX_SESSION_DISTANCE }),
      }),
      goalDescription: t.arg.string({ description: 'Required for event goals.', ...rule({ maxLength: 200 }) }),
      startDate: t.arg.string({ description: 'YYYY-MM-DD, default today in the user’s zone.', ...DAY_RULE }),
      sessions: t.arg({ type: [PlannedSessionInput], required: true }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createTrainingPlan(serviceContext(ctx), String(userId), input),
  }),
}));
