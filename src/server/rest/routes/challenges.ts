import { inArea, route } from './route.js';

/** Workspace-wide challenges and their leaderboards. */
export const CHALLENGE_ROUTES = inArea('Goals, achievements and challenges', [
  route('GET /challenges', 'Query.challenges', 'read', 'List workspace challenges'),
  route('POST /challenges', 'Mutation.createChallenge', 'write', 'Create a challenge', {
    example: { name: 'June steps', metricType: 'steps', aggregation: 'sum', startDate: '2025-06-01', endDate: '2025-06-30' },
  }),
  route('POST /challenges/:challengeId/join', 'Mutation.joinChallenge', 'write', 'Join a challenge', {
    example: { userId: '01JZ8Q4V6W3T2S1R0P9N8M7K6J' },
  }),
  route('GET /challenges/:challengeId/leaderboard', 'Query.challengeLeaderboard', 'read', 'Challenge leaderboard'),
]);
