import { createECDH } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { startPushService, type PushService } from '../fakes/push-service.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A VAPID key pair made with node:crypto, base64url as VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY take it. */
function vapidKeys(): { publicKey: string; privateKey: string } {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  // getPrivateKey drops leading zero bytes (one key in 256): pad to the 32 bytes the variable takes.
  const privateKey = ecdh.getPrivateKey();
  return {
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: Buffer.concat([Buffer.alloc(32 - privateKey.length), privateKey]).toString('base64url'),
  };
}

/**
 * Web Push channels: the channel holds a browser's PushSubscription; messages go to a local push service that checks
 * the VAPID JWT (RFC 8292) with jose and decrypts the aes128gcm payload (RFC 8291) with http_ece, using the
 * subscription's private key generated here — independent of the code under test.
 */
describe('Web Push notification channels', () => {
  let t: TestServer;
  const vapid = vapidKeys();
  const services: PushService[] = [];

  beforeAll(async () => {
    t = await startTestServer('pglite', {
      env: { VAPID_PUBLIC_KEY: vapid.publicKey, VAPID_PRIVATE_KEY: vapid.privateKey, VAPID_SUBJECT: 'mailto:ops@vitasync.test' },
    });
  });
  afterAll(async () => {
    await t?.close();
    for (const service of services) await service.close();
  });

  const aPushService = async () => {
    const service = await startPushService();
    services.push(service);
    return service;
  };
  const channelsOf = (userId: string) => `/v1/users/${userId}/notifications/channels`;
  const create = (userId: string, settings: unknown) =>
    t.api('POST', channelsOf(userId), { body: { type: 'webpush', name: 'phone', settings } });

  it('serves the VAPID public key a frontend subscribes with', async () => {
    const types = await t.api('GET', '/v1/notification-channel-types');
    expect(types.status).toBe(200);
    const webpush = types.body.data.find((info: { type: string }) => info.type === 'webpush');
    expect(webpush).toMatchObject({ available: true, applicationServerKey: vapid.publicKey });
    expect(webpush.settings.map((setting: { name: string; writeOnly: boolean }) => [setting.name, setting.writeOnly])).toEqual([
      ['endpoint', true],
      ['keys.p256dh', false],
      ['keys.auth', true],
      ['expirationTime', false],
    ]);
  });

  it('delivers a test message with a valid VAPID JWT and a payload the subscription decrypts', async () => {
    const user = await aUser(t);
    const push = await aPushService();
    // The frontend posts subscription.toJSON() as it is.
    const created = await create(user.id, push.subscription);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.settings).toEqual({ keys: { p256dh: push.subscription.keys.p256dh } });
    expect(created.body.writeOnlySettings).toEqual(['endpoint', 'keys.auth']);

    const outcome = await t.api('POST', `${channelsOf(user.id)}/${created.body.id}/test`);
    expect(push.refused).toEqual([]);
    expect(outcome.body).toMatchObject({ status: 'sent', statusCode: 201, error: null });
    const [message] = push.messages;
    // RFC 8292 section 3.2: k is the application server's key, the one served as applicationServerKey.
    expect(message!.vapidKey).toBe(vapid.publicKey);
    // Section 2: aud is the origin of the push resource (jose checked it), sub the contact we configured.
    expect(message!.claims).toMatchObject({ aud: push.origin, sub: 'mailto:ops@vitasync.test' });
    // RFC 8030 sections 5.2 and 5.3: a TTL, and an urgency for an info message.
    expect(message!.headers).toMatchObject({ ttl: '86400', urgency: 'normal' });
    expect(JSON.parse(message!.plaintext)).toEqual({
      title: 'VitaSync test notification',
      body: 'This is a test of the webpush channel "phone".',
      severity: 'info',
      category: 'system',
    });

    const listed = await t.api('GET', channelsOf(user.id));
    expect(JSON.stringify(listed.body)).not.toContain(push.subscription.endpoint);
    expect(JSON.stringify(listed.body)).not.toContain(push.subscription.keys.auth);
  });

  it('disables the channel when the push service says the subscription is gone (410), and logs why', async () => {
    const user = await aUser(t);
    const push = await aPushService();
    const created = await create(user.id, push.subscription);
    push.answers.push(410);
    const outcome = await t.api('POST', `${channelsOf(user.id)}/${created.body.id}/test`);
    expect(outcome.body).toMatchObject({ status: 'failed', statusCode: 410 });
    expect(outcome.body.error).toMatch(/^the push service answered HTTP 410.*the subscription is gone .*the channel is now disabled$/);
    const listed = await t.api('GET', channelsOf(user.id));
    expect(listed.body.data).toEqual([expect.objectContaining({ id: created.body.id, enabled: false })]);
    const logs = await t.api('GET', `/v1/users/${user.id}/notifications/logs?status=failed`);
    expect(logs.body.data).toEqual([
      expect.objectContaining({ channelId: created.body.id, channelType: 'webpush', statusCode: 410, error: outcome.body.error }),
    ]);
  });

  it('keeps the write-only endpoint and auth secret when an update leaves them out', async () => {
    const user = await aUser(t);
    const push = await aPushService();
    const created = await create(user.id, push.subscription);
    const renamed = await t.api('PUT', `${channelsOf(user.id)}/${created.body.id}`, {
      body: { name: 'tablet', settings: { keys: { p256dh: push.subscription.keys.p256dh } } },
    });
    expect(renamed.body).toMatchObject({ name: 'tablet', writeOnlySettings: ['endpoint', 'keys.auth'] });
    expect((await t.api('POST', `${channelsOf(user.id)}/${created.body.id}/test`)).body.status).toBe('sent');
    expect(push.messages).toHaveLength(1);
  });

  it('refuses a malformed subscription with a 422 naming the field', async () => {
    const user = await aUser(t);
    const push = await aPushService();
    const { endpoint, keys } = push.subscription;
    const refusal = async (settings: unknown) => {
      const response = await create(user.id, settings);
      expect(response.status, JSON.stringify(settings)).toBe(422);
      return response.body.message as string;
    };
    expect(await refusal({ endpoint, keys: { auth: keys.auth } })).toMatch(/^settings\.keys\.p256dh is required for webpush channels/);
    expect(await refusal({ endpoint, keys: { ...keys, p256dh: keys.auth } })).toMatch(
      /^settings\.keys\.p256dh must be an uncompressed P-256 public key/,
    );
    expect(await refusal({ endpoint, keys: { ...keys, auth: 'short' } })).toMatch(/^settings\.keys\.auth must be 16 bytes in base64url/);
    expect(await refusal({ endpoint, keys: 'p256dh' })).toMatch(/^settings\.keys must be an object with p256dh, auth/);
    expect(await refusal({ endpoint, keys: { ...keys, extra: 'x' } })).toMatch(/^settings\.keys\.extra is not a setting of webpush/);
    expect(await refusal({ keys })).toMatch(/^settings\.endpoint is required/);
    expect(await refusal({ endpoint, keys, expirationTime: 'soon' })).toMatch(/^settings\.expirationTime must be null or a time/);
    // The endpoint is a URL the server connects to: the webhook address policy applies (SSRF).
    expect(await refusal({ endpoint: 'http://169.254.169.254/latest/meta-data', keys })).toMatch(/^settings\.endpoint: .* is refused/);
    expect(await refusal({ endpoint: 'http://[::ffff:10.0.0.1]/push', keys })).toMatch(/^settings\.endpoint: .* is refused/);
  });
});

describe('Web Push channels on a server without VAPID keys', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses to create one with a 422, and serves no application server key', async () => {
    const user = await aUser(t);
    const push = await startPushService();
    const response = await t.api('POST', `/v1/users/${user.id}/notifications/channels`, {
      body: { type: 'webpush', name: 'phone', settings: push.subscription },
    });
    await push.close();
    expect(response.status).toBe(422);
    expect(response.body.message).toMatch(
      /^type webpush is not available: Web Push \(VAPID_PUBLIC_KEY, .*\) is not configured in this install$/,
    );
    const types = await t.api('GET', '/v1/notification-channel-types');
    expect(types.body.data.find((info: { type: string }) => info.type === 'webpush')).toMatchObject({
      available: false,
      applicationServerKey: null,
    });
  });
});
