/**
 * Regression tests for what schemathesis (scripts/fuzz.sh) found: each `it` is one finding, on the REST path the
 * fuzzer took, plus the OpenAPI description that has to match it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.js';
import { openApiDocument } from '../../src/server/contracts.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aUser } from '../factories/index.js';

const NUL = '\u0000';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`fuzz findings on ${engine}`, () => {
    let t: TestServer;
    let userId: string;
    beforeAll(async () => {
      t = await startTestServer(engine);
      userId = (await aUser(t)).id;
    });
    afterAll(() => t?.close());

    it('answers 400 naming the parameter to a day outside 1900–2199, on REST and GraphQL, instead of failing in a query', async () => {
      // A window a year back from 0001-01-01 reaches year 0, which the database's dates do not have.
      for (const path of ['baselines', 'readiness', 'readiness/training-load', 'sleep-analysis/debt', 'sleep-analysis/quality']) {
        for (const day of ['0001-01-01', '1899-12-31', '2200-01-01']) {
          const response = await t.api('GET', `/v1/users/${userId}/${path}?asOf=${day}`);
          expect(response.status, `${path} ${day}`).toBe(400);
          expect(response.body.message).toBe('query parameter asOf must be a date YYYY-MM-DD from 1900-01-01 to 2199-12-31');
        }
        expect((await t.api('GET', `/v1/users/${userId}/${path}?asOf=1900-01-01`)).status, path).toBe(200);
      }
      const gql = await t.graphql(`query ($userId: ID!) { readiness(userId: $userId, asOf: "0001-01-01") { score } }`, { userId });
      expect(gql.body.errors?.[0]?.message).toBe('asOf must be a date YYYY-MM-DD from 1900-01-01 to 2199-12-31');
      const parameter = (openApiDocument(schema) as any).paths['/users/{userId}/readiness'].get.parameters.find(
        (p: { name: string }) => p.name === 'asOf',
      );
      expect(new RegExp(parameter.schema.pattern).test('0001-01-01')).toBe(false);
      expect(new RegExp(parameter.schema.pattern).test('2025-06-15')).toBe(true);
    });

    it('answers 400 to a JSON body value of the wrong type instead of converting it', async () => {
      const cases: [string, string, unknown][] = [
        ['POST', '/v1/api-keys', { name: false, scope: 'write' }],
        ['POST', '/v1/users', { externalId: false }],
        ['PATCH', `/v1/users/${userId}`, { email: 42 }],
        ['POST', `/v1/users/${userId}/health`, { source: false, samples: [] }],
        ['POST', `/v1/users/${userId}/events`, { source: 7, events: [] }],
      ];
      for (const [method, path, body] of cases) {
        const response = await t.api(method, path, { body });
        expect(response.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      }
      const keys = await t.api('GET', '/v1/api-keys?limit=500');
      expect(keys.body.data.map((key: { name: string }) => key.name)).not.toContain('false');
      const rotated = await t.api(
        'POST',
        `/v1/api-keys/${(await t.api('POST', '/v1/api-keys', { body: { name: 'r', scope: 'read' } })).body.id}/rotate`,
        {
          body: { gracePeriodSeconds: true },
        },
      );
      expect(rotated.status).toBe(400);
    });

    it('takes an explicit null in a JSON body as null: email null clears it, expiresAt null never expires', async () => {
      const emailed = await aUser(t, { email: 'fuzzed@example.com' });
      const cleared = await t.api('PATCH', `/v1/users/${emailed.id}`, { body: { email: null } });
      expect(cleared.status).toBe(200);
      expect(cleared.body.email).toBeNull();
      expect((await t.api('GET', `/v1/users/${emailed.id}`)).body.email).toBeNull();
      const key = await t.api('POST', '/v1/api-keys', { body: { name: 'no expiry', scope: 'read', expiresAt: null } });
      expect(key.status).toBe(201);
      expect(key.body.expiresAt).toBeNull();
      const ingested = await t.api('POST', `/v1/users/${userId}/health`, { body: { source: null, samples: [] } });
      expect(ingested.status).toBe(201);
    });

    it('answers 400 to an empty query parameter instead of ignoring it', async () => {
      for (const path of [`/v1/users/${userId}/health?to=`, `/v1/users/${userId}/events?from=`, '/v1/users?limit=', '/v1/users?cursor=']) {
        const response = await t.api('GET', path);
        expect(response.status, path).toBe(400);
        expect(response.body.message, path).toMatch(/is empty/);
      }
    });

    it('accepts a request without a body where no body field is required', async () => {
      const patched = await t.api('PATCH', `/v1/users/${userId}`);
      expect(patched.status).toBe(200);
      expect(patched.body.id).toBe(userId);
      const key = (await t.api('POST', '/v1/api-keys', { body: { name: 'to rotate', scope: 'read' } })).body;
      expect((await t.api('POST', `/v1/api-keys/${key.id}/rotate`)).status).toBe(201);
    });

    it('takes path parameters from the path only: a body without them is complete', async () => {
      const link = await t.api('POST', `/v1/users/${userId}/connect-links`, { body: { providerId: 'demo' } });
      expect(link.status).toBe(201);
    });

    it('answers 400, not 500, to text carrying a NUL character, on REST and GraphQL', async () => {
      const cases: [string, string, unknown?][] = [
        ['GET', '/v1/jobs/%00'],
        ['GET', `/v1/users/${userId}/events?source=a%00`],
        ['POST', '/v1/users', { externalId: `a${NUL}b` }],
        ['POST', '/v1/users', { externalId: 'nul-in-json', metadata: { note: NUL } }],
        [
          'POST',
          `/v1/users/${userId}/health`,
          { samples: [{ metricType: 'steps', value: 5, recordedAt: '2025-06-15T09:00:00.000Z', device: `watch${NUL}` }] },
        ],
      ];
      for (const [method, path, body] of cases) {
        const response = await t.api(method, path, { body });
        expect(response.status, `${method} ${path}`).toBe(400);
        expect(response.body.message, `${method} ${path}`).toMatch(/NUL/);
      }
      // Ids and metric types in a path have a pattern or a list of values: NUL breaks the rule before any query.
      for (const path of ['/v1/users/%00', `/v1/users/${userId}/personal-records/%00`]) {
        const response = await t.api('GET', path);
        expect(response.status, path).toBeOneOf([400, 422]);
        expect(response.body.message, path).toMatch(/^path parameter (userId|metricType) must be/);
      }
      const graphql = await t.graphql('query ($id: ID!) { user(userId: $id) { id } }', { id: NUL });
      expect(graphql.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    });

    it('answers the keyless routes with statuses and content types the document lists', async () => {
      const doc = openApiDocument(schema) as any;
      const listed = (path: string, status: number) => Object.keys(doc.paths[path].get.responses[String(status)]?.content ?? {});
      // Fitbit's verification check wants a plain-text 404 for a wrong code.
      const check = await t.api('GET', '/v1/providers/fitbit/push?verify=wrong');
      expect(check.status).toBe(404);
      expect(check.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(listed('/providers/{providerId}/push', 404)).toContain('text/plain');
      // A key sent to a route that needs none is still checked.
      const authorize = await t.api('GET', '/v1/oauth/demo/authorize?link=x', { key: 'vs_live_not-a-key-not-a-key-not-a-key-xxxxx' });
      expect(authorize.status).toBe(401);
      expect(listed('/oauth/{providerId}/authorize', 401)).toContain('application/json');
    });
  });
}

describe('the OpenAPI document describes request bodies as served', () => {
  const doc = openApiDocument(schema) as any;
  const body = (path: string, method: string) => doc.paths[path][method].requestBody;

  it('keeps path parameters out of request bodies', () => {
    for (const [path, operations] of Object.entries<any>(doc.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const properties = operation.requestBody?.content?.['application/json']?.schema?.properties ?? {};
        for (const parameter of (operation.parameters ?? []).filter((p: any) => p.in === 'path')) {
          expect(properties, `${method} ${path}`).not.toHaveProperty(parameter.name);
        }
      }
    }
  });

  it('requires a body only when it has a required field, and has none when nothing is left to send', () => {
    expect(body('/users/{userId}', 'patch').required).toBe(false);
    expect(body('/api-keys/{keyId}/rotate', 'post').required).toBe(false);
    expect(body('/users', 'post').required).toBe(true);
    expect(body('/users/{userId}/connections/{connectionId}/sync', 'post')).toBeUndefined();
  });

  it('marks optional body fields and optional input-object fields nullable', () => {
    const apiKey = body('/api-keys', 'post').content['application/json'].schema;
    expect(apiKey.properties.expiresAt.nullable).toBe(true);
    expect(apiKey.properties.name.nullable).toBeUndefined();
    expect(body('/users/{userId}', 'patch').content['application/json'].schema.properties.email.nullable).toBe(true);
    expect(doc.components.schemas.HealthSampleInput.properties.device.nullable).toBe(true);
  });

  it('gives DateTime query parameters no other argument’s description', () => {
    const from = doc.paths['/users/{userId}/health'].get.parameters.find((p: any) => p.name === 'from');
    expect(JSON.stringify(from)).not.toMatch(/key stops working/);
  });
});
