import { loadConfig } from './config.js';
import { log } from './lib/logger.js';
import { startServer } from './server/start.js';

const config = loadConfig();
const server = await startServer(config);

if (server.generatedAdminKey) {
  // Printed once, on the first start only: the key is stored as a hash and cannot be shown again.
  process.stdout.write(
    `\n  VitaSync admin API key (shown once — store it now):\n\n    ${server.generatedAdminKey}\n\n` +
      `  REST:    ${server.url}/v1   (reference: ${server.url}/docs)\n  GraphQL: ${server.url}/graphql\n\n`,
  );
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error) => {
        log.error('shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  });
}
