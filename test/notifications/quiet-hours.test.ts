import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietHoursEnd } from '../../src/notifications/quiet-hours.js';
import { aUser, pushSamples, samples } from '../factories/index.js';
import type { WebhookReceiver } from '../fakes/webhook-receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { anNtfyChannel, aRule, received } from './rule-helpers.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('quiet hours in the user’s zone (src/notifications/quiet-hours.ts)', () => {
  const night = { start: '22:00', end: '07:00' };

  it('holds what comes in a window that crosses midnight until its local end', () => {
    // 23:30 in Paris (CEST) → 07:00 CEST the next morning.
    expect(iso(quietHoursEnd(night, 'Europe/Paris', at('2025-06-10T21:30:00Z')))).toBe('2025-06-11T05:00:00.000Z');
    // 06:59 → a minute later; 07:00 itself is no longer quiet; noon is not either.
    expect(iso(quietHoursEnd(night, 'Europe/Paris', at('2025-06-11T04:59:00Z')))).toBe('2025-06-11T05:00:00.000Z');
    expect(quietHoursEnd(night, 'Europe/Paris', at('2025-06-11T05:00:00Z'))).toBeNull();
    expect(quietHoursEnd(night, 'Europe/Paris', at('2025-06-11T10:00:00Z'))).toBeNull();
  });

  it('ends at the local time on DST nights, whose hours are 23 or 25', () => {
    // Spring forward in Paris (28 March 2027): 01:30 CET is quiet, 07:00 is already CEST (05:00Z).
    expect(iso(quietHoursEnd(night, 'Europe/Paris', at('2027-03-28T00:30:00Z')))).toBe('2027-03-28T05:00:00.000Z');
    // Fall back in New York (7 November 2027): 23:00 EDT on the 6th → 07:00 EST (12:00Z).
    expect(iso(quietHoursEnd(night, 'America/New_York', at('2027-11-07T03:00:00Z')))).toBe('2027-11-07T12:00:00.000Z');
  });

  it('knows windows within a day, and none when start equals end or none is set', () => {
    expect(iso(quietHoursEnd({ start: '12:00', end: '14:00' }, 'UTC', at('2025-06-10T13:15:00Z')))).toBe('2025-06-10T14:00:00.000Z');
    expect(quietHoursEnd({ start: '12:00', end: '14:00' }, 'UTC', at('2025-06-10T14:15:00Z'))).toBeNull();
    expect(quietHoursEnd({ start: '09:00', end: '09:00' }, 'UTC', at('2025-06-10T09:00:00Z'))).toBeNull();
    expect(quietHoursEnd(null, 'UTC', at('2025-06-10T09:00:00Z'))).toBeNull();
  });
});

/** A notification fired in quiet hours waits, on a durable timer, for their end; then it is sent. */
describe('a notification held through quiet hours (local runner on PGlite)', () => {
  let t: TestServer;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  it('is held until the quiet hours end, then sent', async () => {
    const user = await aUser(t);
    const channel = await anNtfyChannel(t, user.id);
    receiver = channel.receiver;
    // Quiet from two hours ago until the first whole minute at least 15 s away (the user's zone is UTC).
    const end = Math.ceil((Date.now() + 15_000) / 60_000) * 60_000;
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);
    await aRule(t, user.id, {
      channelIds: [channel.id],
      condition: { kind: 'personal_record' },
      quietHours: { start: hhmm(end - 2 * 3_600_000), end: hhmm(end) },
    });
    await pushSamples(t, user.id, samples({ metricType: 'steps', every: '1h', for: '2h', value: 1000 }));
    const db = t.server.database.prisma;
    for (let i = 0; i < 100 && (await db.notificationTrigger.count({ where: { userId: user.id, status: 'held' } })) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const held = await db.notificationTrigger.findFirstOrThrow({ where: { userId: user.id } });
    expect(held).toMatchObject({ status: 'held', sendAt: new Date(end) });
    expect(receiver.requests).toHaveLength(0);
    await received(receiver, 1, end - Date.now() + 20_000);
    expect(Date.now()).toBeGreaterThanOrEqual(end);
    expect((await db.notificationTrigger.findUniqueOrThrow({ where: { id: held.id } })).status).toBe('sent');
  }, 120_000);
});
