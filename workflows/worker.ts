/**
 * The Temporal worker: `npm run worker` (as many as the load needs). It runs the workflows bundled from
 * temporal-workflows.ts and the activities bound to this process's database and keys.
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config.js';
import { loadTokenKeys } from '../src/connections/token-keys.js';
import { openDatabase } from '../src/db/client.js';
import { openStorage } from '../src/files/storage.js';
import { migrate } from '../src/db/migrate.js';
import { temporalConnectionOptions } from '../src/jobs/temporal-connection.js';
import { createTemporalRunner } from '../src/jobs/temporal-runner.js';
import { log } from '../src/lib/logger.js';
import { systemClock } from '../src/lib/time.js';
import { createActivities } from './activities.js';
import { bundleWorkflows } from './bundle.js';
import { withHeartbeats } from './heartbeats.js';

/** A worker ready to run, and `close` for what it opened (call after its run ends). */
export async function createWorker(
  env: Record<string, string | undefined> = process.env,
): Promise<{ worker: Worker; close(): Promise<void> }> {
  const config = loadConfig(env);
  const address = config.temporal.address;
  if (!address) throw new Error('TEMPORAL_ADDRESS must be set to run a Temporal worker');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database);
  const jobs = await createTemporalRunner({ ...config.temporal, address });
  // Exports and reports write files, imports read them: the same folder or bucket as the API servers.
  const storage = openStorage(config.files);
  const activities = createActivities({
    db: database.prisma,
    sql: database,
    clock: systemClock,
    jobs,
    config,
    tokenKeys: loadTokenKeys(config),
    storage,
  });
  const connection = await NativeConnection.connect(temporalConnectionOptions({ ...config.temporal, address }));
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: await bundleWorkflows(),
    activities: withHeartbeats(activities),
  });
  log.info('temporal worker ready', { namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue });
  return {
    worker,
    close: async () => {
      await connection.close();
      await jobs.close();
      await storage.close();
      await database.close();
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { worker, close } = await createWorker();
  process.once('SIGINT', () => worker.shutdown());
  process.once('SIGTERM', () => worker.shutdown());
  await worker.run();
  await close();
}
