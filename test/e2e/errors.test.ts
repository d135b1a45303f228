import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ERROR_BODY = { statusCode: expect.any(Number), error: expect.any(String), message: expect.any(String) };

describe('errors on every path are JSON { statusCode, error, message }', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { maxBodyBytes: 4096, maxPushBodyBytes: 16_384 });
  });
  afterAll(() => t?.close());

  it('answers 404 for unknown routes under /v1 and elsewhere', async () => {
    for (const path of ['/v1/nope', '/v1/users/abc/nothing', '/', '/v2/users', '/v1']) {
      const response = await t.api('GET', path);
      expect(response.status, path).toBe(404);
      expect(response.body, path).toEqual({ ...ERROR_BODY, statusCode: 404, error: 'Not Found' });
      expect(response.headers.get('content-type')).toContain('application/json');
    }
  });

  it('answers 405 with an Allow header for a known path and a wrong method', async () => {
    const response = await t.api('PUT', '/v1/users', { body: {} });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST, GET');
    expect(response.body).toEqual({ ...ERROR_BODY, statusCode: 405 });
  });

  it('answers 400 for malformed JSON and for a body that is not an object', async () => {
    const malformed = await t.api('POST', '/v1/users', { body: '{"externalId": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/not valid JSON/);
    expect((await t.api('POST', '/v1/users', { body: '"text"' })).status).toBe(400);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const response = await t.api('POST', '/v1/users', {
      body: 'externalId=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({ ...ERROR_BODY, statusCode: 415 });
  });

  it('answers 413 for a body over the configured limit and writes nothing', async () => {
    const response = await t.api('POST', '/v1/users', { body: { externalId: 'big', metadata: { blob: 'x'.repeat(5000) } } });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({ ...ERROR_BODY, statusCode: 413 });
    const users = await t.api('GET', '/v1/users');
    expect(users.body.data.map((u: any) => u.externalId)).not.toContain('big');
  });

  it('takes provider pushes up to their own, larger limit (Garmin pushes data), and answers 413 above it', async () => {
    const push = (bytes: number) =>
      t.api('POST', '/v1/providers/garmin/push', { key: null, body: { dailies: [{ blob: 'x'.repeat(bytes) }] } });
    expect((await push(8000)).status).not.toBe(413);
    const over = await push(20_000);
    expect(over.status).toBe(413);
    expect(over.body).toEqual({ ...ERROR_BODY, statusCode: 413 });
  });

  it('names every response with X-Request-Id, echoing a sane one the client sent', async () => {
    const echoed = await t.api('GET', '/v1/users', { headers: { 'x-request-id': 'client-trace-123' } });
    expect(echoed.headers.get('x-request-id')).toBe('client-trace-123');
    const made = await t.api('GET', '/v1/nope', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('never shows a stack trace or an HTML page', async () => {
    const responses = await Promise.all([
      t.api('GET', '/v1/users/%E0%A4%A'),
      t.api('POST', '/v1/api-keys', { body: { name: 'x', scope: 'read', expiresAt: 'yesterday' } }),
      t.api('GET', '/v1/users?limit=1&limit=2'),
      t.api('PATCH', '/v1/users/x', { body: { metadata: 'string' } }),
    ]);
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+|<html/i);
    }
  });
});
