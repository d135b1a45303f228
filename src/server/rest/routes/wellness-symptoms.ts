import { inArea, route } from './route.js';

/** Symptom logs and their patterns (issue 20). */
export const SYMPTOM_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/symptoms', 'Query.symptoms', 'read', 'List symptom logs'),
  route('POST /users/:userId/symptoms', 'Mutation.createSymptom', 'write', 'Log a symptom occurrence', {
    example: { type: 'headache', severity: 6, bodyLocation: 'forehead', durationMinutes: 90, triggers: ['screen time'] },
  }),
  route('GET /users/:userId/symptoms/patterns', 'Query.symptomPatterns', 'read', 'Symptom frequency patterns'),
]);
