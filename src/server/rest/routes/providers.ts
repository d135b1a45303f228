import { inArea, route } from './route.js';

/** Providers and the metric-type registry. */
export const PROVIDER_ROUTES = inArea('Providers', [
  route('GET /metric-types', 'Query.metricTypes', 'read', 'List the metric types, their units and ranges', { beyondContract: true }),
  route('GET /providers', 'Query.providers', 'read', 'List all configured providers'),
]);
