import { inArea, route } from './route.js';

/** Personal records. */
export const RECORD_ROUTES = inArea('Personal records', [
  route('GET /users/:userId/personal-records', 'Query.personalRecords', 'read', 'All personal records'),
  route('GET /users/:userId/personal-records/:metricType', 'Query.personalRecordsOfMetric', 'read', 'Records for a metric type'),
]);
