import { Context } from '@temporalio/activity';
import { HEARTBEAT_TIMEOUT_SECONDS } from './heartbeat-timeout.js';

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
