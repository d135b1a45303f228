import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grants } from '../../src/auth/scopes.js';
import { addDays } from '../../src/lib/time.js';
import { REST_ROUTES } from '../../src/server/rest/routes.js';
import { aKey, atLocal, aUser, localDays, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ZONE = 'Europe/Berlin';
const AS_OF = '2025-06-30';

/** An MCP client of the server's /mcp endpoint, as any MCP host connects: the SDK's own client and transport. */
async function mcpClient(t: TestServer, key: string | null): Promise<Client> {
  const client = new Client({ name: 'vitasync-test', version: '1.0.0' });
  const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
  await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', t.url), { requestInit: { headers } }));
  return client;
}

/** The tool answer's JSON body, read from its text content. */
function body(result: CallToolResult): unknown {
  const [first] = result.content;
  expect(first?.type).toBe('text');
  return JSON.parse((first as { text: string }).text);
}

function text(result: CallToolResult): string {
  return (result.content[0] as { text: string }).text;
}

/** The route table's reads, by their GraphQL field: every GET a field serves, and read-scope POSTs. */
function readFieldsOfTheRouteTable(scope: 'read' | 'admin'): string[] {
  return REST_ROUTES.filter((r) => r.field && r.scope !== 'none' && (r.method === 'GET' || r.scope === 'read'))
    .filter((r) => grants(scope, r.scope as 'read'))
    .map((r) => r.field!.split('.')[1]!)
    .sort();
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`the MCP server at /mcp on ${engine}`, () => {
    let t: TestServer;
    let readKey: string;
    beforeAll(async () => {
      t = await startTestServer(engine);
      readKey = (await aKey(t, { scope: 'read' })).key;
    });
    afterAll(() => t?.close());

    /** A user with the 30 mornings before AS_OF of resting heart rate (56–60 in turn) and two step counts on AS_OF, in Berlin. */
    async function aUserWithData(): Promise<string> {
      const userId = (await aUser(t, { timezone: ZONE })).id;
      const calm = [56, 57, 58, 59, 60];
      await pushSamples(t, userId, [
        ...localDays(addDays(AS_OF, -30), 30).map((day, i) => ({
          metricType: 'resting_heart_rate',
          value: calm[i % calm.length]!,
          recordedAt: atLocal(ZONE, day, 6).toISOString(),
        })),
        // 23:30 in Berlin is 21:30 UTC: both count for AS_OF.
        { metricType: 'steps', value: 1200, recordedAt: atLocal(ZONE, AS_OF, 9).toISOString() },
        { metricType: 'steps', value: 800, recordedAt: atLocal(ZONE, AS_OF, 23.5).toISOString() },
      ]);
      return userId;
    }

    it('lists every read of the route table as a tool named after its GraphQL field, and no write', async () => {
      const client = await mcpClient(t, readKey);
      const { tools } = await client.listTools();
      const names = tools.map((tool) => tool.name).sort();
      expect(names).toEqual(readFieldsOfTheRouteTable('read'));
      expect(names).toEqual(
        expect.arrayContaining(['baselines', 'dailySummaries', 'readiness', 'discoverCorrelations', 'detectAnomalies']),
      );
      for (const write of ['createTrainingPlan', 'ingestHealthSamples', 'createUser', 'deleteHealthData'])
        expect(names).not.toContain(write);
      // Admin reads are listed for admin keys only.
      expect(names).not.toContain('apiKeys');
      const admin = await mcpClient(t, t.adminKey);
      expect((await admin.listTools()).tools.map((tool) => tool.name).sort()).toEqual(readFieldsOfTheRouteTable('admin'));

      const daily = tools.find((tool) => tool.name === 'dailySummaries')!;
      expect(daily.description).toContain('Per-day metric totals');
      expect(daily.annotations).toMatchObject({ readOnlyHint: true });
      expect(daily.inputSchema).toMatchObject({ type: 'object', required: ['userId'], additionalProperties: false });
      expect(daily.inputSchema.properties).toMatchObject({
        userId: { type: 'string' },
        from: { type: 'string', format: 'date' },
        limit: { type: 'integer', minimum: 1, maximum: 500 },
        metricType: { type: 'array' },
      });
      const correlations = tools.find((tool) => tool.name === 'discoverCorrelations')!;
      // A body field that may be left out takes null, as in the OpenAPI document.
      expect(correlations.inputSchema.properties).toMatchObject({ maxLag: { type: ['integer', 'null'], minimum: 0, maximum: 3 } });
      await Promise.all([client.close(), admin.close()]);
    });

    it('answers dailySummaries, baselines and readiness as REST does, for a read key', async () => {
      const userId = await aUserWithData();
      const client = await mcpClient(t, readKey);
      const calls: [string, Record<string, unknown>, string][] = [
        [
          'dailySummaries',
          { userId, metricType: ['steps'], from: AS_OF, to: AS_OF },
          `health/daily-summaries?metricType=steps&from=${AS_OF}&to=${AS_OF}`,
        ],
        ['baselines', { userId, asOf: AS_OF, metricType: ['resting_heart_rate'] }, `baselines?asOf=${AS_OF}&metricType=resting_heart_rate`],
        ['readiness', { userId, asOf: AS_OF }, `readiness?asOf=${AS_OF}`],
      ];
      const answers: Record<string, any> = {};
      for (const [tool, args, path] of calls) {
        const result = (await client.callTool({ name: tool, arguments: args })) as CallToolResult;
        expect(result.isError, text(result)).toBeFalsy();
        const rest = await t.api('GET', `/v1/users/${userId}/${path}`, { key: readKey });
        expect(rest.status).toBe(200);
        expect(body(result), tool).toEqual(rest.body);
        expect(result.structuredContent).toEqual(rest.body);
        answers[tool] = rest.body;
      }
      // What a user would check: 1200 + 800 steps on the day, and the 30-day baseline
      // before the day: 30 mornings of 56–60 in turn (median 58).
      expect(answers.dailySummaries.data.map((d: any) => [d.date, d.value])).toEqual([[AS_OF, 2000]]);
      expect(answers.baselines.baselines.find((b: any) => b.windowDays === 30)).toMatchObject({ n: 30, median: 58 });
      await client.close();
    });

    it('computes a read-scope POST (detectAnomalies) from the body fields, as REST does', async () => {
      const userId = await aUserWithData();
      const client = await mcpClient(t, readKey);
      const args = { from: AS_OF, to: AS_OF, metricTypes: ['resting_heart_rate'] };
      const result = (await client.callTool({ name: 'detectAnomalies', arguments: { userId, ...args } })) as CallToolResult;
      expect(result.isError, text(result)).toBeFalsy();
      const rest = await t.api('POST', `/v1/users/${userId}/analytics/anomalies`, { key: readKey, body: args });
      expect(rest.status).toBe(200);
      expect(body(result)).toEqual(rest.body);
      await client.close();
    });

    it('answers a user of another workspace with the REST 404, as a tool error', async () => {
      const userId = await aUserWithData();
      const otherKey = (await t.newWorkspace()).adminKey;
      const other = await mcpClient(t, otherKey);
      const foreign = await t.api('GET', `/v1/users/${userId}/baselines`, { key: otherKey });
      expect(foreign.status).toBe(404);
      const result = (await other.callTool({ name: 'baselines', arguments: { userId } })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(text(result)).toBe(foreign.body.message);
      expect(result.structuredContent).toEqual(foreign.body);
      await other.close();
    });

    it('refuses a bad parameter with the REST message naming it, and an unknown argument by name', async () => {
      const userId = (await aUser(t)).id;
      const client = await mcpClient(t, readKey);
      const rest = await t.api('GET', `/v1/users/${userId}/readiness?asOf=yesterday`, { key: readKey });
      expect(rest.status).toBe(400);
      expect(rest.body.message).toContain('asOf');
      const bad = (await client.callTool({ name: 'readiness', arguments: { userId, asOf: 'yesterday' } })) as CallToolResult;
      expect([bad.isError, text(bad)]).toEqual([true, rest.body.message]);
      expect(bad.structuredContent).toMatchObject({ statusCode: 400 });

      const tooLong = (await client.callTool({ name: 'trainingLoad', arguments: { userId, days: 366 } })) as CallToolResult;
      expect(tooLong.isError).toBe(true);
      expect(tooLong.structuredContent).toMatchObject({ statusCode: 422 });
      expect(text(tooLong)).toContain('days');

      const unknown = (await client.callTool({ name: 'readiness', arguments: { userId, day: AS_OF } })) as CallToolResult;
      expect(unknown.isError).toBe(true);
      expect(text(unknown)).toMatch(/no argument day; it takes userId, .*asOf/);
      const noUser = (await client.callTool({ name: 'readiness', arguments: {} })) as CallToolResult;
      expect([noUser.isError, text(noUser)]).toEqual([true, 'path parameter userId is required']);
      await client.close();
    });

    it('runs an admin read for a read key as REST does (403), and knows no write tool', async () => {
      const client = await mcpClient(t, readKey);
      const result = (await client.callTool({ name: 'apiKeys', arguments: {} })) as CallToolResult;
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toMatchObject({ statusCode: 403 });
      expect(text(result)).toContain('"admin"');
      await expect(client.callTool({ name: 'createTrainingPlan', arguments: {} })).rejects.toThrow(/unknown tool createTrainingPlan/);
      await client.close();
    });

    it('refuses a missing or invalid key with 401 and a Bearer challenge', async () => {
      const missing = await mcpClient(t, null).catch((error: unknown) => error);
      expect(missing).toBeInstanceOf(StreamableHTTPError);
      expect((missing as StreamableHTTPError).code).toBe(401);
      const invalid = await mcpClient(t, 'vs_live_notakeyofthisserver0000000000000').catch((error: unknown) => error);
      expect((invalid as StreamableHTTPError).code).toBe(401);

      const initialize = {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'curl', version: '1' } },
      };
      const post = (headers: Record<string, string>) =>
        fetch(`${t.url}/mcp`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
          body: JSON.stringify(initialize),
        });
      const bare = await post({});
      expect(bare.status).toBe(401);
      expect(bare.headers.get('www-authenticate')).toBe('Bearer realm="vitasync"');
      expect(await bare.json()).toMatchObject({ statusCode: 401, message: expect.stringContaining('API key') });
      const wrong = await post({ authorization: 'Bearer vs_live_notakeyofthisserver0000000000000' });
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('www-authenticate')).toContain('error="invalid_token"');
      const ok = await post({ authorization: `Bearer ${readKey}` });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ id: 1, result: { serverInfo: { name: 'vitasync' } } });
      // An API answer like any other: counted against the key's rate limit, never cached, never framed.
      expect(ok.headers.get('ratelimit-limit')).toBeTruthy();
      expect(ok.headers.get('cache-control')).toBe('no-store');
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('answers GET and DELETE with 405 (stateless: no stream, no session) and refuses a foreign browser origin', async () => {
      for (const method of ['GET', 'DELETE']) {
        const response = await t.api(method, '/mcp', { key: readKey });
        expect(response.status, method).toBe(405);
        expect(response.headers.get('allow')).toBe('POST');
      }
      const foreign = await t.api('POST', '/mcp', { key: readKey, body: {}, headers: { origin: 'https://evil.example' } });
      expect(foreign.status).toBe(403);
    });
  });
}
