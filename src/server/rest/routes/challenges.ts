import { inArea, route } from './route.js';

/** Workspace-wide challenges and their leaderboards. */
export const CHALLENGE_ROUTES = inArea('Goals, achievements and challenges', [
  route('GET /challenges', 'Query.challenges', 'read', 'List workspace challenges'),
  route('POST /challenges', 'Mutation.createChallenge', 'write', 'Create a challenge', {
    example: { name: 'June steps', metricType: 'steps', aggregation: 'sum', startDate: '2025-06-01', endDate: '2025-06-30' },
  }),
  route('POST /challenges/:challengeId/join', 'Mutation.joinChallenge', 'write', 'Join a challenge', {
    example: { userId: '01JZ8Q4V6W3T2S1R0P9N8M7K6J' },
    conflict: 'challenge 01JZ0000000000000000000000 ended on 2025-06-30 (it is 2025-07-02 for this user)',
  }),
  route('GET /challenges/:challengeId/leaderboard', 'Query.challengeLeaderboard', 'read', 'Challenge leaderboard'),
]);
