import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('health, API reference and GraphiQL', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t?.close());

  it('reports liveness and database readiness at /health without a key', async () => {
    const response = await t.api('GET', '/health', { key: null });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'ok', engine: 'pglite' });
  });

  it('serves the checked-in OpenAPI document at /v1/openapi.json without a key', async () => {
    const response = await t.api('GET', '/v1/openapi.json', { key: null });
    expect(response.status).toBe(200);
    const checkedIn = JSON.parse(readFileSync(new URL('../../schema/openapi.json', import.meta.url), 'utf8'));
    expect(response.body).toEqual(checkedIn);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(response.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('serves the API reference page and its assets from node_modules, not a CDN', async () => {
    const page = await fetch(`${t.url}/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css', '/docs/swagger-ui-standalone-preset.js', '/docs/init.js']) {
      const response = await fetch(t.url + asset);
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(20);
    }
    expect(await (await fetch(`${t.url}/docs/init.js`)).text()).toContain('/v1/openapi.json');
  });

  it('serves GraphiQL at GET /graphql for a browser, with no CDN address', async () => {
    const response = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('VitaSync GraphQL');
    expect(html).not.toMatch(/unpkg\.com|jsdelivr|cdnjs/);
  });
});
