/**
 * Replays recorded workflow histories against the current bundle (non-determinism fails), and records new ones:
 *   tsx workflows/replay.ts <history.json>…
 *   tsx workflows/replay.ts --record <workflowId> <history.json>   (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE)
 * A plain process on purpose: Temporal's protobuf JSON helpers need one module realm, which test runners split.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { bundleWorkflows } from './bundle.js';

async function record(workflowId: string, file: string): Promise<void> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  try {
    const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
    writeFileSync(file, historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory()));
  } finally {
    await connection.close();
  }
}

async function replay(files: string[]): Promise<number> {
  const workflowBundle = await bundleWorkflows();
  let failures = 0;
  for (const file of files) {
    const history = historyFromJSON(JSON.parse(readFileSync(file, 'utf8')));
    try {
      await Worker.runReplayHistory({ workflowBundle }, history, basename(file, '.json'));
      process.stdout.write(`replayed ${basename(file)}\n`);
    } catch (error) {
      failures += 1;
      process.stdout.write(`NON-DETERMINISTIC ${basename(file)}: ${(error as Error).message}\n`);
    }
  }
  return failures;
}

const args = process.argv.slice(2);
if (args[0] === '--record') await record(args[1]!, args[2]!);
else process.exitCode = (await replay(args)) > 0 ? 1 : 0;
