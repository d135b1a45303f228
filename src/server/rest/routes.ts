import type { Scope } from '../../auth/scopes.js';

/**
 * The REST route table: each /v1 route of the contract (../shared/spec/API.md) is one root field of the GraphQL
 * schema. A new REST route is one line here plus its field in schema/<area>.ts.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /v1, with :params named as the field's arguments. */
  path: string;
  /** The root field SOFA runs; absent for the OAuth browser redirects, which are plain handlers (`browser`). */
  field?: `Query.${string}` | `Mutation.${string}`;
  browser?: 'authorize' | 'callback' | 'push' | 'push-check';
  scope: Scope | 'none';
  /** Success status. 201 routes that may find instead of create answer 200 then (the resolver says so). */
  status: 200 | 201 | 202 | 204;
  tag: string;
  summary: string;
  /** A request body example for the OpenAPI document. */
  example?: Record<string, unknown>;
  /** Served in addition to the contract (../shared/spec/routes.tsv), by an issue's decision. */
  beyondContract?: true;
}

export const REST_ROUTES: readonly RestRoute[] = [
  { method: 'POST', path: '/users', field: 'Mutation.createUser', scope: 'write', status: 201, tag: 'Users', summary: 'Create or find a user by externalId', example: { externalId: 'app-user-42', email: 'ada@example.com', timezone: 'Europe/London', metadata: { plan: 'pro' } } },
  { method: 'GET', path: '/users', field: 'Query.users', scope: 'read', status: 200, tag: 'Users', summary: 'List all users (paginated)' },
  { method: 'GET', path: '/users/:userId', field: 'Query.user', scope: 'read', status: 200, tag: 'Users', summary: 'Get a user by ID' },
  { method: 'PATCH', path: '/users/:userId', field: 'Mutation.updateUser', scope: 'write', status: 200, tag: 'Users', summary: 'Update user properties', example: { timezone: 'Asia/Kolkata' } },
  { method: 'DELETE', path: '/users/:userId', field: 'Mutation.deleteUser', scope: 'admin', status: 204, tag: 'Users', summary: 'Delete a user and all their data' },
  { method: 'POST', path: '/api-keys', field: 'Mutation.createApiKey', scope: 'admin', status: 201, tag: 'API keys', summary: 'Create an API key', example: { name: 'ingest service', scope: 'write', expiresAt: '2027-01-01T00:00:00.000Z' } },
  { method: 'GET', path: '/api-keys', field: 'Query.apiKeys', scope: 'admin', status: 200, tag: 'API keys', summary: 'List API keys' },
  { method: 'DELETE', path: '/api-keys/:keyId', field: 'Mutation.deleteApiKey', scope: 'admin', status: 204, tag: 'API keys', summary: 'Delete an API key' },
  { method: 'POST', path: '/api-keys/:keyId/rotate', field: 'Mutation.rotateApiKey', scope: 'admin', status: 201, tag: 'API keys', summary: 'Rotate (replace) an API key', example: { gracePeriodSeconds: 3600 } },
  { method: 'GET', path: '/oauth/:providerId/authorize', browser: 'authorize', scope: 'none', status: 200, tag: 'OAuth and connections', summary: 'Redirect user to provider OAuth' },
  { method: 'GET', path: '/oauth/:providerId/callback', browser: 'callback', scope: 'none', status: 200, tag: 'OAuth and connections', summary: 'OAuth callback (handled by VitaSync)' },
  { method: 'POST', path: '/providers/:providerId/push', browser: 'push', scope: 'none', status: 200, tag: 'OAuth and connections', summary: 'Receive a provider push notification', beyondContract: true },
  { method: 'GET', path: '/providers/:providerId/push', browser: 'push-check', scope: 'none', status: 200, tag: 'OAuth and connections', summary: 'Answer a provider push subscription check', beyondContract: true },
  { method: 'GET', path: '/users/:userId/connections', field: 'Query.connections', scope: 'read', status: 200, tag: 'OAuth and connections', summary: 'List a user’s provider connections' },
  { method: 'DELETE', path: '/users/:userId/connections/:connectionId', field: 'Mutation.disconnectConnection', scope: 'write', status: 204, tag: 'OAuth and connections', summary: 'Disconnect a provider' },
  { method: 'POST', path: '/users/:userId/connections/:connectionId/sync', field: 'Mutation.syncConnection', scope: 'write', status: 202, tag: 'OAuth and connections', summary: 'Trigger a manual sync' },
  { method: 'GET', path: '/users/:userId/connections/:connectionId/schedule', field: 'Query.syncSchedule', scope: 'read', status: 200, tag: 'OAuth and connections', summary: 'A connection’s periodic sync schedule', beyondContract: true },
  {
    method: 'PATCH', path: '/users/:userId/connections/:connectionId/schedule', field: 'Mutation.updateSyncSchedule', scope: 'write', status: 200, tag: 'OAuth and connections', summary: 'Change, pause or resume a connection’s periodic sync', beyondContract: true,
    example: { everyMinutes: 30, paused: false },
  },
  {
    method: 'POST', path: '/users/:userId/connect-links', field: 'Mutation.createConnectLink', scope: 'write', status: 201, tag: 'OAuth and connections', summary: 'Create a short-lived connect link for the user’s browser', beyondContract: true,
    example: { providerId: 'demo', redirectUri: 'https://app.example.com/vitasync/done' },
  },
  { method: 'GET', path: '/jobs/:jobId', field: 'Query.job', scope: 'read', status: 200, tag: 'OAuth and connections', summary: 'Status of a background job (sync…)', beyondContract: true },
  { method: 'GET', path: '/users/:userId/health', field: 'Query.healthSamples', scope: 'read', status: 200, tag: 'Health data', summary: 'Raw health metrics (paginated)' },
  { method: 'GET', path: '/users/:userId/health/summary', field: 'Query.healthSummary', scope: 'read', status: 200, tag: 'Health data', summary: 'Count per metric type' },
  { method: 'GET', path: '/users/:userId/health/timeseries', field: 'Query.healthTimeseries', scope: 'read', status: 200, tag: 'Health data', summary: 'Aggregated timeseries data' },
  { method: 'GET', path: '/users/:userId/health/daily-summaries', field: 'Query.dailySummaries', scope: 'read', status: 200, tag: 'Health data', summary: 'Per-day metric totals' },
  { method: 'DELETE', path: '/users/:userId/health', field: 'Mutation.deleteHealthData', scope: 'admin', status: 204, tag: 'Health data', summary: 'Delete all health data (GDPR)' },
  {
    method: 'POST', path: '/users/:userId/health', field: 'Mutation.ingestHealthSamples', scope: 'write', status: 201, tag: 'Health data', summary: 'Push health samples (HealthKit, Health Connect…)', beyondContract: true,
    example: { source: 'healthkit', samples: [{ metricType: 'heart_rate', value: 62, unit: 'count/min', recordedAt: '2025-06-15T09:00:00.000Z', device: 'Apple Watch' }, { metricType: 'steps', value: 840, recordedAt: '2025-06-15T09:00:00.000Z', endAt: '2025-06-15T09:15:00.000Z' }] },
  },
  { method: 'GET', path: '/users/:userId/events', field: 'Query.events', scope: 'read', status: 200, tag: 'Events', summary: 'List workouts, sleep, and activities' },
  { method: 'GET', path: '/users/:userId/events/:eventId', field: 'Query.event', scope: 'read', status: 200, tag: 'Events', summary: 'Get a single event' },
  {
    method: 'POST', path: '/users/:userId/events', field: 'Mutation.ingestEvents', scope: 'write', status: 201, tag: 'Events', summary: 'Push workouts, sleep sessions and activities', beyondContract: true,
    example: { source: 'healthkit', events: [{ type: 'workout', subtype: 'running', startAt: '2025-06-15T06:00:00.000Z', endAt: '2025-06-15T06:45:00.000Z', distance: 8200, energy: 610, avgHeartRate: 151, externalId: 'hk-123' }] },
  },
  { method: 'GET', path: '/users/:userId/personal-records', field: 'Query.personalRecords', scope: 'read', status: 200, tag: 'Personal records', summary: 'All personal records' },
  { method: 'GET', path: '/users/:userId/personal-records/:metricType', field: 'Query.personalRecordsOfMetric', scope: 'read', status: 200, tag: 'Personal records', summary: 'Records for a metric type' },
  { method: 'GET', path: '/audit-log', field: 'Query.auditLog', scope: 'admin', status: 200, tag: 'API keys', summary: 'The workspace’s audit log (append-only)', beyondContract: true },
  { method: 'GET', path: '/metric-types', field: 'Query.metricTypes', scope: 'read', status: 200, tag: 'Providers', summary: 'List the metric types, their units and ranges', beyondContract: true },
  { method: 'GET', path: '/providers', field: 'Query.providers', scope: 'read', status: 200, tag: 'Providers', summary: 'List all configured providers' },
];

export const REST_BASE = '/v1';

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
}

const compiled: CompiledRoute[] = REST_ROUTES.map((route) => ({
  route,
  pattern: new RegExp('^' + route.path.replace(/:[A-Za-z]+/g, '[^/]+') + '/?$'),
}));

export type RouteMatch = { route: RestRoute } | { allowed: string[] } | null;

/** The route a request path and method name; `allowed` when the path exists with other methods only (405). */
export function matchRoute(method: string, pathUnderBase: string): RouteMatch {
  const byPath = compiled.filter((entry) => entry.pattern.test(pathUnderBase));
  if (byPath.length === 0) return null;
  // Literal segments win over parameters (e.g. a future /users/:userId/health/summary vs …/:metricType).
  const exact = byPath
    .filter((entry) => entry.route.method === method)
    .sort((a, b) => b.route.path.replace(/:[A-Za-z]+/g, '').length - a.route.path.replace(/:[A-Za-z]+/g, '').length)[0];
  return exact ? { route: exact.route } : { allowed: [...new Set(byPath.map((entry) => entry.route.method))] };
}
