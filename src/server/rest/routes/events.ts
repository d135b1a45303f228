import { inArea, route } from './route.js';

const INGEST_EVENTS_EXAMPLE = {
  source: 'healthkit',
  events: [
    {
      type: 'workout',
      subtype: 'running',
      startAt: '2025-06-15T06:00:00.000Z',
      endAt: '2025-06-15T06:45:00.000Z',
      distance: 8200,
      energy: 610,
      avgHeartRate: 151,
      externalId: 'hk-123',
    },
  ],
};

/** Health events: workouts, sleep sessions, activities. */
export const EVENT_ROUTES = inArea('Events', [
  route('GET /users/:userId/events', 'Query.events', 'read', 'List workouts, sleep, and activities'),
  route('GET /users/:userId/events/:eventId', 'Query.event', 'read', 'Get a single event'),
  route('POST /users/:userId/events', 'Mutation.ingestEvents', 'write', 'Push workouts, sleep sessions and activities', {
    example: INGEST_EVENTS_EXAMPLE,
    beyondContract: true,
  }),
]);
