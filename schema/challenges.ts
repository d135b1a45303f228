import {
  createChallenge,
  joinChallenge,
  listChallenges,
  MAX_CHALLENGE_NAME,
  type ChallengeView,
  type Membership,
} from '../src/challenges/challenges.js';
import { CHALLENGE_AGGREGATIONS, CHALLENGE_VISIBILITIES } from '../src/challenges/challenge-store.js';
import { leaderboard, type LeaderboardEntry } from '../src/challenges/leaderboard.js';
import { METRIC_TYPE_RULE } from '../src/health/metric-types.js';
import { NOT_BLANK, rule, ULID_RULE } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });

const AggregationEnum = builder.enumType('ChallengeAggregation', {
  description: "How a member's daily values in the window make their score: sum (total steps), mean (average day), max (best day).",
  values: CHALLENGE_AGGREGATIONS,
});
const VisibilityEnum = builder.enumType('ChallengeVisibility', {
  description: 'public challenges are listed by default; private ones only when listed with visibility private.',
  values: CHALLENGE_VISIBILITIES,
});

const ChallengeType = builder.objectRef<ChallengeView>('Challenge').implement({
  description: "A workspace-wide challenge on one metric over a window of local days (each member's own days).",
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    aggregation: t.field({ type: AggregationEnum, resolve: (challenge) => challenge.aggregation }),
    startDate: t.exposeString('startDate'),
    endDate: t.exposeString('endDate', { description: 'Last local day, inclusive: joining after it is a 409.' }),
    visibility: t.field({ type: VisibilityEnum, resolve: (challenge) => challenge.visibility }),
    members: t.exposeInt('members'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const MembershipType = builder.objectRef<Membership>('ChallengeMembership').implement({
  description: "A user's place in a challenge.",
  fields: (t) => ({
    challengeId: t.exposeID('challengeId'),
    userId: t.exposeID('userId'),
    value: t.exposeFloat('value', { description: 'Their score so far (0 without data).' }),
    days: t.exposeInt('days', { description: 'Local days of the window with data.' }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
  }),
});

const EntryType = builder.objectRef<LeaderboardEntry>('LeaderboardEntry').implement({
  description: 'A member on the leaderboard.',
  fields: (t) => ({
    rank: t.exposeInt('rank', { description: 'Members with the same value share a rank; the next rank skips (1, 2, 2, 4).' }),
    userId: t.exposeID('userId'),
    externalId: t.exposeString('externalId'),
    value: t.exposeFloat('value'),
    days: t.exposeInt('days'),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
  }),
});

const ChallengePage = pageType('ChallengePage', ChallengeType, 'A page of challenges in creation order.');
const LeaderboardPage = pageType('LeaderboardPage', EntryType, 'A page of the leaderboard, best first (ties by user id).');

builder.queryFields((t) => ({
  challenges: t.field({
    type: ChallengePage,
    description: "List the workspace's challenges.",
    authScopes: { read: true },
    args: { visibility: t.arg({ type: VisibilityEnum, description: 'Default public.' }), ...pageArgs },
    resolve: (_root, { visibility, ...page }, ctx) => listChallenges(serviceContext(ctx), { visibility }, page),
  }),
  challengeLeaderboard: t.field({
    type: LeaderboardPage,
    description: "A challenge's members ranked by their score over the window, from standings kept current as data arrives.",
    authScopes: { read: true },
    args: { challengeId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { challengeId, ...page }, ctx) => leaderboard(serviceContext(ctx), String(challengeId), page),
  }),
}));

builder.mutationFields((t) => ({
  createChallenge: t.field({
    type: ChallengeType,
    description: 'Create a workspace-wide challenge.',
    authScopes: { write: true },
    args: {
      name: t.arg.string({ required: true, ...rule({ minLength: 1, maxLength: MAX_CHALLENGE_NAME, ...NOT_BLANK }) }),
      metricType: t.arg.string({ required: true, ...rule(METRIC_TYPE_RULE) }),
      aggregation: t.arg({ type: AggregationEnum, description: 'Default: sum for totals (steps), mean for the rest.' }),
      startDate: t.arg.string({ required: true, ...DAY_RULE }),
      endDate: t.arg.string({ required: true, description: 'Inclusive; at most 366 days after startDate.', ...DAY_RULE }),
      visibility: t.arg({ type: VisibilityEnum, description: 'Default public.' }),
    },
    resolve: (_root, args, ctx) => createChallenge(serviceContext(ctx), args),
  }),
  joinChallenge: t.field({
    type: MembershipType,
    description:
      'Add a user to a challenge (REST answers 201 when joined, 200 when already a member); 409 once it ended in the user’s zone.',
    authScopes: { write: true },
    args: {
      challengeId: t.arg.id({ required: true }),
      // A string with the ULID rule, as a body id: an ID would take a JSON number and find no such user.
      userId: t.arg.string({ required: true, description: 'The user to add (a ULID).', ...rule(ULID_RULE) }),
    },
    resolve: async (_root, args, ctx) => {
      const { membership, created } = await joinChallenge(serviceContext(ctx), String(args.challengeId), String(args.userId));
      ctx.response.status = created ? 201 : 200;
      return membership;
    },
  }),
}));
