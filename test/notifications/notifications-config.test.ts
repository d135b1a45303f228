import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

const PUBLIC_KEY = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url');
const PRIVATE_KEY = Buffer.alloc(32, 9).toString('base64url');

describe('email and Web Push server settings', () => {
  it('leaves both channel types off when nothing is set', () => {
    expect(loadConfig({}).notifications).toEqual({ smtp: null, vapid: null });
  });

  it('takes the SMTP server and sender together', () => {
    const { notifications } = loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.com:465', SMTP_FROM: 'VitaSync <a@example.com>' });
    expect(notifications.smtp).toEqual({ url: 'smtps://u:p@mail.example.com:465', from: 'VitaSync <a@example.com>' });
    expect(() => loadConfig({ SMTP_URL: 'smtp://mail.example.com' })).toThrow('SMTP_URL and SMTP_FROM (the sender address) go together');
    expect(() => loadConfig({ SMTP_URL: 'https://mail.example.com', SMTP_FROM: 'a@example.com' })).toThrow(
      'SMTP_URL must be an smtp:// or smtps:// URL',
    );
  });

  it('takes the three VAPID settings together and checks the key sizes and the contact', () => {
    const vapid = { VAPID_PUBLIC_KEY: PUBLIC_KEY, VAPID_PRIVATE_KEY: PRIVATE_KEY, VAPID_SUBJECT: 'https://vitasync.example.com/contact' };
    expect(loadConfig(vapid).notifications.vapid).toEqual({
      publicKey: PUBLIC_KEY,
      privateKey: PRIVATE_KEY,
      subject: 'https://vitasync.example.com/contact',
    });
    expect(() => loadConfig({ ...vapid, VAPID_SUBJECT: '' })).toThrow('VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT go together');
    expect(() => loadConfig({ ...vapid, VAPID_SUBJECT: 'ops@example.com' })).toThrow('VAPID_SUBJECT must be a mailto: or https: URL');
    expect(() => loadConfig({ ...vapid, VAPID_PRIVATE_KEY: PUBLIC_KEY })).toThrow('VAPID_PRIVATE_KEY must be 32 bytes in base64url');
  });
});
