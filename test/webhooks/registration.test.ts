import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Registering webhook endpoints: the secret shown once, validation naming the field, and the SSRF refusals —
 * every spelling of a loopback, private, link-local (cloud metadata) or multicast address is a 422. This server
 * exempts no network (as in production), so nothing here is ever called.
 */
describe('webhook endpoint registration', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await startTestServer('pglite', {
      env: { WEBHOOK_ALLOWED_NETWORKS: '', WEBHOOK_DENY_PUBLIC: 'false', WEBHOOK_ALLOW_HTTP: 'false' },
    });
  });
  afterAll(() => t?.close());

  const register = (url: string, extra: Record<string, unknown> = {}) => t.api('POST', '/v1/webhooks', { body: { url, ...extra } });

  it.each([
    ['loopback', 'https://127.0.0.1/hook'],
    ['loopback, decimal', 'https://2130706433/hook'],
    ['loopback, octal', 'https://0177.0.0.1/hook'],
    ['loopback, hex', 'https://0x7f.0.0.1/hook'],
    ['loopback, short', 'https://127.1/hook'],
    ['loopback, IPv6', 'https://[::1]/hook'],
    ['loopback, IPv4-mapped IPv6', 'https://[::ffff:127.0.0.1]/hook'],
    ['loopback, by name', 'https://localhost:8443/hook'],
    ['unspecified', 'https://0.0.0.0/hook'],
    ['private 10/8', 'https://10.1.2.3/hook'],
    ['private 172.16/12', 'https://172.20.0.1/hook'],
    ['private 192.168/16', 'https://192.168.1.1/hook'],
    ['private, IPv4-mapped IPv6', 'https://[::ffff:10.0.0.1]/hook'],
    ['cloud metadata (link-local)', 'https://169.254.169.254/latest/meta-data'],
    ['cloud metadata, decimal', 'https://2852039166/latest/meta-data'],
    ['link-local IPv6', 'https://[fe80::1]/hook'],
    ['unique local IPv6 (AWS metadata over IPv6)', 'https://[fd00:ec2::254]/hook'],
    ['multicast', 'https://224.0.0.1/hook'],
    ['multicast IPv6', 'https://[ff02::1]/hook'],
    ['carrier-grade NAT', 'https://100.64.0.1/hook'],
  ])('refuses %s (%s) with a 422 naming url', async (_, url) => {
    const response = await register(url);
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(/^url .* is refused: .* address/);
  });

  it('refuses http:// where only https:// is allowed, URLs with credentials, and non-URLs', async () => {
    expect((await register('http://93.184.215.14/hook')).body.message).toMatch(/^url must be https:\/\//);
    expect((await register('https://user:pw@93.184.215.14/hook')).status).toBe(422);
    expect((await register('not a url')).body).toMatchObject({ statusCode: 422, message: 'body field url must be an absolute URL' });
  });

  it('refuses an event type outside the catalogue and a rate limit out of range, naming the field', async () => {
    const unknown = await register('https://93.184.215.14/hook', { eventTypes: ['user.created', 'user.exploded'] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toBe('body field eventTypes[1] must be a type of the catalogue (GET /v1/event-types)');
    const limit = await register('https://93.184.215.14/hook', { rateLimitPerSecond: 0 });
    expect(limit.body.message).toBe('body field rateLimitPerSecond must be an integer from 1 to 10000');
  });

  it('returns the whsec_ secret once: not by GET, the list, or an update', async () => {
    // Subscribed to nothing that this test emits, and deleted at the end: the address is never called.
    const created = await register('https://93.184.215.14/hook', { eventTypes: ['webhook.disabled'], description: 'theirs' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(created.body.secret.slice(6), 'base64')).toHaveLength(32);
    const id = created.body.id;
    const read = await t.api('GET', `/v1/webhooks/${id}`);
    expect(read.body).toMatchObject({ id, url: 'https://93.184.215.14/hook', eventTypes: ['webhook.disabled'], enabled: true });
    expect(JSON.stringify(read.body)).not.toContain(created.body.secret.slice(6, 20));
    expect(read.body.secret).toBeUndefined();
    const list = await t.api('GET', '/v1/webhooks');
    expect(list.body.data.map((row: { id: string }) => row.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    const updated = await t.api('PATCH', `/v1/webhooks/${id}`, { body: { description: 'ours', rateLimitPerSecond: 5 } });
    expect(updated.body).toMatchObject({ description: 'ours', rateLimitPerSecond: 5 });
    expect(JSON.stringify(updated.body)).not.toContain('whsec_');
    expect((await t.api('PATCH', `/v1/webhooks/${id}`, { body: { url: 'https://10.0.0.1/' } })).status).toBe(422);
    const stored = await t.server.database.prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(stored.secretCiphertext).not.toContain(created.body.secret.slice(6));
    expect((await t.api('DELETE', `/v1/webhooks/${id}`)).status).toBe(204);
    expect((await t.api('GET', `/v1/webhooks/${id}`)).status).toBe(404);
  });

  it('refuses a rotation grace period over a week', async () => {
    const created = await register('https://93.184.215.14/hook', { eventTypes: ['webhook.disabled'] });
    const rotated = await t.api('POST', `/v1/webhooks/${created.body.id}/rotate-secret`, { body: { gracePeriodSeconds: 8 * 86400 } });
    expect(rotated.status).toBe(422);
    expect(rotated.body.message).toBe('body field gracePeriodSeconds must be an integer from 0 to 604800');
    await t.api('DELETE', `/v1/webhooks/${created.body.id}`);
  });
});
