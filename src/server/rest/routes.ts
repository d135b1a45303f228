import { ANALYTICS_ROUTES, BASELINE_ROUTES } from './routes/analytics.js';
import { API_KEY_ROUTES } from './routes/api-keys.js';
import { CONNECTION_ROUTES } from './routes/connections.js';
import { DOMAIN_EVENT_ROUTES } from './routes/domain-events.js';
import { EVENT_ROUTES } from './routes/events.js';
import { EXPORT_ROUTES } from './routes/exports.js';
import { FILE_ROUTES } from './routes/files.js';
import { GOAL_ROUTES } from './routes/goals.js';
import { CHALLENGE_ROUTES } from './routes/challenges.js';
import { HEALTH_ROUTES } from './routes/health.js';
import { IMPORT_ROUTES } from './routes/imports.js';
import { PROVIDER_ROUTES } from './routes/providers.js';
import { RECORD_ROUTES } from './routes/records.js';
import { REPORT_ROUTES } from './routes/reports.js';
import type { RestRoute } from './routes/route.js';
import { NOTIFICATION_ROUTES } from './routes/notifications.js';
import { TRAINING_ROUTES } from './routes/training.js';
import { USER_ROUTES } from './routes/users.js';
import { WEBHOOK_ROUTES } from './routes/webhooks.js';
import { HABITS_ROUTES } from './routes/wellness-habits.js';
import { JOURNAL_ROUTES } from './routes/wellness-journal.js';
import { MOOD_ROUTES } from './routes/wellness-mood.js';
import { NUTRITION_ROUTES } from './routes/wellness-nutrition.js';
import { WATER_ROUTES } from './routes/wellness-water.js';
import { MEDICATION_ROUTES } from './routes/wellness-medications.js';
import { SYMPTOM_ROUTES } from './routes/wellness-symptoms.js';

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
  ...ANALYTICS_ROUTES,
  ...BASELINE_ROUTES,
  ...GOAL_ROUTES,
  ...CHALLENGE_ROUTES,
  ...TRAINING_ROUTES,
  ...HABITS_ROUTES,
  ...WATER_ROUTES,
  ...NUTRITION_ROUTES,
  ...MEDICATION_ROUTES,
  ...SYMPTOM_ROUTES,
  ...MOOD_ROUTES,
  ...JOURNAL_ROUTES,
  ...REPORT_ROUTES,
  ...EXPORT_ROUTES,
  ...IMPORT_ROUTES,
];

export const REST_BASE = '/v1';

interface CompiledRoute {
  route: RestRoute;
  pattern: RegExp;
  params: string[];
  /** Literal characters of the path: literal segments win over parameters (…/health/summary vs …/:metricType). */
  literal: number;
}

const compiled: CompiledRoute[] = REST_ROUTES.map((route) => ({
  route,
  pattern: new RegExp('^' + route.path.replace(/:[A-Za-z]+/g, '([^/]+)') + '/?$'),
  params: Array.from(route.path.matchAll(/:([A-Za-z]+)/g), (m) => m[1]!),
  literal: route.path.replace(/:[A-Za-z]+/g, '').length,
})).sort((a, b) => b.literal - a.literal);

export type RouteMatch = { route: RestRoute; params: Record<string, string> } | { allowed: string[] } | null;

/**
 * The route a request path and method name, with its path parameters (decoded); `allowed` when the path exists
 * with other methods only (405). A path that matches a route with more literal characters matches only the routes
 * with as many. The one match of a request: nothing downstream matches again.
 */
export function matchRoute(method: string, pathUnderBase: string): RouteMatch {
  const allowed = new Set<string>();
  // The most literal paths that match are the path: …/water/today is not also …/water/:logId with logId "today".
  let literal = -1;
  for (const entry of compiled) {
    if (entry.literal < literal) break;
    const found = entry.pattern.exec(pathUnderBase);
    if (!found) continue;
    literal = entry.literal;
    if (entry.route.method !== method) {
      allowed.add(entry.route.method);
      continue;
    }
    const params: Record<string, string> = {};
    entry.params.forEach((name, index) => (params[name] = decodeSegment(found[index + 1]!)));
    return { route: entry.route, params };
  }
  return allowed.size > 0 ? { allowed: [...allowed] } : null;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
