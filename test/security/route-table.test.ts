import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_BASE, REST_ROUTES, type RestRoute } from '../../src/server/rest/routes.js';
import { seedForeignWorkspace } from '../helpers/foreign-workspace.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey } from '../factories/index.js';

/**
 * Suites generated from the route table, so a new route is covered the day it appears (OWASP API1, API2, API5).
 * Path parameters are filled with real resources of a second workspace: a key of the first must see none of them.
 */
const guarded = REST_ROUTES.filter((route) => route.scope !== 'none');
const label = (route: RestRoute) => `${route.method} ${REST_BASE}${route.path}`;

describe('every guarded route', () => {
  let t: TestServer;
  let foreign: Record<string, string>;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestServer();
    keys.read = (await aKey(t, { scope: 'read' })).key;
    keys.write = (await aKey(t, { scope: 'write' })).key;
    foreign = await seedForeignWorkspace(t);
  });
  afterAll(() => t?.close());

  const path = (route: RestRoute) =>
    REST_BASE + route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(foreign[name] ?? 'x'));

  it.each(guarded.map((route) => [label(route), route] as const))(
    '%s answers 401 without a key and with a malformed one',
    async (_, route) => {
      const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer nope' }, { authorization: 'vs_live_' + 'a'.repeat(43) }];
      for (const headers of attempts) {
        const response = await t.api(route.method, path(route), {
          key: null,
          headers,
          body: ['GET', 'DELETE'].includes(route.method) ? undefined : {},
        });
        expect(response.status, JSON.stringify(headers)).toBe(401);
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    },
  );

  it.each(guarded.filter((route) => route.scope !== 'read').map((route) => [label(route), route] as const))(
    '%s answers 403 to a key with less than its scope',
    async (_, route) => {
      const weaker = route.scope === 'admin' ? ['read', 'write'] : ['read'];
      for (const scope of weaker) {
        const response = await t.api(route.method, path(route), {
          key: keys[scope],
          body: ['GET', 'DELETE'].includes(route.method) ? undefined : {},
        });
        expect(response.status, scope).toBe(403);
        expect(response.body.error).toBe('Forbidden');
      }
    },
  );

  it.each(
    guarded
      .filter((route) =>
        /:(userId|eventId|connectionId|keyId|jobId|fileId|webhookId|channelId|ruleId|goalId|challengeId|habitId|logId|medId|importId)/.test(
          route.path,
        ),
      )
      .map((route) => [label(route), route] as const),
  )('%s answers 404 for another workspace’s resource', async (_, route) => {
    const body = ['POST', 'PUT'].includes(route.method)
      ? bodyFor(route)
      : route.method === 'PATCH'
        ? route.path.endsWith('/goals/:goalId')
          ? { target: 1 }
          : route.path.endsWith('/habits/:habitId')
            ? { name: 'x' }
            : { email: 'x@example.com' }
        : undefined;
    // Required query parameters are given, so only the foreign id can be what is wrong.
    const query = route.path.endsWith('/timeseries') ? '?metricType=steps' : '';
    const response = await t.api(route.method, path(route) + query, { body });
    expect(response.status).toBe(404);
    expect(response.body.statusCode).toBe(404);
  });
});

/** A valid body for a POST route, so only the foreign id can be what is wrong. */
function bodyFor(route: RestRoute): Record<string, unknown> {
  if (route.path.endsWith('/health')) return { samples: [{ metricType: 'steps', value: 1, recordedAt: '2025-06-01T10:00:00.000Z' }] };
  if (route.path.endsWith('/events')) return { events: [] };
  if (route.path.endsWith('/connect-links')) return { providerId: 'demo' };
  if (route.path.endsWith('/notifications/channels')) return { type: 'ntfy', name: 'x', settings: { topic: 't' } };
  if (route.path.endsWith('/notifications/channels/:channelId')) return { name: 'x', settings: {} };
  if (/\/notifications\/rules(\/:ruleId)?$/.test(route.path))
    return { name: 'x', channelIds: ['01JZ0000000000000000000000'], condition: { kind: 'sync_failure' } };
  if (route.path.endsWith('/join')) return { userId: '01JZ8Q4V6W3T2S1R0P9N8M7K6J' };
  if (route.path.endsWith('/goals')) return { metricType: 'steps', target: 1, period: 'daily' };
  if (route.path.endsWith('/habits')) return { name: 'x' };
  if (route.path.endsWith('/recover')) return { since: '2025-06-01T10:00:00.000Z' };
  if (route.path.endsWith('/redeliver')) return { eventId: 'x' };
  // Otherwise the route's documented example (a training plan's planned week, say).
  return route.example ?? {};
}
