import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * OWASP API8 (security misconfiguration) in production mode (NODE_ENV=production): no GraphiQL, no field
 * suggestions that map the schema for an attacker, and internal failures masked on REST and GraphQL — no
 * internal message, no stack trace, just the request id to find it in the logs.
 */
describe('a production server', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer('pglite', { production: true });
  });
  afterAll(() => t?.close());

  it('serves no GraphiQL page', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).not.toMatch(/graphiql/i);
  });

  it('does not suggest field names', async () => {
    const response = await t.graphql('{ userz { id } }');
    expect(response.body.errors[0].message).not.toMatch(/did you mean/i);
    expect(JSON.stringify(response.body)).not.toMatch(/users/);
  });

  it('masks internal failures on REST and GraphQL', async () => {
    // An internal failure on demand: the database goes away under the running server.
    await t.server.database.close();
    const rest = await t.api('GET', '/v1/users');
    expect(rest.status).toBe(500);
    expect(rest.body).toMatchObject({ statusCode: 500, error: 'Internal Server Error' });
    const graphql = await t.graphql('{ users { data { id } } }');
    for (const text of [JSON.stringify(rest.body), JSON.stringify(graphql.body)]) {
      expect(text).not.toMatch(/pglite|prisma|postgres|sql|at .*\.ts|\bstack\b|node_modules/i);
    }
    expect(graphql.body.errors[0].message).toMatch(/unexpected error/i);
  });
});
