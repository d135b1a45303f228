import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, aUser, pushSamples, samples } from '../factories/index.js';
import type { WebhookReceiver } from '../fakes/webhook-receiver.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { anNtfyChannel, aRule, ntfyMessages, received, settled } from './rule-helpers.js';

/**
 * Notification rules over REST on the local runner: CRUD with the contract's scopes, 422s that name the field, and
 * the engine — a threshold held N local days fires on day N (not before) and once per run of days, a personal
 * record notifies once per record, and a cooldown silences a rule after it notified. Messages reach a local ntfy
 * receiver; every attempt is in the user's notification log with its rule and event.
 */
describe('notification rules (REST, local runner on PGlite)', () => {
  let t: TestServer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    for (const receiver of receivers) await receiver.close();
    await t?.close();
  });

  const channelOf = async (userId: string) => {
    const channel = await anNtfyChannel(t, userId);
    receivers.push(channel.receiver);
    return channel;
  };
  const rulesOf = (userId: string) => `/v1/users/${userId}/notifications/rules`;
  const restingHeartRate = (day: string, value: number) => [
    { metricType: 'resting_heart_rate', value, recordedAt: `${day}T06:00:00.000Z` },
  ];

  it('creates, lists, replaces and deletes a rule, with read keys reading only', async () => {
    const user = await aUser(t, { timezone: 'Europe/Paris' });
    const channel = await channelOf(user.id);
    const rule = await aRule(t, user.id, {
      channelIds: [channel.id],
      condition: { kind: 'threshold', metricType: 'resting_heart_rate', operator: 'above', value: 70, days: 3 },
      quietHours: { start: '22:00', end: '07:00' },
    });
    expect(rule).toMatchObject({
      category: 'anomaly',
      minSeverity: 'info',
      channelIds: [channel.id],
      condition: {
        kind: 'threshold',
        metricType: 'resting_heart_rate',
        operator: 'above',
        value: 70,
        days: 3,
        severity: 'warning',
        time: null,
      },
      quietHours: { start: '22:00', end: '07:00' },
      cooldownMinutes: 60,
      enabled: true,
    });
    const reader = asKey(t, (await aKey(t, { scope: 'read' })).key);
    expect((await reader.api('GET', rulesOf(user.id))).body.data.map((row: { id: string }) => row.id)).toEqual([rule.id]);
    expect(
      (await reader.api('POST', rulesOf(user.id), { body: { name: 'x', channelIds: [channel.id], condition: { kind: 'sync_failure' } } }))
        .status,
    ).toBe(403);
    const replaced = await t.api('PUT', `${rulesOf(user.id)}/${rule.id}`, {
      body: { name: 'sync trouble', channelIds: [channel.id], condition: { kind: 'sync_failure' }, minSeverity: 'critical' },
    });
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200);
    expect(replaced.body).toMatchObject({
      name: 'sync trouble',
      category: 'sync',
      minSeverity: 'critical',
      quietHours: null,
      condition: { kind: 'sync_failure', metricType: null },
    });
    expect((await t.api('DELETE', `${rulesOf(user.id)}/${rule.id}`)).status).toBe(204);
    expect((await t.api('GET', rulesOf(user.id))).body.data).toEqual([]);
    expect((await t.api('DELETE', `${rulesOf(user.id)}/${rule.id}`)).status).toBe(404);
  });

  it('answers 404 for a rule of another workspace’s user', async () => {
    const user = await aUser(t);
    const channel = await channelOf(user.id);
    const rule = await aRule(t, user.id, { channelIds: [channel.id], condition: { kind: 'personal_record' } });
    const other = await t.newWorkspace();
    const stranger = asKey(t, other.adminKey);
    expect((await stranger.api('GET', rulesOf(user.id))).status).toBe(404);
    expect((await stranger.api('DELETE', `${rulesOf(user.id)}/${rule.id}`)).status).toBe(404);
  });

  it('refuses invalid rules with a 422 naming the REST field', async () => {
    const user = await aUser(t);
    const channel = await channelOf(user.id);
    const strangerChannel = await channelOf((await aUser(t)).id);
    const threshold = { kind: 'threshold', metricType: 'resting_heart_rate', operator: 'above', value: 70 };
    const refusals: [Record<string, unknown>, string][] = [
      [{ condition: { kind: 'threshold', operator: 'above', value: 70 } }, 'condition.metricType'],
      [{ condition: { ...threshold, metricType: 'mood_ring' } }, 'condition.metricType'],
      [{ condition: { ...threshold, days: 0 } }, 'condition.days'],
      [{ condition: { kind: 'threshold', metricType: 'steps', value: 1 } }, 'condition.operator'],
      [{ condition: { kind: 'digest' } }, 'condition.time'],
      [{ condition: { kind: 'digest', time: '7:30' } }, 'condition.time'],
      [{ condition: { kind: 'digest', period: 'weekly', time: '07:30', dayOfWeek: 7 } }, 'condition.dayOfWeek'],
      [{ condition: { kind: 'personal_record' }, minSeverity: 'critical' }, 'minSeverity'],
      [{ condition: { kind: 'sync_failure' }, quietHours: { start: '25:00', end: '07:00' } }, 'quietHours.start'],
      [{ condition: { kind: 'sync_failure' }, cooldownMinutes: -1 }, 'cooldownMinutes'],
      [{ condition: { kind: 'sync_failure' }, channelIds: [strangerChannel.id] }, 'channelIds[0]'],
      [{ condition: { kind: 'sync_failure' }, channelIds: [] }, 'channelIds'],
      [{ condition: { kind: 'sync_failure' }, category: 'gossip' }, 'category'],
    ];
    for (const [body, field] of refusals) {
      const answer = await t.api('POST', rulesOf(user.id), { body: { name: 'r', channelIds: [channel.id], ...body } });
      expect([answer.status, answer.body.message], JSON.stringify(body)).toEqual([422, expect.stringContaining(field)]);
    }
  });

  it('fires a threshold held three local days on the third day, not before, and once per run of days', async () => {
    const user = await aUser(t, { timezone: 'Europe/Paris' });
    const { id: channelId, receiver } = await channelOf(user.id);
    const rule = await aRule(t, user.id, {
      channelIds: [channelId],
      condition: { kind: 'threshold', metricType: 'resting_heart_rate', operator: 'above', value: 70, days: 3 },
      cooldownMinutes: 0,
    });
    for (const [day, value] of [
      ['2025-06-01', 75],
      ['2025-06-02', 76],
    ] as const) {
      await pushSamples(t, user.id, restingHeartRate(day, value));
      await settled(t);
      expect(receiver.requests).toHaveLength(0);
    }
    await pushSamples(t, user.id, restingHeartRate('2025-06-03', 77));
    await received(receiver, 1);
    expect(ntfyMessages(receiver)[0]).toMatchObject({
      title: 'Resting heart rate above 70 bpm for 3 days',
      message: expect.stringContaining('from 2025-06-01 to 2025-06-03: 75, 76, 77 bpm'),
      priority: 4,
      tags: ['anomaly'],
    });
    // Day four of the same run is the same condition: no second message, even without a cooldown.
    await pushSamples(t, user.id, restingHeartRate('2025-06-04', 78));
    await settled(t);
    expect(receiver.requests).toHaveLength(1);
    // A day below breaks the run; three more days above are a new one.
    await pushSamples(t, user.id, [
      ...restingHeartRate('2025-06-05', 60),
      ...restingHeartRate('2025-06-06', 72),
      ...restingHeartRate('2025-06-07', 73),
      ...restingHeartRate('2025-06-08', 74),
    ]);
    await received(receiver, 2);
    expect(ntfyMessages(receiver)[1]!.message).toContain('from 2025-06-06 to 2025-06-08');
    const logs = await t.api('GET', `/v1/users/${user.id}/notifications/logs`);
    expect(logs.body.data).toHaveLength(2);
    expect(logs.body.data[0]).toMatchObject({ kind: 'rule', ruleId: rule.id, channelId, status: 'sent', eventId: expect.any(String) });
  });

  it('notifies a personal record once, and a cooldown silences the next record', async () => {
    const user = await aUser(t);
    const quiet = await channelOf(user.id);
    const chatty = await channelOf(user.id);
    await aRule(t, user.id, { channelIds: [quiet.id], condition: { kind: 'personal_record' }, cooldownMinutes: 60 });
    await aRule(t, user.id, { channelIds: [chatty.id], condition: { kind: 'personal_record' }, cooldownMinutes: 0 });
    await pushSamples(t, user.id, samples({ metricType: 'steps', from: '2025-06-01T08:00:00.000Z', every: '1h', for: '2h', value: 1000 }));
    await received(quiet.receiver, 1);
    await received(chatty.receiver, 1);
    expect(ntfyMessages(quiet.receiver)[0]).toMatchObject({ title: 'New personal record: steps', tags: ['personal_record'], priority: 3 });
    await pushSamples(t, user.id, samples({ metricType: 'steps', from: '2025-06-02T08:00:00.000Z', every: '1h', for: '2h', value: 3000 }));
    await received(chatty.receiver, 2);
    await settled(t);
    expect(quiet.receiver.requests).toHaveLength(1);
    expect(ntfyMessages(chatty.receiver)[1]!.message).toContain('previous best 2,000');
  });

  it('notifies an anomaly of the watched metric once, with the anomaly’s severity, and none of another metric', async () => {
    const user = await aUser(t);
    const heart = await channelOf(user.id);
    const steps = await channelOf(user.id);
    await aRule(t, user.id, {
      channelIds: [heart.id],
      condition: { kind: 'anomaly', metricType: 'resting_heart_rate' },
      cooldownMinutes: 0,
    });
    await aRule(t, user.id, { channelIds: [steps.id], condition: { kind: 'anomaly', metricType: 'steps' }, cooldownMinutes: 0 });
    // Thirty calm mornings (56–60 in turn: median 58, MAD 1), then 82 on 1 July: z = 0.6745 × 24 = 16.2, critical.
    const calm = Array.from({ length: 30 }, (_, i) => ({
      metricType: 'resting_heart_rate',
      value: 56 + (i % 5),
      recordedAt: new Date(Date.parse('2025-06-01T06:00:00.000Z') + i * 86_400_000).toISOString(),
    }));
    await pushSamples(t, user.id, [...calm, { metricType: 'resting_heart_rate', value: 82, recordedAt: '2025-07-01T06:00:00.000Z' }]);
    const detect = () =>
      t.api('POST', `/v1/users/${user.id}/analytics/anomalies`, {
        body: { from: '2025-07-01', to: '2025-07-01', metricTypes: ['resting_heart_rate'] },
      });
    expect((await detect()).body.anomalies).toHaveLength(1);
    await received(heart.receiver, 1);
    expect(ntfyMessages(heart.receiver)[0]).toMatchObject({
      title: 'Unusual resting heart rate on 2025-07-01: high',
      message: expect.stringContaining('82 bpm, a modified z-score of 16.2 against the 30-day baseline (median 58 bpm)'),
      priority: 5,
      tags: ['anomaly'],
    });
    // Detected again, the same anomaly is not news: no event, no second message.
    expect((await detect()).body.anomalies).toHaveLength(1);
    await settled(t);
    expect(heart.receiver.requests).toHaveLength(1);
    expect(steps.receiver.requests).toHaveLength(0);
  });

  it('notifies a goal reached and an achievement unlocked, once each', async () => {
    const user = await aUser(t);
    const goals = await channelOf(user.id);
    const achievements = await channelOf(user.id);
    await aRule(t, user.id, { channelIds: [goals.id], condition: { kind: 'goal' }, cooldownMinutes: 0 });
    await aRule(t, user.id, { channelIds: [achievements.id], condition: { kind: 'achievement' }, cooldownMinutes: 0 });
    const goal = await t.api('POST', `/v1/users/${user.id}/goals`, {
      body: { name: 'Daily 10k', metricType: 'steps', target: 10_000, period: 'daily', startDate: '2025-06-01' },
    });
    expect(goal.status, JSON.stringify(goal.body)).toBe(201);
    const day = [{ metricType: 'steps', value: 12_000, recordedAt: '2025-06-01T12:00:00.000Z' }];
    await pushSamples(t, user.id, day);
    await received(goals.receiver, 1);
    expect(ntfyMessages(goals.receiver)[0]).toMatchObject({
      title: 'Goal reached: steps, daily',
      message: '12,000 count on 2025-06-01, against a target of at least 10,000 count.',
      tags: ['goal'],
    });
    // A 10,000-step day, a first personal record, a first goal met: each achievement notifies once.
    await received(achievements.receiver, 3);
    await settled(t);
    const titles = ntfyMessages(achievements.receiver).map((message) => message.title);
    expect(titles).toEqual(expect.arrayContaining(['Achievement unlocked: 10,000 steps', 'Achievement unlocked: Goal met']));
    // The same day again unlocks and reaches nothing new.
    await pushSamples(t, user.id, day);
    await settled(t);
    expect(goals.receiver.requests).toHaveLength(1);
    expect(achievements.receiver.requests).toHaveLength(titles.length);
  });
});
