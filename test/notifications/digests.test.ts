import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zoneOffsetAt } from '../../src/lib/time.js';
import { aUser, pushSamples, samples } from '../factories/index.js';
import type { WebhookReceiver } from '../fakes/webhook-receiver.js';
import { eventually } from '../helpers/connect.js';
import { startEngineInstall, type EngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';
import { anNtfyChannel, aRule, ntfyMessages, received } from './rule-helpers.js';

const NEW_YORK = 'America/New_York';
const PARIS = 'Europe/Paris';
/** The user's local date at an instant. */
const localDay = (zone: string, at: number) => new Date(at + zoneOffsetAt(zone, at)).toISOString().slice(0, 10);

/**
 * Digest rules on every job engine: creating one puts a calendar schedule at its local time in the user's zone,
 * which fires at the instants the DST rules give (Paris spring-forward and fall-back days, listed by the engine
 * itself), really fires at its minute and sends the day's figures from the daily summaries to a local receiver;
 * deleting the rule removes the schedule. The engines run side by side: each fire test waits for a real minute
 * boundary (20–80 s), and those waits need not add up.
 */
describe.concurrent.each(jobEngineCases())('digests on the $name', ({ engine, database, available }) => {
  let t: TestServer;
  let stop: () => Promise<void>;
  let install: EngineInstall;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    if (!available) return;
    // The worker sends the notifications: it may reach this machine's receivers, as the API server may.
    install = await startEngineInstall({ engine, database }, { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true' });
    ({ t, stop } = install);
  }, 120_000);
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await stop?.();
  });

  const fireInstants = (scheduleId: string, from: string, to: string) => install.calendarFires(scheduleId, from, to);

  it.skipIf(!available)(
    'schedules a digest at its local time in the user’s zone across DST days, and removes it with the rule',
    async () => {
      const user = await aUser(t, { timezone: PARIS });
      const channel = await anNtfyChannel(t, user.id);
      receivers.push(channel.receiver);
      const rule = await aRule(t, user.id, { channelIds: [channel.id], condition: { kind: 'digest', time: '07:30' } });
      expect(rule).toMatchObject({ category: 'report', condition: { kind: 'digest', period: 'daily', time: '07:30', dayOfWeek: null } });
      const scheduleId = `notification-digest:${rule.id}`;
      expect(await t.server.jobs.describeSchedule(scheduleId)).toMatchObject({ calendar: { hour: 7, minute: 30 }, timezone: PARIS });
      // 07:30 in Paris: 06:30Z in winter, 05:30Z from the spring-forward Sunday (28 March 2027), 06:30Z again after 31 October.
      expect(await fireInstants(scheduleId, '2027-03-27', '2027-03-30')).toEqual([
        '2027-03-27T06:30:00.000Z',
        '2027-03-28T05:30:00.000Z',
        '2027-03-29T05:30:00.000Z',
      ]);
      expect(await fireInstants(scheduleId, '2027-10-30', '2027-11-01')).toEqual(['2027-10-30T05:30:00.000Z', '2027-10-31T06:30:00.000Z']);
      // A weekly digest on Mondays at 18:00.
      const weekly = await t.api('PUT', `/v1/users/${user.id}/notifications/rules/${rule.id}`, {
        body: { name: 'weekly', channelIds: [channel.id], condition: { kind: 'digest', period: 'weekly', time: '18:00' } },
      });
      expect(weekly.body.condition).toMatchObject({ period: 'weekly', dayOfWeek: 1 });
      expect(await fireInstants(scheduleId, '2027-03-22', '2027-04-05')).toEqual(['2027-03-22T17:00:00.000Z', '2027-03-29T16:00:00.000Z']);
      // The user moves to New York: the digest follows.
      expect((await t.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: NEW_YORK } })).status).toBe(200);
      expect(await t.server.jobs.describeSchedule(scheduleId)).toMatchObject({
        calendar: { hour: 18, minute: 0, daysOfWeek: [1] },
        timezone: NEW_YORK,
      });
      expect((await t.api('DELETE', `/v1/users/${user.id}/notifications/rules/${rule.id}`)).status).toBe(204);
      expect(await t.server.jobs.describeSchedule(scheduleId)).toBeNull();
    },
  );

  it.skipIf(!available)(
    'fires a daily digest at its local minute and sends yesterday’s figures from the daily summaries',
    async () => {
      const user = await aUser(t, { timezone: NEW_YORK });
      const channel = await anNtfyChannel(t, user.id);
      receivers.push(channel.receiver);
      // The first whole minute at least 20 s away, as New York's wall clock reads it.
      const slot = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
      const wall = new Date(slot + zoneOffsetAt(NEW_YORK, slot));
      const yesterday = localDay(NEW_YORK, slot - 86_400_000);
      // Yesterday noon in New York: 4 × 1,500 steps, every hour.
      const noon = Date.parse(`${yesterday}T12:00:00.000Z`) - zoneOffsetAt(NEW_YORK, Date.parse(`${yesterday}T12:00:00.000Z`));
      await pushSamples(
        t,
        user.id,
        samples({ metricType: 'steps', from: new Date(noon).toISOString(), every: '1h', for: '4h', value: 1500 }),
      );
      const time = `${String(wall.getUTCHours()).padStart(2, '0')}:${String(wall.getUTCMinutes()).padStart(2, '0')}`;
      const rule = await aRule(t, user.id, { channelIds: [channel.id], condition: { kind: 'digest', time } });
      expect((await t.server.jobs.describeSchedule(`notification-digest:${rule.id}`))?.nextRunAt?.getTime()).toBe(slot);
      await received(channel.receiver, 1, slot - Date.now() + 60_000);
      expect(Date.now()).toBeGreaterThanOrEqual(slot);
      expect(ntfyMessages(channel.receiver)[0]).toMatchObject({
        title: `Your day, ${yesterday}`,
        message: expect.stringContaining('Steps: 6,000 count'),
        tags: ['report'],
      });
      // The log is written once the channel has answered: a moment after the message arrives.
      const logs = await eventually(
        async () => (await t.api('GET', `/v1/users/${user.id}/notifications/logs`)).body.data,
        (data) => data.length > 0,
        10_000,
      );
      expect(logs).toEqual([expect.objectContaining({ kind: 'digest', ruleId: rule.id, eventId: null, status: 'sent' })]);
    },
    150_000,
  );
});
