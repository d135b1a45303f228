/**
 * The Temporal side of the registry: one dynamic workflow (the bundle's default export runs every workflow type
 * the worker is asked for) that looks the type up in workflows/registry.ts and runs its orchestration with
 * Temporal's activities, sleep and patched(). A new workflow needs nothing here.
 * Bundled for the worker's sandbox: imports only @temporalio/workflow, activity types and pure modules.
 */
import { ApplicationFailure, patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from './activities.js';
import { HEARTBEAT_TIMEOUT_SECONDS } from './heartbeat-timeout.js';
import { findWorkflow } from './registry.js';
import { RETRY_PROFILES } from './retry.js';

export default async function registeredWorkflow(input: unknown): Promise<unknown> {
  const { workflowType, workflowId } = workflowInfo();
  const declaration = findWorkflow(workflowType);
  if (!declaration) throw ApplicationFailure.create({ message: `no workflow named ${workflowType}`, nonRetryable: true });
  const profile = RETRY_PROFILES[declaration.retry];
  // A worker that dies mid-activity stops heartbeating (workflows/heartbeats.ts): the attempt is retried on
  // another worker after the heartbeat timeout instead of waiting out start-to-close.
  const activities = proxyActivities<Activities>({
    startToCloseTimeout: profile.attemptTimeoutMs,
    heartbeatTimeout: HEARTBEAT_TIMEOUT_SECONDS * 1000,
    retry: {
      initialInterval: profile.initialIntervalMs,
      backoffCoefficient: profile.backoffCoefficient,
      maximumInterval: profile.maximumIntervalMs,
      maximumAttempts: profile.maximumAttempts,
    },
  });
  return declaration.run(input, activities, { jobId: workflowId, sleep: (ms) => sleep(ms), patched: (patchId) => patched(patchId) });
}
