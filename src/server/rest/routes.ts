import { API_KEY_ROUTES } from './routes/api-keys.js';
import { CONNECTION_ROUTES } from './routes/connections.js';
import { DOMAIN_EVENT_ROUTES } from './routes/domain-events.js';
import { EVENT_ROUTES } from './routes/events.js';
import { FILE_ROUTES } from './routes/files.js';
import { HEALTH_ROUTES } from './routes/health.js';
import { PROVIDER_ROUTES } from './routes/providers.js';
import { RECORD_ROUTES } from './routes/records.js';
import type { RestRoute } from './routes/route.js';
import { NOTIFICATION_ROUTES } from './routes/notifications.js';
import { USER_ROUTES } from './routes/users.js';
import { WEBHOOK_ROUTES } from './routes/webhooks.js';

export type { RestRoute } from './routes/route.js';

/**
 * The REST route table: each /v1 route of the contract (schema/API.md) is one root field of the GraphQL schema.
 * Each area keeps its routes in routes/<area>.ts; a new REST route is one line there plus its field in
 * schema/<area>.ts.
 */
export const REST_ROUTES: readonly RestRoute[] = [
  ...USER_ROUTES,
  ...API_KEY_ROUTES,
  ...CONNECTION_ROUTES,
  ...HEALTH_ROUTES,
  ...EVENT_ROUTES,
  ...RECORD_ROUTES,
  ...PROVIDER_ROUTES,
  ...DOMAIN_EVENT_ROUTES,
  ...FILE_ROUTES,
  ...WEBHOOK_ROUTES,
  ...NOTIFICATION_ROUTES,
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
