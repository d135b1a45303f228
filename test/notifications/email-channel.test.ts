import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aUser } from '../factories/index.js';
import { startSmtpReceiver, type SmtpReceiver } from '../fakes/smtp-receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const FROM = 'VitaSync <alerts@vitasync.test>';

/**
 * Email channels: the server sends through the install's SMTP server (SMTP_URL, here a local smtp-server requiring
 * the URL's login); the channel holds only the recipient. The received message is parsed with mailparser.
 */
describe('email notification channels', () => {
  let t: TestServer;
  let smtp: SmtpReceiver;

  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestServer('pglite', { env: { SMTP_URL: smtp.url, SMTP_FROM: FROM } });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const channelsOf = (userId: string) => `/v1/users/${userId}/notifications/channels`;
  const create = (userId: string, body: Record<string, unknown>) =>
    t.api('POST', channelsOf(userId), { body: { type: 'email', name: 'inbox', ...body } });

  it('sends a test message with text and HTML parts to the recipient, from SMTP_FROM', async () => {
    const user = await aUser(t);
    const to = `${user.id.toLowerCase()}@example.com`;
    const created = await create(user.id, { name: 'Mail <b>me</b>', settings: { to } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ type: 'email', settings: { to }, writeOnlySettings: [] });

    const outcome = await t.api('POST', `${channelsOf(user.id)}/${created.body.id}/test`);
    expect(outcome.body).toMatchObject({ status: 'sent', statusCode: 250, error: null });
    const mail = smtp.mails.find((received) => received.envelope.to.includes(to));
    expect(mail, 'the SMTP server received the message').toBeDefined();
    const { parsed, envelope } = mail!;
    expect(envelope).toEqual({ from: 'alerts@vitasync.test', to: [to] });
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.map((address) => address.address) : []).toEqual([to]);
    expect(parsed.from?.value[0]).toMatchObject({ name: 'VitaSync', address: 'alerts@vitasync.test' });
    expect(parsed.subject).toBe('VitaSync test notification');
    expect(parsed.text).toContain('This is a test of the email channel "Mail <b>me</b>".');
    expect(parsed.text).toContain('info · system · VitaSync');
    // The HTML part shows the same words, the channel's name escaped rather than taken as markup.
    expect(parsed.html).toContain('<h2');
    expect(parsed.html).toContain('VitaSync test notification</h2>');
    expect(parsed.html).toContain('channel &quot;Mail &lt;b&gt;me&lt;/b&gt;&quot;.');
  });

  it('reports a recipient the SMTP server refuses, with its reply code, in the outcome and the log', async () => {
    const user = await aUser(t);
    const to = `gone-${user.id.toLowerCase()}@example.com`;
    smtp.refuse.add(to);
    const created = await create(user.id, { settings: { to } });
    const outcome = await t.api('POST', `${channelsOf(user.id)}/${created.body.id}/test`);
    expect(outcome.body).toMatchObject({ status: 'failed', statusCode: 550 });
    expect(outcome.body.error).toMatch(/mailbox .* unavailable/);
    const logs = await t.api('GET', `/v1/users/${user.id}/notifications/logs`);
    expect(logs.body.data).toEqual([expect.objectContaining({ channelType: 'email', status: 'failed', statusCode: 550 })]);
  });

  it('refuses anything but one plain address in settings.to with a 422', async () => {
    const user = await aUser(t);
    for (const to of [
      '',
      'not-an-address',
      'a@example.com, b@example.com',
      'a@example.com\r\nBcc: b@example.com',
      'Alice <a@example.com>',
    ]) {
      const response = await create(user.id, { settings: { to } });
      expect(response.status, to).toBe(422);
      expect(response.body.message).toMatch(/^settings\.to must be one email address/);
    }
    const missing = await create(user.id, { settings: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toMatch(/^settings\.to is required for email channels/);
    const stray = await create(user.id, { settings: { to: 'a@example.com', smtpHost: '10.0.0.1' } });
    expect(stray.body.message).toMatch(/^settings\.smtpHost is not a setting of email channels/);
  });
});

describe('email channels on a server without SMTP', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses to create one with a 422 that names the missing settings', async () => {
    const user = await aUser(t);
    const response = await t.api('POST', `/v1/users/${user.id}/notifications/channels`, {
      body: { type: 'email', name: 'inbox', settings: { to: 'a@example.com' } },
    });
    expect(response.status).toBe(422);
    expect(response.body.message).toBe('type email is not available: email (SMTP_URL, SMTP_FROM) is not configured in this install');
    const types = await t.api('GET', '/v1/notification-channel-types');
    expect(types.body.data.find((info: { type: string }) => info.type === 'email')).toMatchObject({ available: false });
  });
});
