/**
 * Creates another workspace (tenant) with its own admin key, printed once:
 *   npm run workspace:create -- "Acme Health"
 * Uses the same DATABASE_URL / VITASYNC_DATA_DIR as the server (stop the server first when on PGlite:
 * an embedded database has one owner at a time).
 */
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { systemClock } from '../src/lib/time.js';
import { createWorkspace } from '../src/workspaces/workspaces.js';

const name = process.argv.slice(2).join(' ').trim();
if (!name) {
  process.stderr.write('usage: npm run workspace:create -- "<workspace name>"\n');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
await migrate(database);
const created = await createWorkspace({ db: database.prisma, sql: database, clock: systemClock }, name);
process.stdout.write(
  `workspace ${created.workspace.id} "${created.workspace.name}"\nadmin API key (shown once): ${created.adminKey.key}\n`,
);
await database.close();
