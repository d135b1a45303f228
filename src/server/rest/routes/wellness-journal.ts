import { inArea, route } from './route.js';

/** The journal: personal text with mood, gratitude and tags, full-text search and writing streaks (issue 20). */
export const JOURNAL_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/journal', 'Query.journalEntries', 'read', 'List journal entries (search, filter by tags/date)'),
  route('POST /users/:userId/journal', 'Mutation.createJournalEntry', 'write', 'Create a journal entry (title, body, mood, gratitude)', {
    example: {
      title: 'A good Sunday',
      body: 'Long walk by the river, then dinner with friends.',
      mood: 'content',
      gratitude: ['sunshine'],
      tags: ['family'],
    },
  }),
  route('PATCH /users/:userId/journal/:entryId', 'Mutation.updateJournalEntry', 'write', 'Update a journal entry', {
    example: { title: 'A very good Sunday' },
  }),
  route('DELETE /users/:userId/journal/:entryId', 'Mutation.deleteJournalEntry', 'write', 'Delete a journal entry'),
  route('GET /users/:userId/journal/stats', 'Query.journalStats', 'read', 'Journal statistics (streak, mood distribution)'),
]);
