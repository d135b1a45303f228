import { inArea, route } from './route.js';

/** Data exports (issue 23): a user's data as JSON, NDJSON, CSV, FHIR R4 or Open mHealth, written by a job. */
export const EXPORT_ROUTES = inArea('Reports, exports, scores and sleep', [
  route('GET /users/:userId/exports', 'Query.dataExports', 'read', 'List data exports'),
  route('POST /users/:userId/exports', 'Mutation.createDataExport', 'write', 'Create a data export (JSON, CSV)', {
    status: 202,
    example: { format: 'csv', from: '2025-01-01', to: '2025-01-31', types: ['samples'], metricTypes: ['heart_rate'] },
  }),
]);
