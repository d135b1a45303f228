import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const root = new URL('../..', import.meta.url).pathname;

/** `npm run mcp` as the README's host configuration starts it, speaking MCP on its stdin and stdout. */
function stdioTransport(env: Record<string, string>): StdioClientTransport {
  return new StdioClientTransport({
    command: 'npm',
    args: ['--silent', '--prefix', root, 'run', 'mcp'],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'pipe',
  });
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`the MCP stdio entry (npm run mcp) against a server on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('lists the key’s tools and answers a call as REST does', async () => {
      const key = (await aKey(t, { scope: 'read' })).key;
      const userId = (await aUser(t, { timezone: 'Asia/Kolkata' })).id;
      const client = new Client({ name: 'vitasync-test', version: '1.0.0' });
      await client.connect(stdioTransport({ VITASYNC_URL: t.url, VITASYNC_API_KEY: key }));
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toEqual(expect.arrayContaining(['user', 'users', 'baselines', 'dailySummaries', 'readiness']));
      expect(names).not.toContain('apiKeys');

      const result = (await client.callTool({ name: 'user', arguments: { userId } })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const rest = await t.api('GET', `/v1/users/${userId}`, { key });
      expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(rest.body);
      expect(rest.body).toMatchObject({ id: userId, timezone: 'Asia/Kolkata' });

      const bad = (await client.callTool({ name: 'readiness', arguments: { userId, asOf: 'yesterday' } })) as CallToolResult;
      expect(bad.isError).toBe(true);
      expect((bad.content[0] as { text: string }).text).toContain('asOf');
      await client.close();
    });

    it('exits at start with a message on stderr when the key is refused', async () => {
      const transport = stdioTransport({ VITASYNC_URL: t.url, VITASYNC_API_KEY: 'vs_live_notakeyofthisserver0000000000000' });
      let stderr = '';
      transport.stderr?.on('data', (chunk) => (stderr += chunk));
      const client = new Client({ name: 'vitasync-test', version: '1.0.0' });
      await expect(client.connect(transport)).rejects.toThrow();
      expect(stderr).toMatch(/cannot reach .*\/mcp with this key.*401/s);
    });
  });
}
