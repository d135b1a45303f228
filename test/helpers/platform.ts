import { loadConfig, type Config } from '../../src/config.js';
import type { Platform } from '../../src/jobs/platform.js';
import { loadTokenKeys } from '../../src/connections/token-keys.js';
import type { ServiceContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { startJobEngine } from '../../src/jobs/engine.js';
import { systemClock } from '../../src/lib/time.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { createScratchDatabase, type Engine } from './engines.js';

/** A migrated in-memory database with the real platform (job engine) and one workspace, for service tests. */
export async function openTestPlatform(
  overrides: Partial<Config> = {},
): Promise<{ database: Database; ctx: ServiceContext; close(): Promise<void> }> {
  const config: Config = { ...loadConfig({}), dataDir: 'memory://', ...overrides };
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database);
  const tokenKeys = loadTokenKeys(config);
  const jobs = await startJobEngine({ database, config, clock: systemClock, tokenKeys });
  const platform: Platform = { db: database.prisma, sql: database, clock: systemClock, jobs, config, tokenKeys };
  const { workspace } = await createWorkspace(platform, 'test');
  return {
    database,
    ctx: { ...platform, workspaceId: workspace.id },
    close: async () => {
      await jobs.close();
      await database.close();
    },
  };
}

/** openTestPlatform on one engine: PGlite in memory, or a scratch PostgreSQL database dropped on close. */
export async function openEnginePlatform(
  engine: Engine,
  overrides: Partial<Config> = {},
): Promise<{ ctx: ServiceContext; database: Database; databaseUrl: string | null; close(): Promise<void> }> {
  const scratch = engine === 'postgres' ? await createScratchDatabase() : null;
  const platform = await openTestPlatform({ ...overrides, ...(scratch && { databaseUrl: scratch.url }) });
  return {
    ctx: platform.ctx,
    database: platform.database,
    databaseUrl: scratch?.url ?? null,
    close: async () => {
      await platform.close();
      await scratch?.drop();
    },
  };
}
