import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

/** What the engine itself holds for a schedule, read around our API: the Schedule row, or the Temporal Schedule. */
type EngineView = (scheduleId: string) => Promise<{ everySeconds: number | null; paused: boolean } | null>;

describe.each(jobEngineCases())('a connection’s sync schedule on the $name', ({ name, engine, database, available }) => {
  let t: TestServer;
  let engineView: EngineView;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    if (!available) return;
    const install = await startEngineInstall({ engine, database }, { SYNC_BACKFILL_DAYS: '1' });
    ({ t, stop } = install);
    const temporal = install.temporal;
    engineView = temporal
      ? async (id) => {
          const description = await temporal.client.schedule
            .getHandle(id)
            .describe()
            .catch(() => null);
          return description && { everySeconds: description.spec.intervals![0]!.every / 1000, paused: description.state.paused };
        }
      : async (id) => {
          const row = await t.server.database.prisma.schedule.findUnique({ where: { id } });
          return row && { everySeconds: row.intervalSeconds, paused: row.paused };
        };
  }, 120_000);
  afterAll(() => stop?.());

  it.skipIf(!available)(
    'is created on connect, updated, paused, resumed and deleted through the API',
    async () => {
      const user = await t.api('POST', '/v1/users', { body: { externalId: `schedule-${name}` } });
      const link = await t.api('POST', `/v1/users/${user.body.id}/connect-links`, { body: { providerId: 'demo' } });
      const { connectionId } = await (await fetch(link.body.url)).json();
      const path = `/v1/users/${user.body.id}/connections/${connectionId}/schedule`;
      const scheduleId = `sync:${connectionId}:periodic`;

      // Created on connect, at the configured default (SYNC_INTERVAL_MINUTES, 60).
      const created = await t.api('GET', path);
      expect(created.status).toBe(200);
      expect(created.body).toMatchObject({ connectionId, everyMinutes: 60, paused: false });
      // One interval after the connect, not at a shared wall-clock mark: connections made at different times sync at
      // different times, instead of all at the top of the hour.
      const nextIn = new Date(created.body.nextRunAt).getTime() - Date.now();
      expect(nextIn).toBeGreaterThan(59 * 60_000);
      expect(nextIn).toBeLessThanOrEqual(60 * 60_000 + 5_000);
      expect(await engineView(scheduleId)).toEqual({ everySeconds: 3600, paused: false });

      // Updated: the engine runs it every 15 minutes from now on.
      const updated = await t.api('PATCH', path, { body: { everyMinutes: 15 } });
      expect(updated.status).toBe(200);
      expect(updated.body).toMatchObject({ everyMinutes: 15, paused: false });
      const nextAfterUpdate = new Date(updated.body.nextRunAt).getTime() - Date.now();
      expect(nextAfterUpdate).toBeGreaterThan(0);
      expect(nextAfterUpdate).toBeLessThanOrEqual(15 * 60_000 + 5_000);
      expect(await engineView(scheduleId)).toEqual({ everySeconds: 900, paused: false });

      // Paused, then resumed (GraphQL here: the same service).
      const paused = await t.api('PATCH', path, { body: { paused: true } });
      expect(paused.body).toMatchObject({ everyMinutes: 15, paused: true, nextRunAt: null });
      expect(await engineView(scheduleId)).toEqual({ everySeconds: 900, paused: true });
      const resumed = await t.graphql(
        'mutation ($u: ID!, $c: ID!) { updateSyncSchedule(userId: $u, connectionId: $c, paused: false) { everyMinutes paused nextRunAt } }',
        { u: user.body.id, c: connectionId },
      );
      expect(resumed.body.data.updateSyncSchedule).toMatchObject({ everyMinutes: 15, paused: false });
      expect(resumed.body.data.updateSyncSchedule.nextRunAt).not.toBeNull();
      expect(await engineView(scheduleId)).toEqual({ everySeconds: 900, paused: false });

      // Bad input and another tenant change nothing.
      expect((await t.api('PATCH', path, { body: { everyMinutes: 0 } })).status).toBe(422);
      const other = await t.newWorkspace();
      expect((await t.api('PATCH', path, { body: { paused: true }, key: other.adminKey })).status).toBe(404);
      expect((await t.api('GET', path, { key: other.adminKey })).status).toBe(404);
      expect(await engineView(scheduleId)).toEqual({ everySeconds: 900, paused: false });

      // Deleted with the connection.
      expect((await t.api('DELETE', `/v1/users/${user.body.id}/connections/${connectionId}`)).status).toBe(204);
      expect((await t.api('GET', path)).status).toBe(404);
      expect((await t.api('PATCH', path, { body: { everyMinutes: 30 } })).status).toBe(409);
      expect(await engineView(scheduleId)).toBeNull();
    },
    120_000,
  );
});
