/**
 * The workflow suite of `npm run bench`: N short sync workflows (the demo provider, a one-hour window, so one page
 * per stream) started back to back and run to completion on each job engine — the local runner and a Temporal
 * server through a real worker — on one PostgreSQL server. Prints throughput and start-to-completion latency
 * (p50/p99) per engine and the ratio. Latency runs from the moment the bench asks the engine to start a workflow
 * to the commit of its `sync.completed` event, so both engines are timed by the same clock and the same row.
 *
 * Environment: BENCH_WORKFLOWS (1,000), BENCH_DATABASE_URL or TEST_DATABASE_URL, TEMPORAL_ADDRESS and
 * TEMPORAL_NAMESPACE (the Temporal half is skipped, and says so, without an address), JOB_CONCURRENCY (the local
 * runner's, default as shipped).
 */
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/lib/ids.js';
import { demoProvider } from '../../src/providers/demo/index.js';
import { createWorker } from '../../workflows/worker.js';
import { type SyncInput } from '../../workflows/sync.js';
import { createScratchDatabase } from '../helpers/engines.js';
import { openTestPlatform } from '../helpers/platform.js';

export type JobEngineName = 'local' | 'temporal';

export interface WorkflowRun {
  engine: JobEngineName;
  workflows: number;
  failed: number;
  /** First start asked to last completion committed. */
  wallMs: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  settings: string;
}

export interface WorkflowSuiteOptions {
  workflows: number;
  postgresUrl: string | null;
  temporal: { address: string; namespace: string } | null;
  log(line: string): void;
}

const START_CONCURRENCY = 16;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** N users, each with an active demo connection whose streams are synced up to an hour ago. */
async function seedConnections(
  db: Awaited<ReturnType<typeof openTestPlatform>>['ctx']['db'],
  workspaceId: string,
  count: number,
): Promise<string[]> {
  const now = Date.now();
  const syncState = Object.fromEntries(
    demoProvider.streams.map((stream) => [
      stream,
      { from: new Date(now - 3_600_000).toISOString(), until: new Date(now - 3_600_000).toISOString() },
    ]),
  );
  const users = Array.from({ length: count }, (_, i) => ({ id: newId(), workspaceId, externalId: `bench-${i}` }));
  await db.user.createMany({ data: users });
  const connections = users.map((user) => ({ id: newId(), workspaceId, userId: user.id, providerId: demoProvider.id, syncState }));
  await db.connection.createMany({ data: connections });
  return connections.map((connection) => connection.id);
}

async function runOn(engine: JobEngineName, options: WorkflowSuiteOptions): Promise<WorkflowRun> {
  const scratch = await createScratchDatabase(options.postgresUrl);
  const taskQueue = `vitasync-bench-${newId()}`;
  const env = {
    DATABASE_URL: scratch.url,
    ...(engine === 'temporal'
      ? { TEMPORAL_ADDRESS: options.temporal!.address, TEMPORAL_NAMESPACE: options.temporal!.namespace, TEMPORAL_TASK_QUEUE: taskQueue }
      : {}),
    JOB_CONCURRENCY: process.env.JOB_CONCURRENCY ?? '',
  };
  const config = loadConfig(env);
  const platform = await openTestPlatform({ ...config, dataDir: 'memory://' });
  const worker = engine === 'temporal' ? await createWorker({ ...env, LOG_LEVEL: 'silent' }) : null;
  const running = worker?.worker.run();
  try {
    const { ctx } = platform;
    const connectionIds = await seedConnections(ctx.db, ctx.workspaceId, options.workflows);
    options.log(`workflows/${engine}: ${options.workflows} connections seeded; starting ${options.workflows} sync workflows`);
    const startedAt = new Map<string, number>();
    const firstStart = Date.now();
    // Starts come from many requests at once in production: START_CONCURRENCY in flight, as an API server would.
    const queue = [...connectionIds];
    const starter = async () => {
      for (let connectionId = queue.shift(); connectionId; connectionId = queue.shift()) {
        const input: SyncInput = { connectionId, reason: 'manual' };
        startedAt.set(connectionId, Date.now());
        await ctx.jobs.start('sync', input, { id: `sync:${connectionId}:bench`, workspaceId: ctx.workspaceId });
      }
    };
    await Promise.all(Array.from({ length: START_CONCURRENCY }, starter));
    options.log(`workflows/${engine}: all started in ${((Date.now() - firstStart) / 1000).toFixed(1)} s; waiting for completion`);

    let finished = 0;
    const deadline = Date.now() + 20 * 60_000;
    while (finished < options.workflows) {
      if (Date.now() > deadline) throw new Error(`workflows/${engine}: only ${finished} of ${options.workflows} finished in 20 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      finished = await ctx.db.syncEvent.count({ where: { type: { in: ['sync.completed', 'sync.failed'] } } });
    }
    const ends = await ctx.db.syncEvent.findMany({
      where: { type: { in: ['sync.completed', 'sync.failed'] } },
      select: { connectionId: true, type: true, createdAt: true },
    });
    const latencies = ends.map((end) => end.createdAt.getTime() - startedAt.get(end.connectionId)!).sort((a, b) => a - b);
    const wallMs = Math.max(...ends.map((end) => end.createdAt.getTime())) - firstStart;
    const failed = ends.filter((end) => end.type === 'sync.failed').length;
    return {
      engine,
      workflows: options.workflows,
      failed,
      wallMs,
      perSecond: options.workflows / (wallMs / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      settings: engine === 'local' ? `JOB_CONCURRENCY=${config.jobs.concurrency}` : 'one in-process worker, SDK default concurrency',
    };
  } finally {
    if (worker) {
      worker.worker.shutdown();
      await running;
      await worker.close();
    }
    await platform.close();
    await scratch.drop();
  }
}

export async function runWorkflowSuite(options: WorkflowSuiteOptions): Promise<WorkflowRun[]> {
  const runs = [await runOn('local', options)];
  if (options.temporal) runs.push(await runOn('temporal', options));
  else options.log('workflows/temporal: skipped (TEMPORAL_ADDRESS is not set)');
  return runs;
}

export function formatWorkflowSuite(runs: WorkflowRun[]): string {
  const lines = [
    `Workflows: ${runs[0]?.workflows ?? 0} short sync workflows (demo provider, one page per stream), start to completion, on PostgreSQL`,
  ];
  for (const run of runs) {
    lines.push(
      `  ${run.engine.padEnd(9)} ${run.perSecond.toFixed(1).padStart(8)} workflows/s   p50 ${(run.p50Ms / 1000).toFixed(2)} s   p99 ${(run.p99Ms / 1000).toFixed(2)} s   ` +
        `all done in ${(run.wallMs / 1000).toFixed(1)} s, ${run.failed} failed   (${run.settings})`,
    );
  }
  const [local, temporal] = runs;
  if (local && temporal) {
    lines.push(
      `  temporal / local: throughput ${(temporal.perSecond / local.perSecond).toFixed(2)}×, p50 ${(temporal.p50Ms / local.p50Ms).toFixed(2)}×, p99 ${(temporal.p99Ms / local.p99Ms).toFixed(2)}×`,
    );
  }
  return lines.join('\n');
}
