import { Context } from '@temporalio/activity';

/**
 * How long Temporal waits for a heartbeat before it counts an activity's worker as gone and retries the activity
 * elsewhere. Without heartbeats a worker killed mid-activity would hold the attempt until its start-to-close
 * timeout (minutes); with them a successor takes over within this time.
 */
export const HEARTBEAT_TIMEOUT_SECONDS = 10;

/**
 * Wraps every activity so that it heartbeats while it runs. The activities themselves stay engine-neutral (the
 * local runner calls them too); only the Temporal worker adds this.
 */
export function withHeartbeats<T extends object>(activities: T): T {
  const wrapped: Record<string, (...args: any[]) => Promise<unknown>> = {};
  for (const [name, activity] of Object.entries(activities) as [string, (...args: any[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args) => {
      const context = Context.current();
      const timer = setInterval(() => context.heartbeat(), (HEARTBEAT_TIMEOUT_SECONDS * 1000) / 4);
      try {
        return await activity(...args);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as T;
}
