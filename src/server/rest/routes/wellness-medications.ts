import { inArea, route } from './route.js';

/** Medications with their dose logs and adherence (issue 20). */
export const MEDICATION_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/medications', 'Query.medications', 'read', 'List medications'),
  route('POST /users/:userId/medications', 'Mutation.createMedication', 'write', 'Add a medication', {
    example: { name: 'Metformin', dosage: '500 mg', form: 'tablet', times: ['08:00', '20:00'], startDate: '2025-03-01' },
  }),
  route('POST /users/:userId/medications/:medId/log', 'Mutation.logMedicationDose', 'write', 'Log a dose taken', {
    example: { status: 'taken', at: '2025-03-01T08:05:00.000Z' },
    conflict: 'the dose of 2025-03-01 at 08:00 is already logged',
  }),
  route('GET /users/:userId/medications/:medId/stats', 'Query.medicationStats', 'read', 'Adherence statistics'),
]);
