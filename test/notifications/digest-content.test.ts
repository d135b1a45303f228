import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { ServiceContext } from '../../src/context.js';
import { createChannel } from '../../src/notifications/channels.js';
import { createNotificationActivities } from '../../src/notifications/rule-activities.js';
import { createRule } from '../../src/notifications/rules.js';
import { aUser, pushSamples, samples } from '../factories/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fakes/webhook-receiver.js';
import { openTestPlatform } from '../helpers/platform.js';
import { ntfyMessages } from './rule-helpers.js';

/**
 * What a digest says, with the clock of the instant its schedule fires: the user's local day that ended (a 23-hour
 * DST day in Paris counts its 23 hours), or the seven days to it, in figures from the daily summaries; a slot that
 * fires twice (New York's repeated 01:30) sends one digest per period.
 */
describe('digest content on DST days (notificationDigest activities, PGlite)', () => {
  let platform: Awaited<ReturnType<typeof openTestPlatform>>;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    // The channels may reach receivers on this machine and nothing else.
    platform = await openTestPlatform({
      webhooks: loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true' }).webhooks,
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await platform?.close();
  });

  const activitiesAt = (ctx: ServiceContext, instant: string) =>
    createNotificationActivities({ ...ctx, clock: { now: () => new Date(instant) } });

  async function aDigestRule(ctx: ServiceContext, timezone: string, condition: Record<string, unknown>) {
    const user = await aUser(ctx, { timezone });
    const channel = await createChannel(ctx, user.id, { type: 'ntfy', name: 'phone', settings: { serverUrl: receiver.url, topic: 't' } });
    const rule = await createRule(ctx, user.id, {
      name: 'digest',
      channelIds: [channel.id],
      condition: { kind: 'digest', ...condition } as never,
    });
    return { user, rule };
  }

  it('sums the 23 hours of the spring-forward day in Paris, sent at 07:30 the day after', async () => {
    const { ctx } = platform;
    const { user, rule } = await aDigestRule(ctx, 'Europe/Paris', { time: '07:30' });
    // 30 March 2025 in Paris runs from 23:00Z on the 29th to 22:00Z on the 30th: 23 hourly samples of 100 steps.
    await pushSamples(
      ctx,
      user.id,
      samples({ metricType: 'steps', from: '2025-03-29T23:00:00.000Z', every: '1h', for: '23h', value: 100 }),
    );
    // 00:00 CEST on the 31st belongs to the next day.
    await pushSamples(
      ctx,
      user.id,
      samples({ metricType: 'steps', from: '2025-03-30T22:00:00.000Z', every: '1h', for: '1h', value: 5000 }),
    );
    const activities = activitiesAt(ctx, '2025-03-31T05:30:00.000Z');
    const { triggerId } = await activities.prepareDigest({ ruleId: rule.id });
    expect(await activities.evaluateTrigger({ triggerId: triggerId! })).toEqual({ status: 'pending', waitMs: null });
    const before = receiver.requests.length;
    expect(await activities.dispatchTrigger({ triggerId: triggerId! })).toEqual({ status: 'sent', waitMs: null });
    expect(ntfyMessages(receiver).slice(before)).toEqual([
      expect.objectContaining({ title: 'Your day, 2025-03-30', message: 'Steps: 2,300 count', tags: ['report'] }),
    ]);
  });

  it('summarises the week to yesterday: totals and daily means, means with the lowest and highest day', async () => {
    const { ctx } = platform;
    const { user, rule } = await aDigestRule(ctx, 'Europe/Paris', { period: 'weekly', time: '18:00', dayOfWeek: 1 });
    await pushSamples(ctx, user.id, [
      { metricType: 'resting_heart_rate', value: 60, recordedAt: '2025-03-24T06:00:00.000Z' },
      { metricType: 'resting_heart_rate', value: 70, recordedAt: '2025-03-30T06:00:00.000Z' },
      { metricType: 'resting_heart_rate', value: 99, recordedAt: '2025-03-31T06:00:00.000Z' },
      { metricType: 'steps', value: 4000, recordedAt: '2025-03-25T10:00:00.000Z' },
      { metricType: 'steps', value: 2000, recordedAt: '2025-03-26T10:00:00.000Z' },
    ]);
    const activities = activitiesAt(ctx, '2025-03-31T16:00:00.000Z');
    const { triggerId } = await activities.prepareDigest({ ruleId: rule.id });
    const before = receiver.requests.length;
    await activities.dispatchTrigger({ triggerId: triggerId! });
    expect(ntfyMessages(receiver).slice(before)).toEqual([
      expect.objectContaining({
        title: 'Your week, 2025-03-24 to 2025-03-30',
        message: 'Resting heart rate: mean 65 bpm (60–70, 2 days with data)\nSteps: 6,000 count (3,000 a day, 2 days with data)',
      }),
    ]);
  });

  it('sends one digest when New York’s repeated 01:30 fires twice on the fall-back night', async () => {
    const { ctx } = platform;
    const { rule } = await aDigestRule(ctx, 'America/New_York', { time: '01:30' });
    const before = receiver.requests.length;
    // 01:30 EDT and 01:30 EST on 2 November 2025: both slots fire, for the same local day that ended.
    for (const instant of ['2025-11-02T05:30:00.000Z', '2025-11-02T06:30:00.000Z']) {
      const activities = activitiesAt(ctx, instant);
      const { triggerId } = await activities.prepareDigest({ ruleId: rule.id });
      await activities.evaluateTrigger({ triggerId: triggerId! });
      await activities.dispatchTrigger({ triggerId: triggerId! });
    }
    expect(ntfyMessages(receiver).slice(before)).toEqual([
      expect.objectContaining({ title: 'Your day, 2025-11-01', message: 'No health data was recorded that day.' }),
    ]);
  });
});
