import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUSEKEEPING_CALENDAR, purgeScheduleId, SYSTEM_WORKSPACE_ID } from '../../src/jobs/housekeeping.js';
import { newId } from '../../src/lib/ids.js';
import { aUser } from '../factories/index.js';
import { eventually } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

/** The next 03:17 UTC after `now`: when the daily purge fires. */
function nextPurgeAfter(now: Date): Date {
  const today = new Date(now);
  today.setUTCHours(HOUSEKEEPING_CALENDAR.hour, HOUSEKEEPING_CALENDAR.minute, 0, 0);
  return today > now ? today : new Date(today.getTime() + 86_400_000);
}

describe.each(jobEngineCases())('domain-event retention on the $name', (engineCase) => {
  const { available } = engineCase;
  let t: TestServer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    if (!available) return;
    ({ t, stop } = await startEngineInstall(engineCase));
  }, 120_000);
  afterAll(() => stop?.());

  it.skipIf(!available)('keeps a daily purge schedule at 03:17 UTC from the first start', async () => {
    const schedule = await t.server.jobs.describeSchedule(purgeScheduleId(t.server.config));
    expect(schedule).toMatchObject({ calendar: HOUSEKEEPING_CALENDAR, timezone: 'UTC', paused: false, everySeconds: null });
    expect(schedule!.nextRunAt).toEqual(nextPurgeAfter(new Date()));
  });

  it.skipIf(!available)(
    'purges, as a workflow, dispatched events past the retention and keeps younger and undispatched ones',
    async () => {
      for (let i = 0; i < 3; i++) await aUser(t);
      const sql = t.server.database;
      // The three user.created events, once the relay has dispatched them (it would stamp them afresh otherwise).
      const rows = await eventually(
        () => sql.query<{ id: string; dispatchedAt: Date | null }>(`SELECT id, "dispatchedAt" FROM "DomainEvent" ORDER BY sequence`),
        (found) => found.length === 3 && found.every((row) => row.dispatchedAt !== null),
      );
      const ids = rows.map((row) => row.id);
      await sql.query(`UPDATE "DomainEvent" SET "dispatchedAt" = now() - interval '40 days' WHERE id = $1`, [ids[0]]);
      await sql.query(`UPDATE "DomainEvent" SET "dispatchedAt" = now() - interval '10 days' WHERE id = $1`, [ids[1]]);
      // Never dispatched however old: a consumer has not had it yet (the relay may dispatch it again; it stays young).
      await sql.query(`UPDATE "DomainEvent" SET "dispatchedAt" = NULL, "createdAt" = now() - interval '90 days' WHERE id = $1`, [ids[2]]);

      const id = `housekeeping:purge:${newId()}`;
      await t.server.jobs.start('purgeDomainEvents', {}, { id, workspaceId: SYSTEM_WORKSPACE_ID });
      const job = await eventually(
        () => t.server.jobs.status(id),
        (state) => state?.status === 'completed' || state?.status === 'failed',
      );
      expect(job).toMatchObject({ status: 'completed', workflow: 'purgeDomainEvents', result: { purged: 1, retentionDays: 30 } });
      const left = await sql.query<{ id: string }>(`SELECT id FROM "DomainEvent" ORDER BY sequence`);
      expect(left.map((row) => row.id)).toEqual([ids[1], ids[2]]);
    },
    60_000,
  );

  it.skipIf(!available)(
    'is not a job any workspace sees',
    async () => {
      const id = `housekeeping:purge:${newId()}`;
      await t.server.jobs.start('purgeDomainEvents', {}, { id, workspaceId: SYSTEM_WORKSPACE_ID });
      await eventually(
        () => t.server.jobs.status(id),
        (state) => state?.status === 'completed',
      );
      const seen = await t.api('GET', `/v1/jobs/${encodeURIComponent(id)}`);
      expect(seen.status).toBe(404);
    },
    60_000,
  );
});
