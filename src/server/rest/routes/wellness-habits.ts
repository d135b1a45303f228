import { inArea, route } from './route.js';

/** Habits (issue 20): definitions, completions by local day, and the daily summary with streaks. */
export const HABITS_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/habits', 'Query.habits', 'read', 'List habit definitions'),
  route('POST /users/:userId/habits', 'Mutation.createHabit', 'write', 'Create a habit (name, icon, color, frequency)', {
    example: { name: 'Stretch', icon: '🧘', color: '#3A86FF', frequency: 'weekdays', weekdays: ['monday', 'wednesday', 'friday'] },
  }),
  route('PATCH /users/:userId/habits/:habitId', 'Mutation.updateHabit', 'write', 'Update a habit', {
    example: { targetPerDay: 2 },
  }),
  route('DELETE /users/:userId/habits/:habitId', 'Mutation.deleteHabit', 'write', 'Delete a habit and its logs'),
  route('POST /users/:userId/habits/:habitId/complete', 'Mutation.completeHabit', 'write', 'Mark a habit as completed for a date', {
    example: { count: 1 },
    found: 'The day had completions already: its count is set (or kept, for the same count).',
  }),
  route('DELETE /users/:userId/habits/:habitId/complete/:date', 'Mutation.undoHabitCompletion', 'write', 'Undo a habit completion'),
  route('GET /users/:userId/habits/summary', 'Query.habitSummary', 'read', 'Daily summary with completion rate and streaks'),
]);
