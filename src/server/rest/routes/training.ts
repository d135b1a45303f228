import { inArea, route } from './route.js';

/** Training plans, readiness and training load. */
export const TRAINING_ROUTES = inArea('Training and readiness', [
  route('GET /users/:userId/training-plans', 'Query.trainingPlans', 'read', 'List training plans'),
  route('POST /users/:userId/training-plans', 'Mutation.createTrainingPlan', 'write', 'Create a training plan', {
    example: {
      name: '10 km in June',
      goalKind: 'race',
      goalDistance: 10000,
      goalDate: '2025-06-29',
      startDate: '2025-05-05',
      sessions: [
        { dayOfWeek: 2, sport: 'running', durationMinutes: 40, intensity: 'easy' },
        { dayOfWeek: 4, sport: 'running', durationMinutes: 45, intensity: 'hard', description: '6 × 3 min at 5 km pace' },
        { dayOfWeek: 7, sport: 'running', distance: 12000, intensity: 'easy' },
      ],
    },
  }),
  route('GET /users/:userId/readiness', 'Query.readiness', 'read', 'Readiness score with contributing signals'),
  route('GET /users/:userId/readiness/training-load', 'Query.trainingLoad', 'read', 'Training load metrics (CTL, ATL, TSB)'),
]);
