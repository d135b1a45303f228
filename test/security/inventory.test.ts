import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REST_BASE, REST_ROUTES } from '../../src/server/rest/routes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * OWASP API9 (inventory): nothing undocumented answers. The OpenAPI document and the route table agree (see
 * test/server/routes-contract.test.ts); here, what scanners try first — admin and debug pages, metrics, dot
 * files, other API versions, schema dumps, every method the table does not list — gets 404 or 405, never data.
 * Served outside /v1 and /graphql: /health, /docs (the API reference), /v1/openapi.json and /mcp (test/mcp), all
 * documented.
 */
const PROBES = [
  '/admin',
  '/v1/admin',
  '/debug',
  '/v1/debug',
  '/metrics',
  '/v1/metrics',
  '/status',
  '/server-status',
  '/.env',
  '/.git/config',
  '/v0/users',
  '/v2/users',
  '/api/users',
  '/v1/openapi.yaml',
  '/v1/swagger.json',
  '/openapi.json',
  '/graphql/schema',
  '/schema.graphql',
  '/v1/internal',
  '/v1/workspaces',
  '/v1/users/x/tokens',
  '/v1/connections',
  '/v1/jobs',
  '/v1/schedules',
  '/v1/keys',
  '/docs/../package.json',
];

describe('an unlisted route', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it.each(PROBES)('GET %s is not found', async (path) => {
    const response = await t.api('GET', path);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404 });
  });

  it('answers 405 with the listed methods for every other method on a listed path', async () => {
    const byPath = new Map<string, string[]>();
    for (const route of REST_ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route.method]);
    for (const [path, methods] of byPath) {
      const url = REST_BASE + path.replace(/:([A-Za-z]+)/g, 'x');
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !methods.includes(m))) {
        const response = await t.api(method, url, { body: ['GET', 'DELETE'].includes(method) ? undefined : {} });
        expect(response.status, `${method} ${url}`).toBe(405);
        expect(response.headers.get('allow')?.split(', ').sort(), `${method} ${url}`).toEqual([...methods].sort());
      }
    }
  });

  it('answers HEAD on a listed GET as GET, without the body', async () => {
    const response = await fetch(`${t.url}/v1/users`, { method: 'HEAD', headers: { authorization: `Bearer ${t.adminKey}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.text()).toBe('');
    expect((await fetch(`${t.url}/v1/users`, { method: 'HEAD' })).status).toBe(401);
  });
});
