import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_LIMITS } from '../../src/server/graphql-limits.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('GraphQL document limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  const refused = async (query: string) => {
    const response = await t.graphql(query);
    expect(response.body.data ?? null).toBeNull();
    expect(response.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    return response.body.errors[0].message as string;
  };

  it('serves the largest legitimate query of the API', async () => {
    const response = await t.graphql(
      '{ users(limit: 50) { data { id latestSamples(limit: 100) { value } latestEvents(limit: 100) { type } personalRecords { kind value } } } }',
    );
    expect(response.body.errors).toBeUndefined();
  });

  it('refuses too many aliases', async () => {
    const aliases = Array.from({ length: GRAPHQL_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: providers { total }`).join(' ');
    expect(await refused(`{ ${aliases} }`)).toMatch(/alias/i);
  });

  it('refuses directive floods and oversized documents', async () => {
    expect(await refused(`{ providers ${'@include(if: true) '.repeat(GRAPHQL_LIMITS.maxDirectives + 1)}{ total } }`)).toMatch(/directive/i);
    expect(await refused(`{ ${Array.from({ length: 700 }, () => 'providers { total }').join(' ')} }`)).toMatch(/token/i);
  });
});
