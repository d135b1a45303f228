import { inArea, route } from './route.js';

/** Mood check-ins and their statistics (issue 20). */
export const MOOD_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/mood', 'Query.moodEntries', 'read', 'List mood entries (filterable by date, mood type)'),
  route('POST /users/:userId/mood', 'Mutation.logMood', 'write', 'Log a mood entry (score, energy, stress, tags)', {
    example: { score: 7, mood: 'calm', energy: 6, stress: 3, tags: ['work'], note: 'Good focus today' },
  }),
  route('GET /users/:userId/mood/stats', 'Query.moodStats', 'read', 'Mood statistics and trends'),
]);
