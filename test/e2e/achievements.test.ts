import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACHIEVEMENT_TYPES } from '../../src/achievements/catalogue.js';
import { atLocal, aUser, events, localDays, pushEvents, pushSamples } from '../factories/index.js';
import { APP_RETURN, connectUser, eventually, setRedirectUris, waitForJob } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const PAGO_PAGO = 'Pacific/Pago_Pago'; // UTC−11

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`achievements over REST and GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      // A two-day backfill keeps the demo connection's first sync short.
      t = await startTestServer(engine, { env: { SYNC_BACKFILL_DAYS: '2' } });
    });
    afterAll(() => t?.close());

    const stepsOn = (zone: string, days: string[], value: number) =>
      days.map((day) => ({ metricType: 'steps', value, recordedAt: atLocal(zone, day, 12).toISOString() }));
    const achievementsOf = async (userId: string): Promise<any[]> => {
      const listed = await t.api('GET', `/v1/users/${userId}/achievements?limit=500`);
      expect(listed.status, JSON.stringify(listed.body)).toBe(200);
      return listed.body.data;
    };
    const unlockedEventsOf = async (userId: string): Promise<any[]> =>
      (await t.api('GET', '/v1/domain-events?type=achievement.unlocked&limit=500')).body.data
        .filter((event: any) => event.payload.userId === userId)
        .map((event: any) => event.payload);

    it('unlocks a 10,000-step day and a 7-day streak once each, with the local days and steps that did it', async () => {
      const userId = (await aUser(t, { timezone: PAGO_PAGO })).id;
      const week = localDays('2025-06-01', 7);
      const batch = stepsOn(PAGO_PAGO, week, 11_000);
      await pushSamples(t, userId, batch);
      const unlocked = await eventually(
        () => achievementsOf(userId),
        (found) => found.length >= 3,
      );
      // The ingest also set the user's first step records.
      expect(unlocked.map((a) => a.type)).toEqual(['steps_10k_day', 'steps_streak_7', 'first_personal_record']);
      expect(unlocked.map((a) => a.data).slice(0, 2)).toEqual([
        { date: '2025-06-01', steps: 11_000 },
        { from: '2025-06-01', to: '2025-06-07', days: 7 },
      ]);
      expect(unlocked[2].data).toMatchObject({ metricType: 'steps' });
      expect(unlocked[0]).toMatchObject({ userId, name: '10,000 steps' });
      expect(Date.parse(unlocked[0].unlockedAt)).toBeGreaterThan(0);
      const cause = (await t.api('GET', '/v1/domain-events?type=health_data.ingested&limit=500')).body.data.find(
        (event: any) => event.id === unlocked[0].eventId,
      );
      expect(cause.payload.userId).toBe(userId);

      // The same samples again, a second source's day over 10,000, then a workout: only the workout is new.
      await pushSamples(t, userId, batch);
      await pushSamples(t, userId, stepsOn(PAGO_PAGO, ['2025-06-09'], 12_000), 'watch');
      await pushEvents(t, userId, events(1, { startAt: '2025-06-10T18:00:00.000Z' }));
      const all = await eventually(
        () => achievementsOf(userId),
        (found) => found.length >= 4,
      );
      expect(all.map((a) => a.type)).toEqual(['steps_10k_day', 'steps_streak_7', 'first_personal_record', 'first_workout']);
      expect(await unlockedEventsOf(userId)).toEqual(all);

      const gql = await t.graphql(
        `query ($userId: ID!) { achievements(userId: $userId) { data { id type name description unlockedAt data eventId userId } } }`,
        {
          userId,
        },
      );
      expect(gql.body.errors).toBeUndefined();
      expect(gql.body.data.achievements.data).toEqual(all);
    });

    it('unlocks the first goal met and a seven-period goal streak from goal.achieved', async () => {
      const userId = (await aUser(t, { timezone: PAGO_PAGO })).id;
      const goal = await t.api('POST', `/v1/users/${userId}/goals`, {
        body: { metricType: 'steps', target: 5_000, period: 'daily', startDate: '2025-07-01' },
      });
      expect(goal.status).toBe(201);
      await pushSamples(t, userId, stepsOn(PAGO_PAGO, localDays('2025-07-01', 7), 6_000));
      const unlocked = await eventually(
        () => achievementsOf(userId),
        (found) => found.length >= 3,
      );
      expect(unlocked.filter((a) => a.type !== 'first_personal_record').map((a) => [a.type, a.data])).toEqual([
        ['first_goal_achieved', { goalId: goal.body.id, periodStart: '2025-07-01', periodEnd: '2025-07-01', value: 6_000, target: 5_000 }],
        ['goal_streak_7', { goalId: goal.body.id, metricType: 'steps', period: 'daily', from: '2025-07-01', periods: 7 }],
      ]);
    });

    it('unlocks the first connection and sync; deleting health data erases only what the data unlocked', async () => {
      await setRedirectUris(t, [APP_RETURN]);
      const userId = (await aUser(t)).id;
      const back = await connectUser(t, userId, 'demo');
      const connectionId = back.searchParams.get('connectionId')!;
      await waitForJob(t, `sync:${connectionId}:backfill`);
      const unlocked = await eventually(
        () => achievementsOf(userId),
        (found) => ['first_connection', 'first_sync'].every((type) => found.some((a) => a.type === type)),
      );
      expect(unlocked.find((a) => a.type === 'first_connection').data).toEqual({ connectionId, providerId: 'demo' });
      expect(unlocked.find((a) => a.type === 'first_sync').data).toMatchObject({ connectionId, providerId: 'demo' });

      expect((await t.api('DELETE', `/v1/users/${userId}/health`)).status).toBe(204);
      expect((await achievementsOf(userId)).map((a) => a.type).sort()).toEqual(['first_connection', 'first_sync']);
    });

    it('documents every catalogue entry in the Achievement type', async () => {
      const type = await t.graphql(`{ __type(name: "Achievement") { description } }`);
      for (const entry of ACHIEVEMENT_TYPES) expect(type.body.data.__type.description).toContain(entry.id);
    });

    it('answers 404 for another workspace’s user', async () => {
      const other = await t.newWorkspace();
      const theirs = (await t.api('POST', '/v1/users', { key: other.adminKey, body: { externalId: 'theirs' } })).body;
      expect((await t.api('GET', `/v1/users/${theirs.id}/achievements`)).status).toBe(404);
    });
  });
}
