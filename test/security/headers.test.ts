import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('security headers and CORS', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { corsOrigins: ['https://app.example.com'] });
  });
  afterAll(() => t?.close());

  it('marks API answers as never cached, never framed and not sniffable', async () => {
    const response = await t.api('GET', '/v1/users');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('answers preflights and adds CORS headers only for allowed origins', async () => {
    const allowed = await fetch(`${t.url}/v1/users`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'GET' },
    });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-headers')).toContain('Authorization');
    const foreign = await fetch(`${t.url}/v1/users`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const get = await t.api('GET', '/v1/users', { headers: { origin: 'https://app.example.com' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(get.headers.get('access-control-expose-headers')).toContain('RateLimit-Remaining');
  });
});
