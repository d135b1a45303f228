import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * Notification channels: each type is registered against a local receiver speaking its platform's format and sent
 * a test message (Standard Webhooks signature, Slack Block Kit, Discord embeds, Teams Adaptive Card, ntfy's JSON
 * publish with its bearer token). Secret settings are write-only; every test attempt is in the user's log.
 */
describe('notification channels', () => {
  let t: TestServer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.close();
  });

  const aReceiver = async () => {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    return receiver;
  };
  const channelsOf = (userId: string) => `/v1/users/${userId}/notifications/channels`;
  const aChannel = async (userId: string, body: Record<string, unknown>) => {
    const response = await t.api('POST', channelsOf(userId), { body: { name: `${body.type} channel`, ...body } });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body as { id: string; settings: Record<string, string>; writeOnlySettings: string[] };
  };
  const test = (userId: string, channelId: string) => t.api('POST', `${channelsOf(userId)}/${channelId}/test`);
  const lastJson = (receiver: WebhookReceiver) => JSON.parse(receiver.requests.at(-1)!.body);

  it('sends a signed Standard Webhooks message on a webhook channel', async () => {
    const user = await aUser(t);
    const receiver = await aReceiver();
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const channel = await aChannel(user.id, { type: 'webhook', settings: { url: `${receiver.url}/notify`, secret } });
    const outcome = await test(user.id, channel.id);
    expect(outcome.body).toMatchObject({ status: 'sent', statusCode: 200, error: null });
    expect(outcome.body.latencyMs).toBeGreaterThanOrEqual(0);
    const [message] = receiver.messages();
    const verified = new Webhook(secret).verify(message!.body, {
      'webhook-id': message!.id,
      'webhook-timestamp': message!.timestamp,
      'webhook-signature': message!.signature,
    }) as { type: string; data: { title: string } };
    expect(verified).toMatchObject({ type: 'notification.system', data: { title: 'VitaSync test notification' } });
    expect(channel.settings).toEqual({ url: `${receiver.url}/notify` });
    expect(channel.writeOnlySettings).toEqual(['secret']);
  });

  it('sends Block Kit to Slack, embeds to Discord and an Adaptive Card to Teams', async () => {
    const user = await aUser(t);
    const slack = await aReceiver();
    const discord = await aReceiver();
    const teams = await aReceiver();
    for (const [type, receiver] of [
      ['slack', slack],
      ['discord', discord],
      ['teams', teams],
    ] as const) {
      const channel = await aChannel(user.id, { type, settings: { webhookUrl: `${receiver.url}/${type}` } });
      expect(channel.settings).toEqual({});
      expect((await test(user.id, channel.id)).body.status).toBe('sent');
    }
    const blocks = lastJson(slack).blocks;
    expect(blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: 'VitaSync test notification' } });
    expect(blocks[1]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(lastJson(discord).embeds[0]).toMatchObject({ title: 'VitaSync test notification', color: expect.any(Number) });
    const attachment = lastJson(teams).attachments[0];
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(attachment.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(attachment.content.body[0]).toMatchObject({ type: 'TextBlock', text: 'VitaSync test notification' });
    // The incoming-webhook URLs are secrets: the list never shows them.
    const listed = await t.api('GET', channelsOf(user.id));
    expect(listed.body.data).toHaveLength(3);
    for (const receiver of [slack, discord, teams]) expect(JSON.stringify(listed.body)).not.toContain(receiver.url);
  });

  it('publishes to an ntfy topic with its access token', async () => {
    const user = await aUser(t);
    const ntfy = await aReceiver();
    const channel = await aChannel(user.id, {
      type: 'ntfy',
      settings: { serverUrl: ntfy.url, topic: 'vitasync-alerts', token: 'tk_secret' },
    });
    expect((await test(user.id, channel.id)).body.status).toBe('sent');
    expect(ntfy.requests[0]!.headers.authorization).toBe('Bearer tk_secret');
    expect(lastJson(ntfy)).toMatchObject({ topic: 'vitasync-alerts', title: 'VitaSync test notification', priority: 3 });
    expect(channel.settings).toEqual({ serverUrl: ntfy.url, topic: 'vitasync-alerts' });
    expect(JSON.stringify(channel)).not.toContain('tk_secret');
  });

  it('keeps secret settings left out of an update, and reports a failing channel in the outcome and the log', async () => {
    const user = await aUser(t);
    const receiver = await aReceiver();
    const channel = await aChannel(user.id, { type: 'discord', settings: { webhookUrl: `${receiver.url}/d` } });
    const renamed = await t.api('PUT', `${channelsOf(user.id)}/${channel.id}`, { body: { name: 'renamed', settings: {} } });
    expect(renamed.body).toMatchObject({ name: 'renamed', writeOnlySettings: ['webhookUrl'] });
    expect((await test(user.id, channel.id)).body.status).toBe('sent');
    receiver.fallback = { status: 500 };
    const failed = await test(user.id, channel.id);
    expect(failed.body).toMatchObject({ status: 'failed', statusCode: 500, error: 'the channel answered HTTP 500' });
    const logs = await t.api('GET', `/v1/users/${user.id}/notifications/logs`);
    expect(logs.body.data.map((row: { status: string; kind: string }) => [row.kind, row.status])).toEqual([
      ['test', 'sent'],
      ['test', 'failed'],
    ]);
    const onlyFailed = await t.api('GET', `/v1/users/${user.id}/notifications/logs?status=failed`);
    expect(onlyFailed.body.data).toHaveLength(1);
    expect(onlyFailed.body.data[0]).toMatchObject({ channelId: channel.id, channelType: 'discord', statusCode: 500 });
    expect((await t.api('DELETE', `${channelsOf(user.id)}/${channel.id}`)).status).toBe(204);
    expect((await t.api('GET', `/v1/users/${user.id}/notifications/logs`)).body.data).toHaveLength(2);
  });

  it('refuses invalid settings with a 422 naming the setting', async () => {
    const user = await aUser(t);
    const create = (body: Record<string, unknown>) => t.api('POST', channelsOf(user.id), { body: { name: 'x', ...body } });
    expect((await create({ type: 'slack', settings: {} })).body.message).toMatch(/^settings\.webhookUrl is required/);
    expect((await create({ type: 'slack', settings: { webhookUrl: 'nope' } })).body.message).toMatch(
      /^settings\.webhookUrl must be an http\(s\) URL/,
    );
    expect((await create({ type: 'ntfy', settings: { topic: 'a b' } })).body.message).toMatch(/^settings\.topic must be/);
    expect((await create({ type: 'ntfy', settings: { topic: 'ok', colour: 'red' } })).body.message).toMatch(
      /^settings\.colour is not a setting/,
    );
    expect((await create({ type: 'webhook', settings: { url: 'http://127.0.0.1:9/', secret: 'short' } })).body.message).toMatch(
      /^settings\.secret must be whsec_/,
    );
    const ssrf = await create({ type: 'discord', settings: { webhookUrl: 'http://169.254.169.254/latest' } });
    expect(ssrf.status).toBe(422);
    expect(ssrf.body.message).toMatch(/^settings\.webhookUrl: .* is refused/);
    expect((await create({ type: 'pager', settings: {} })).status).toBeGreaterThanOrEqual(400);
  });
});
