/**
 * The schedule suite of `npm run bench`: BENCH_SCHEDULES (10,000) daily calendar schedules — a digest per user, in
 * five zones — all due in the same minute (the worst case: one wall time for everyone), each firing the probe
 * workflow. Fire lag is measured per schedule from its slot to the start of its job (local: the Job row is
 * created; Temporal: the workflow execution starts) and to the job's completion, on the local runner (PGlite and
 * PostgreSQL) and on Temporal (BENCH_TEMPORAL_SCHEDULES, default 1,000: every schedule is a workflow on the dev
 * server, whose scheduler starts at most worker.schedulerNamespaceStartWorkflowRPS = 30 workflows/s per
 * namespace, so 10,000 aligned schedules take 5.5 minutes there by design, see README).
 */
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/lib/ids.js';
import { createWorker } from '../../workflows/worker.js';
import { createScratchDatabase } from '../helpers/engines.js';
import { openTestPlatform } from '../helpers/platform.js';

export interface ScheduleRun {
  engine: string;
  schedules: number;
  createMs: number;
  fired: number;
  firedP50Ms: number;
  firedP99Ms: number;
  doneP50Ms: number;
  doneP99Ms: number;
}

export interface ScheduleSuiteOptions {
  schedules: number;
  temporalSchedules: number;
  postgresUrl: string | null;
  temporal: { address: string; namespace: string } | null;
  /** Which engines to run (BENCH_SCHEDULE_ENGINES, comma-separated; default all three). */
  engines: readonly ScheduleEngine[];
  log(line: string): void;
}

export const SCHEDULE_ENGINES = ['pglite', 'postgres', 'temporal'] as const;
export type ScheduleEngine = (typeof SCHEDULE_ENGINES)[number];

const ZONES = ['Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN;
}

/** The wall-clock hour and minute of an instant in a zone. */
function wallTime(instant: number, zone: string): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(
    instant,
  );
  return {
    hour: Number(parts.find((part) => part.type === 'hour')!.value),
    minute: Number(parts.find((part) => part.type === 'minute')!.value),
  };
}

async function runOn(engine: ScheduleEngine, count: number, options: ScheduleSuiteOptions): Promise<ScheduleRun> {
  const scratch = engine === 'pglite' ? null : await createScratchDatabase(options.postgresUrl);
  const taskQueue = `vitasync-bench-${newId()}`;
  const env = {
    ...(scratch && { DATABASE_URL: scratch.url }),
    ...(engine === 'temporal' && {
      TEMPORAL_ADDRESS: options.temporal!.address,
      TEMPORAL_NAMESPACE: options.temporal!.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
    }),
    JOB_CONCURRENCY: process.env.JOB_CONCURRENCY ?? '',
  };
  const config = loadConfig(env);
  const platform = await openTestPlatform({ ...config, dataDir: 'memory://' });
  const worker = engine === 'temporal' ? await createWorker({ ...env, LOG_LEVEL: 'silent' }) : null;
  const running = worker?.worker.run();
  const connection = engine === 'temporal' ? await Connection.connect({ address: options.temporal!.address }) : null;
  const ids = Array.from({ length: count }, (_, i) => `bench-digest:${i}:${newId()}`);
  try {
    const { ctx } = platform;
    const make = async (items: { id: string; zone: string }[], slot: number) => {
      const queue = [...items];
      const maker = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          await ctx.jobs.schedule(
            'probe',
            { label: 'digest' },
            { id: item.id, workspaceId: ctx.workspaceId, calendar: wallTime(slot, item.zone), timezone: item.zone },
          );
        }
      };
      await Promise.all(Array.from({ length: 8 }, maker));
    };
    // How long a schedule takes to make here and now: a trial batch, due in a day, made and removed again.
    const trial = Array.from({ length: 100 }, (_, i) => ({ id: `bench-trial:${i}:${newId()}`, zone: ZONES[i % ZONES.length]! }));
    const trialStarted = Date.now();
    await make(trial, trialStarted + 86_400_000);
    const perSchedule = (Date.now() - trialStarted) / trial.length;
    for (const { id } of trial) await ctx.jobs.unschedule(id);
    // The slot: a whole minute after the schedules are made (at twice the trial's pace), all of them in it.
    const created = Date.now();
    const slot = Math.ceil((created + 30_000 + 2 * count * perSchedule) / 60_000) * 60_000;
    await make(
      ids.map((id, i) => ({ id, zone: ZONES[i % ZONES.length]! })),
      slot,
    );
    const createMs = Date.now() - created;
    options.log(
      `schedules/${engine}: ${count} made in ${(createMs / 1000).toFixed(1)} s; slot in ${((slot - Date.now()) / 1000).toFixed(0)} s`,
    );
    if (Date.now() > slot) throw new Error(`schedules/${engine}: making the schedules took past their slot`);

    const fired: number[] = [];
    const done: number[] = [];
    const deadline = slot + 15 * 60_000;
    if (engine === 'temporal') {
      const client = new Client({ connection: connection!, namespace: options.temporal!.namespace });
      // Visibility on the dev server lags a little: poll until every scheduled workflow has closed.
      for (;;) {
        fired.length = 0;
        done.length = 0;
        for await (const execution of client.workflow.list({ query: `TaskQueue = '${taskQueue}'` })) {
          fired.push(execution.startTime.getTime() - slot);
          if (execution.closeTime) done.push(execution.closeTime.getTime() - slot);
        }
        if (done.length >= count || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    } else {
      for (;;) {
        const finished = await ctx.db.job.count({ where: { workflow: 'probe', status: { in: ['completed', 'failed'] } } });
        if (finished >= count || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const jobs = await ctx.db.job.findMany({ where: { workflow: 'probe' }, select: { createdAt: true, finishedAt: true } });
      for (const job of jobs) {
        fired.push(job.createdAt.getTime() - slot);
        if (job.finishedAt) done.push(job.finishedAt.getTime() - slot);
      }
    }
    fired.sort((a, b) => a - b);
    done.sort((a, b) => a - b);
    return {
      engine: engine === 'temporal' ? 'Temporal' : `local runner on ${engine === 'pglite' ? 'PGlite' : 'PostgreSQL'}`,
      schedules: count,
      createMs,
      fired: fired.length,
      firedP50Ms: percentile(fired, 50),
      firedP99Ms: percentile(fired, 99),
      doneP50Ms: percentile(done, 50),
      doneP99Ms: percentile(done, 99),
    };
  } finally {
    if (engine === 'temporal') for (const id of ids) await platform.ctx.jobs.unschedule(id).catch(() => undefined);
    await connection?.close();
    if (worker) {
      worker.worker.shutdown();
      await running;
      await worker.close();
    }
    await platform.close();
    await scratch?.drop();
  }
}

export async function runScheduleSuite(options: ScheduleSuiteOptions): Promise<ScheduleRun[]> {
  const runs: ScheduleRun[] = [];
  const wanted = (engine: ScheduleEngine) => options.engines.includes(engine);
  if (wanted('pglite')) runs.push(await runOn('pglite', options.schedules, options));
  if (!wanted('postgres')) options.log('schedules/postgres: not selected');
  else if (options.postgresUrl) runs.push(await runOn('postgres', options.schedules, options));
  else options.log('schedules/postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  if (!wanted('temporal')) options.log('schedules/temporal: not selected');
  else if (options.temporal && options.postgresUrl) runs.push(await runOn('temporal', options.temporalSchedules, options));
  else options.log('schedules/temporal: skipped (TEMPORAL_ADDRESS and a PostgreSQL URL are needed)');
  return runs;
}

export function formatScheduleSuite(runs: ScheduleRun[]): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const lines = [
    'Calendar schedules: all due in one minute, each firing the probe workflow (lag from the slot)',
    '| engine | schedules | made in | fired | fired p50 / p99 | done p50 / p99 |',
    '|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.engine} | ${run.schedules.toLocaleString('en')} | ${s(run.createMs)} | ${run.fired.toLocaleString('en')} | ${s(run.firedP50Ms)} / ${s(run.firedP99Ms)} | ${s(run.doneP50Ms)} / ${s(run.doneP99Ms)} |`,
    ),
  ];
  return lines.join('\n');
}
