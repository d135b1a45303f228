import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { createWorker } from '../../workflows/worker.js';
import { newId } from '../../src/lib/ids.js';
import { startTestServer, type TestServer } from './server.js';

import { temporalAddress } from './engines.js';

export { temporalAddress };

/** The settings that put every process of an install on the test Temporal server, on a task queue of its own. */
export function temporalEnv(queue = 'vitasync-test'): {
  TEMPORAL_ADDRESS: string;
  TEMPORAL_NAMESPACE: string;
  TEMPORAL_TASK_QUEUE: string;
} {
  return {
    TEMPORAL_ADDRESS: temporalAddress ?? '',
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: `${queue}-${newId()}`,
  };
}

/**
 * An API server on Temporal and a real worker beside it, sharing one scratch PostgreSQL database as two processes
 * of one install would, on a task queue of their own.
 */
export async function startTemporalHarness(
  extraEnv: Record<string, string> = {},
): Promise<{ t: TestServer; env: Record<string, string>; stop(): Promise<void> }> {
  const env = {
    ...temporalEnv(),
    // The worker decrypts the provider tokens the API server stored: one key for both, as in production.
    VITASYNC_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ...extraEnv,
  };
  const t = await startTestServer('postgres', { env });
  const worker = await createWorker({ ...env, DATABASE_URL: t.server.config.databaseUrl!, LOG_LEVEL: 'silent' });
  const running = worker.worker.run();
  return {
    t,
    env,
    stop: async () => {
      await forgetTaskQueue(env);
      worker.worker.shutdown();
      await running;
      await worker.close();
      await t.close();
    },
  };
}

/**
 * Removes what a harness left on the shared Temporal server: its schedules (a connection's periodic sync would
 * otherwise fire forever into a task queue nobody polls) and its still-running workflows.
 */
async function forgetTaskQueue(env: { TEMPORAL_ADDRESS: string; TEMPORAL_NAMESPACE: string; TEMPORAL_TASK_QUEUE: string }) {
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
    for await (const schedule of client.schedule.list()) {
      if (schedule.memo?.taskQueue === env.TEMPORAL_TASK_QUEUE) await client.schedule.getHandle(schedule.scheduleId).delete();
    }
    const running = client.workflow.list({ query: `TaskQueue = '${env.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus = 'Running'` });
    for await (const execution of running) {
      await client.workflow
        .getHandle(execution.workflowId, execution.runId)
        .terminate('test harness stopped')
        .catch(() => undefined);
    }
  } finally {
    await connection.close();
  }
}
