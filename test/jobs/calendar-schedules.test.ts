import { Client, Connection } from '@temporalio/client';
import { msToTs, tsToMs } from '@temporalio/common/lib/time.js';
import type { Timestamp } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextCalendarFire, type CalendarSpec } from '../../src/jobs/calendar.js';
import { createTemporalRunner } from '../../src/jobs/temporal-runner.js';
import { newId } from '../../src/lib/ids.js';
import { loadConfig } from '../../src/config.js';
import { waitForJob } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases, temporalAddress } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

/** The local runner's fire instants in [from, to). */
function localFires(spec: CalendarSpec, zone: string, from: string, to: string): string[] {
  const fires: string[] = [];
  let after = Date.parse(from) - 1000;
  for (;;) {
    const next = nextCalendarFire(spec, zone, after);
    if (next === null || next >= Date.parse(to)) return fires;
    fires.push(new Date(next).toISOString());
    after = next;
  }
}

/** DST days (2027) in zones east and west of UTC, north and south, and one without DST. */
const DST_CASES: { zone: string; spec: CalendarSpec; from: string; to: string; what: string }[] = [
  {
    what: 'spring forward, 02:30 does not exist',
    zone: 'Europe/Paris',
    spec: { hour: 2, minute: 30 },
    from: '2027-03-27',
    to: '2027-03-30',
  },
  { what: 'spring forward, 07:30', zone: 'Europe/Paris', spec: { hour: 7, minute: 30 }, from: '2027-03-27', to: '2027-03-30' },
  { what: 'fall back, 02:30 repeated', zone: 'Europe/Paris', spec: { hour: 2, minute: 30 }, from: '2027-10-30', to: '2027-11-02' },
  {
    what: 'spring forward, 02:30 does not exist',
    zone: 'America/New_York',
    spec: { hour: 2, minute: 30 },
    from: '2027-03-13',
    to: '2027-03-16',
  },
  { what: 'fall back, 01:30 twice', zone: 'America/New_York', spec: { hour: 1, minute: 30 }, from: '2027-11-06', to: '2027-11-09' },
  {
    what: 'fall back, 07:30 on weekdays',
    zone: 'America/New_York',
    spec: { hour: 7, minute: 30, daysOfWeek: [1, 2, 3, 4, 5] },
    from: '2027-11-05',
    to: '2027-11-10',
  },
  {
    what: 'spring forward (October), 02:30',
    zone: 'Australia/Sydney',
    spec: { hour: 2, minute: 30 },
    from: '2027-10-02',
    to: '2027-10-05',
  },
  {
    what: 'fall back (April), 02:30 repeated',
    zone: 'Australia/Sydney',
    spec: { hour: 2, minute: 30 },
    from: '2027-04-03',
    to: '2027-04-06',
  },
  {
    what: 'no DST, 07:30 on Mondays and Wednesdays',
    zone: 'Asia/Kolkata',
    spec: { hour: 7, minute: 30, daysOfWeek: [1, 3] },
    from: '2027-03-01',
    to: '2027-03-15',
  },
  {
    what: 'no DST, the 31st of each month',
    zone: 'Asia/Kolkata',
    spec: { hour: 0, minute: 0, daysOfMonth: [31] },
    from: '2027-01-01',
    to: '2027-08-01',
  },
];

describe('calendar schedules on the local runner (src/jobs/calendar.ts)', () => {
  it('skips a wall time a spring-forward change removes and fires the next day', () => {
    expect(localFires({ hour: 2, minute: 30 }, 'Europe/Paris', '2027-03-27', '2027-03-30')).toEqual([
      '2027-03-27T01:30:00.000Z',
      '2027-03-29T00:30:00.000Z',
    ]);
  });

  it('fires a repeated wall time once east of UTC (the later copy) and twice west of it, as Temporal does', () => {
    expect(localFires({ hour: 2, minute: 30 }, 'Europe/Paris', '2027-10-31', '2027-11-01')).toEqual(['2027-10-31T01:30:00.000Z']);
    expect(localFires({ hour: 1, minute: 30 }, 'America/New_York', '2027-11-07', '2027-11-08')).toEqual([
      '2027-11-07T05:30:00.000Z',
      '2027-11-07T06:30:00.000Z',
    ]);
  });

  it('fires 07:30 local on the given weekdays, in a zone with a half-hour offset', () => {
    expect(localFires({ hour: 7, minute: 30, daysOfWeek: [1, 3] }, 'Asia/Kolkata', '2027-03-01', '2027-03-08')).toEqual([
      '2027-03-01T02:00:00.000Z',
      '2027-03-03T02:00:00.000Z',
    ]);
  });
});

describe.skipIf(!temporalAddress)('calendar fire times on both engines over DST days', () => {
  const config = loadConfig(process.env);
  let connection: Connection;
  let client: Client;
  let runner: Awaited<ReturnType<typeof createTemporalRunner>>;

  beforeAll(async () => {
    runner = await createTemporalRunner({ ...config.temporal, address: temporalAddress! });
    connection = await Connection.connect({ address: temporalAddress! });
    client = new Client({ connection, namespace: config.temporal.namespace });
  });
  afterAll(async () => {
    await runner?.close();
    await connection?.close();
  });

  it.each(DST_CASES)('$zone, $what: the Temporal server lists the instants the local runner computes', async ({ zone, spec, from, to }) => {
    const id = `calendar-test:${newId()}`;
    await runner.schedule('probe', {}, { id, workspaceId: 'calendar-test', calendar: spec, timezone: zone });
    try {
      await runner.updateSchedule(id, { paused: true });
      expect(await runner.describeSchedule(id)).toMatchObject({ calendar: spec, timezone: zone, everySeconds: null });
      // The server's own search (ListScheduleMatchingTimes) over the window, ends excluded as in localFires.
      const answer: { startTime?: Timestamp[] | null } = await client.workflowService.listScheduleMatchingTimes({
        namespace: config.temporal.namespace,
        scheduleId: id,
        startTime: msToTs(Date.parse(from) - 1000),
        endTime: msToTs(Date.parse(to) - 1000),
      });
      const temporal = (answer.startTime ?? []).map((time) => new Date(tsToMs(time)).toISOString());
      expect(temporal.length).toBeGreaterThan(0);
      expect(localFires(spec, zone, from, to)).toEqual(temporal);
    } finally {
      await runner.unschedule(id);
    }
  });
});

/** One calendar schedule really fires on each engine: every day at the coming minute, in Kolkata. */
describe('a calendar schedule firing on every engine', () => {
  const engines = jobEngineCases().filter((engineCase) => engineCase.available);
  const running: { name: string; t: TestServer; stop(): Promise<void>; scheduleId: string; firedJob(): Promise<string | null> }[] = [];
  let slot: number;

  beforeAll(async () => {
    for (const engineCase of engines) {
      const install = await startEngineInstall(engineCase);
      const { t, temporal } = install;
      const scheduleId = `calendar-fire:${newId()}`;
      running.push({
        name: engineCase.name,
        t,
        scheduleId,
        stop: async () => {
          await t.server.jobs.unschedule(scheduleId);
          await install.stop();
        },
        firedJob: temporal
          ? async () =>
              (await temporal.client.schedule.getHandle(scheduleId).describe()).info.recentActions[0]?.action.workflow.workflowId ?? null
          : async () => (await t.server.database.prisma.job.findFirst({ where: { id: { startsWith: `${scheduleId}:` } } }))?.id ?? null,
      });
    }
    // The first whole minute at least 20 s away, as Kolkata's wall clock reads it.
    slot = Math.ceil((Date.now() + 20_000) / 60_000) * 60_000;
    const wall = new Date(slot + 5.5 * 3600_000);
    for (const engine of running) {
      const workspaceId = (await engine.t.graphql('{ workspace { id } }')).body.data.workspace.id;
      const calendar = { hour: wall.getUTCHours(), minute: wall.getUTCMinutes() };
      await engine.t.server.jobs.schedule(
        'probe',
        { label: 'calendar' },
        { id: engine.scheduleId, workspaceId, calendar, timezone: 'Asia/Kolkata' },
      );
      expect((await engine.t.server.jobs.describeSchedule(engine.scheduleId))?.nextRunAt?.getTime()).toBe(slot);
    }
  }, 180_000);
  afterAll(async () => {
    for (const engine of running) await engine.stop();
  });

  it.each(engines.map((engineCase) => engineCase.name))(
    'fires at its minute on the %s',
    async (name) => {
      const engine = running.find((candidate) => candidate.name === name)!;
      let jobId: string | null = null;
      while (!jobId && Date.now() < slot + 60_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        jobId = await engine.firedJob();
      }
      expect(jobId).not.toBeNull();
      const job = await waitForJob(engine.t, jobId!, { attempts: 600 });
      expect(job.status).toBe('completed');
      const lag = Date.parse(job.result.ranAt) - slot;
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThan(30_000);
      // The next slot is tomorrow's.
      expect((await engine.t.server.jobs.describeSchedule(engine.scheduleId))?.nextRunAt?.getTime()).toBe(slot + 86_400_000);
    },
    150_000,
  );
});
