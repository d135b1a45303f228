import type { Config } from '../config.js';
import type { PrismaClient } from '../generated/prisma/client.js';
import { log } from '../lib/logger.js';
import { PROVIDERS } from '../providers/registry.js';
import { hookContext } from './provider-call.js';

const DAY_MS = 86_400_000;

/**
 * Runs each configured provider's upkeep (provider.ts) once now and then daily, for providers with at least one
 * active connection in any workspace: app-level state such as Oura's webhook subscriptions serves connected users,
 * so an install without any asks the provider for nothing. Every instance runs it; the upkeep is idempotent.
 */
export function startProviderUpkeep(db: PrismaClient, config: Config): { close(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  async function runOnce(): Promise<void> {
    for (const provider of PROVIDERS) {
      if (closed || !provider.upkeep || !provider.isConfigured(config)) continue;
      try {
        const active = await db.connection.count({ where: { providerId: provider.id, status: 'ACTIVE' } });
        if (active > 0) await provider.upkeep(config, hookContext({ config }, provider.id));
      } catch (error) {
        log.warn(`${provider.id} upkeep failed`, { error: (error as Error).message });
      }
    }
  }

  const run = () => {
    running = running.then(runOnce);
  };
  // Not awaited by start-up: a provider that is slow to answer must not hold the server back.
  const first = setTimeout(run, 0);
  const daily = setInterval(run, DAY_MS);
  daily.unref();
  return {
    async close() {
      closed = true;
      clearTimeout(first);
      clearInterval(daily);
      await running;
    },
  };
}
