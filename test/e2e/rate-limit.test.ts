import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl, redisUrl } from '../helpers/engines.js';
import { startAnotherInstance } from '../helpers/instances.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { aKey } from '../factories/index.js';

function expectLimitHeaders(headers: Headers, limit: number): void {
  expect(headers.get('ratelimit-limit')).toBe(String(limit));
  expect(Number(headers.get('ratelimit-remaining'))).toBeGreaterThanOrEqual(0);
  expect(Number(headers.get('ratelimit-reset'))).toBeGreaterThan(0);
}

describe('rate limiting per API key (in memory)', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { rateLimit: { max: 5, windowSeconds: 30 } });
  });
  afterAll(() => t?.close());

  it('answers 429 with Retry-After and RateLimit headers once a key spends its window, other keys unaffected', async () => {
    const reader = (await aKey(t, { scope: 'read' })).key; // one admin request
    for (let i = 0; i < 4; i++) {
      const ok = await t.api('GET', '/v1/users');
      expect(ok.status).toBe(200);
      expectLimitHeaders(ok.headers, 5);
      expect(ok.headers.get('ratelimit-remaining')).toBe(String(3 - i));
    }
    const limited = await t.api('GET', '/v1/users');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', message: expect.stringContaining('rate limit') });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(30);
    expectLimitHeaders(limited.headers, 5);
    expect((await t.graphql('{ users { total } }')).status).toBe(429);
    expect((await t.api('GET', '/v1/users', { key: reader })).status).toBe(200);
  });
});

describe.skipIf(!redisUrl || !postgresUrl)('rate limiting shared through Redis', () => {
  let first: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    const rateLimit = { max: 6, windowSeconds: 30 };
    first = await startTestServer('postgres', { rateLimit, redisUrl });
    second = await startAnotherInstance(first, { rateLimit });
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('holds one limit across two server instances sharing Redis', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const server = i % 2 === 0 ? first : second;
      statuses.push((await server.api('GET', '/v1/users')).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
