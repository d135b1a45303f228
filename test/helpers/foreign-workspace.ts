import { expect } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import type { TestServer } from './server.js';

/**
 * A second workspace with one of everything a route can name (user, event, connection, API key, job, file, webhook, notification channel, goal, challenge, habit with a completion), for the
 * A second workspace with one of everything a route can name (user, event, connection, API key, job, file, webhook, notification channel, goal, challenge, journal entry), for the
 * A second workspace with one of everything a route can name (user, event, connection, API key, job, file, webhook, notification channel and rule), for the
 * object-level authorization suites: a key of the first workspace must see none of it. Returns the ids by the
 * names the routes give their path parameters.
 */
export async function seedForeignWorkspace(t: TestServer): Promise<Record<string, string>> {
  const other = await t.newWorkspace();
  const as = { key: other.adminKey };
  const user = (await t.api('POST', '/v1/users', { ...as, body: { externalId: 'theirs' } })).body;
  await t.api('POST', `/v1/users/${user.id}/health`, {
    ...as,
    body: { samples: [{ metricType: 'steps', value: 10, recordedAt: '2025-06-01T10:00:00.000Z' }] },
  });
  const events = await t.api('POST', `/v1/users/${user.id}/events`, {
    ...as,
    body: { events: [{ type: 'workout', startAt: '2025-06-01T10:00:00.000Z', endAt: '2025-06-01T10:30:00.000Z', externalId: 'w' }] },
  });
  expect(events.status).toBe(201);
  const event = (await t.api('GET', `/v1/users/${user.id}/events`, as)).body.data[0];
  const link = (await t.api('POST', `/v1/users/${user.id}/connect-links`, { ...as, body: { providerId: 'demo' } })).body;
  const connectionId = (await (await fetch(link.url)).json()).connectionId;
  const keyId = (await t.api('GET', '/v1/api-keys', as)).body.data[0].id;
  const uploaded = await fetch(`${t.url}/v1/users/${user.id}/uploads?filename=theirs.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${other.adminKey}`, 'content-type': 'text/csv' },
    body: 'steps\n10\n',
  });
  expect(uploaded.status).toBe(201);
  // Written directly: a webhook registered over REST would need a deliverable URL, and this one must never be called.
  const webhook = await t.server.database.prisma.webhookEndpoint.create({
    data: { id: newId(), workspaceId: other.workspaceId, url: 'https://hooks.invalid/theirs', enabled: false, secretCiphertext: 'none' },
  });
  const goal = await t.api('POST', `/v1/users/${user.id}/goals`, { ...as, body: { metricType: 'steps', target: 10, period: 'daily' } });
  expect(goal.status, JSON.stringify(goal.body)).toBe(201);
  const challenge = await t.api('POST', '/v1/challenges', {
    ...as,
    body: { name: 'theirs', metricType: 'steps', startDate: '2025-06-01', endDate: '2025-06-30' },
  });
  expect(challenge.status, JSON.stringify(challenge.body)).toBe(201);
  const habit = await t.api('POST', `/v1/users/${user.id}/habits`, { ...as, body: { name: 'theirs', startDate: '2025-06-01' } });
  expect(habit.status, JSON.stringify(habit.body)).toBe(201);
  const completed = await t.api('POST', `/v1/users/${user.id}/habits/${habit.body.id}/complete`, { ...as, body: { date: '2025-06-01' } });
  expect(completed.status, JSON.stringify(completed.body)).toBe(201);
  const medication = await t.api('POST', `/v1/users/${user.id}/medications`, { ...as, body: { name: 'theirs', times: ['08:00'] } });
  expect(medication.status, JSON.stringify(medication.body)).toBe(201);
  const channelId = (
    await t.server.database.prisma.notificationChannel.create({
      data: { id: newId(), workspaceId: other.workspaceId, userId: user.id, type: 'ntfy', name: 'theirs', settings: { topic: 'theirs' } },
    })
  ).id;
  const waterLog = await t.api('POST', `/v1/users/${user.id}/water`, { ...as, body: { amount: 250, at: '2025-06-01T10:00:00.000Z' } });
  expect(waterLog.status, JSON.stringify(waterLog.body)).toBe(201);
  const journal = await t.api('POST', `/v1/users/${user.id}/journal`, { ...as, body: { body: 'theirs' } });
  expect(journal.status, JSON.stringify(journal.body)).toBe(201);
  const fileId = ((await uploaded.json()) as { id: string }).id;
  return {
    logId: waterLog.body.id,
    goalId: goal.body.id,
    habitId: habit.body.id,
    // The day their habit was completed: an undo of it is refused for the foreign habit, not for the day.
    date: '2025-06-01',
    medId: medication.body.id,
    entryId: journal.body.id,
    challengeId: challenge.body.id,
    userId: user.id,
    eventId: event.id,
    connectionId,
    keyId,
    jobId: `sync:${connectionId}:backfill`,
    metricType: 'steps',
    providerId: 'demo',
    fileId,
    // Written directly: an import over REST would start a job reading their file.
    importId: (
      await t.server.database.prisma.dataImport.create({
        data: {
          id: newId(),
          workspaceId: other.workspaceId,
          userId: user.id,
          fileId,
          format: 'gpx',
          jobId: 'import:theirs',
          status: 'failed',
        },
      })
    ).id,
    webhookId: webhook.id,
    channelId,
    ruleId: (
      await t.api('POST', `/v1/users/${user.id}/notifications/rules`, {
        ...as,
        body: { name: 'theirs', channelIds: [channelId], condition: { kind: 'sync_failure' } },
      })
    ).body.id,
  };
}
