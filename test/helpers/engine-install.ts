import { Client, Connection } from '@temporalio/client';
import type { Timestamp } from '@temporalio/common';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import { nextCalendarFire, type CalendarSpec } from '../../src/jobs/calendar.js';
import type { JobEngineCase } from './engines.js';
import { startTestServer, type TestServer } from './server.js';
import { startTemporalHarness } from './temporal.js';

/** A test install on one job engine of the engine table (helpers/engines.ts, jobEngineCases). */
export interface EngineInstall {
  t: TestServer;
  /** On Temporal: a client of the install's namespace, for what a test reads from the engine itself; null on the local runner. */
  temporal: { client: Client; namespace: string; env: Record<string, string> } | null;
  /** Fires a schedule now, as the engine does when it is due. */
  fireSchedule(scheduleId: string): Promise<void>;
  /** A calendar schedule's fire instants in [from, to), as the engine itself lists them (Temporal) or computes them (local). */
  calendarFires(scheduleId: string, from: string, to: string): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The API server on the case's job engine: the local runner on its database, or on Temporal the API server and a
 * worker on one scratch PostgreSQL database. `env` goes to every process of the install.
 */
export async function startEngineInstall(
  { engine, database }: Pick<JobEngineCase, 'engine' | 'database'>,
  env: Record<string, string> = {},
): Promise<EngineInstall> {
  if (engine === 'temporal') {
    const harness = await startTemporalHarness(env);
    const connection = await Connection.connect({ address: harness.env.TEMPORAL_ADDRESS! });
    const client = new Client({ connection, namespace: harness.env.TEMPORAL_NAMESPACE! });
    return {
      t: harness.t,
      temporal: { client, namespace: harness.env.TEMPORAL_NAMESPACE!, env: harness.env },
      fireSchedule: async (id) => {
        await client.schedule.getHandle(id).trigger();
      },
      calendarFires: async (scheduleId, from, to) => {
        const answer: { startTime?: Timestamp[] | null } = await client.workflowService.listScheduleMatchingTimes({
          namespace: harness.env.TEMPORAL_NAMESPACE!,
          scheduleId,
          startTime: msToTs(Date.parse(from) - 1000),
          endTime: msToTs(Date.parse(to) - 1000),
        });
        return (answer.startTime ?? []).map((time) => new Date(tsToMs(time)).toISOString());
      },
      stop: async () => {
        await connection.close();
        await harness.stop();
      },
    };
  }
  const t = await startTestServer(database, { env });
  return {
    t,
    temporal: null,
    fireSchedule: async (id) => {
      await t.server.database.prisma.schedule.update({ where: { id }, data: { nextRunAt: new Date(Date.now() - 1000) } });
    },
    calendarFires: async (scheduleId, from, to) => {
      const state = (await t.server.jobs.describeSchedule(scheduleId))!;
      const fires: string[] = [];
      for (let after = Date.parse(from) - 1000; ;) {
        const next = nextCalendarFire(state.calendar as CalendarSpec, state.timezone!, after);
        if (next === null || next >= Date.parse(to)) return fires;
        fires.push(new Date(next).toISOString());
        after = next;
      }
    },
    stop: () => t.close(),
  };
}
