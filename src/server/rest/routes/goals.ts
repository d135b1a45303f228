import { inArea, route } from './route.js';

/** Goals with their progress, and the achievements unlocked (challenges come with the next slice). */
export const GOAL_ROUTES = inArea('Goals, achievements and challenges', [
  route('GET /users/:userId/goals', 'Query.goals', 'read', 'List health goals'),
  route('POST /users/:userId/goals', 'Mutation.createGoal', 'write', 'Create a goal with target metric and value', {
    example: { metricType: 'steps', target: 70000, direction: 'at_least', period: 'weekly', startDate: '2025-03-03' },
  }),
  route('PATCH /users/:userId/goals/:goalId', 'Mutation.updateGoal', 'write', 'Update goal settings', {
    example: { target: 80000 },
  }),
  route('GET /users/:userId/achievements', 'Query.achievements', 'read', 'List unlocked achievements'),
]);
