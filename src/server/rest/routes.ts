import type { Scope } from '../../auth/scopes.js';

/**
 * The REST route table: each /v1 route of the contract (../shared/spec/API.md) is one root field of the GraphQL
 * schema. A new REST route is one line here plus its field in schema/<area>.ts.
 */
export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Under /v1, with :params named as the field's arguments. */
  path: string;
  field: `Query.${string}` | `Mutation.${string}`;
  scope: Scope | 'none';
  /** Success status. 201 routes that may find instead of create answer 200 then (the resolver says so). */
  status: 200 | 201 | 202 | 204;
  tag: string;
  summary: string;
  /** A request body example for the OpenAPI document. */
  example?: Record<string, unknown>;
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
