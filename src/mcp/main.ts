import { serveStdio } from './stdio.js';

/**
 * `npm run mcp`: VitaSync's MCP server over stdio for a client that starts it as a process. Reads VITASYNC_URL (the
 * running server) and VITASYNC_API_KEY; stdout carries the protocol only, so every word for humans goes to stderr.
 */
const url = process.env.VITASYNC_URL || 'http://localhost:3000';
const apiKey = process.env.VITASYNC_API_KEY;

if (!apiKey) {
  process.stderr.write('vitasync mcp: set VITASYNC_API_KEY to a VitaSync API key (vs_live_…)\n');
  process.exit(2);
}

try {
  await serveStdio({ url, apiKey });
  process.stderr.write(`vitasync mcp: serving ${url} over stdio\n`);
} catch (error) {
  process.stderr.write(`vitasync mcp: cannot reach ${url}/mcp with this key: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
