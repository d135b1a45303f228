import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.js';
import { openApiDocument } from '../../src/server/contracts.js';
import { REST_ROUTES } from '../../src/server/rest/routes.js';
import { readTools } from '../../src/mcp/tools.js';

const tools = readTools(openApiDocument(schema));
const byName = new Map(tools.map((entry) => [entry.tool.name, entry]));
const ULID = '01JZ0000000000000000000000';

/** The last refusal's words, for the assertion message. */
let lastError: string | undefined;

/** The SDK's JSON Schema validator (formats checked), as an MCP host built on it checks a model's arguments. */
function validatorOf(name: string): (input: unknown) => boolean {
  const validate = new AjvJsonSchemaValidator().getValidator(byName.get(name)!.tool.inputSchema);
  return (input) => {
    const outcome = validate(input);
    if (!outcome.valid) lastError = outcome.errorMessage;
    return outcome.valid;
  };
}

describe('the read tools generated from the OpenAPI document', () => {
  it('declares every input as a JSON Schema that compiles, its references resolved within it', () => {
    expect(tools.length).toBeGreaterThan(0);
    for (const { tool } of tools) expect(() => validatorOf(tool.name), tool.name).not.toThrow();
  });

  it('takes each read-scope POST route’s own example body, with its path parameters beside it', () => {
    const posts = REST_ROUTES.filter((route) => route.method === 'POST' && route.scope === 'read');
    expect(posts.length).toBeGreaterThan(0);
    for (const route of posts) {
      const name = route.field!.split('.')[1]!;
      const validate = validatorOf(name);
      const path = Object.fromEntries(byName.get(name)!.pathParams.map((param) => [param, ULID]));
      expect(validate({ ...path, ...route.example }), lastError).toBe(true);
    }
  });

  it('states the REST rules of parameters: required path, bounds, enums by reference, null for optional body fields', () => {
    const daily = validatorOf('dailySummaries');
    expect(daily({ userId: ULID, from: '2025-06-01', limit: 10, metricType: ['steps'], merge: 'priority' })).toBe(true);
    expect(daily({ from: '2025-06-01' })).toBe(false);
    expect(daily({ userId: ULID, limit: 501 })).toBe(false);
    expect(daily({ userId: ULID, merge: 'both' })).toBe(false);
    expect(daily({ userId: ULID, metricType: ['blood_sugar'] })).toBe(false);
    expect(daily({ userId: ULID, day: '2025-06-01' })).toBe(false);
    const correlations = validatorOf('discoverCorrelations');
    expect(correlations({ userId: ULID, maxLag: null, alpha: 0.05 })).toBe(true);
    expect(correlations({ userId: ULID, maxLag: 4 })).toBe(false);
  });

  it('knows where each argument goes in the REST request', () => {
    expect(byName.get('readiness')).toMatchObject({
      method: 'GET',
      path: '/users/{userId}/readiness',
      pathParams: ['userId'],
      queryParams: ['asOf'],
      bodyFields: [],
      scope: 'read',
    });
    expect(byName.get('detectAnomalies')).toMatchObject({ method: 'POST', pathParams: ['userId'], queryParams: [] });
    expect(byName.get('apiKeys')).toMatchObject({ scope: 'admin' });
  });
});
