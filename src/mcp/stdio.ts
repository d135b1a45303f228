import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { MCP_PATH } from './http.js';
import { SERVER_INFO } from './server.js';

export interface StdioOptions {
  /** The running VitaSync server's base URL (VITASYNC_URL), e.g. http://localhost:3000. */
  url: string;
  /** A VitaSync API key (VITASYNC_API_KEY): the tools and data are this key's. */
  apiKey: string;
}

/**
 * The stdio transport of MCP, for clients that start their servers as processes (Claude Desktop and most others):
 * a client of the server's own /mcp endpoint with the key, offered again over stdin/stdout. Tools, scopes,
 * validation and answers are therefore exactly those of /mcp (and of REST behind it), whatever version the
 * server runs; this process holds no database and no schema.
 */
export async function serveStdio(options: StdioOptions): Promise<Server> {
  const remote = new Client({ name: 'vitasync-stdio', version: SERVER_INFO.version });
  // Connecting first proves the URL and the key: a wrong one fails at start, where the client's log shows it.
  await remote.connect(
    new StreamableHTTPClientTransport(new URL(options.url.replace(/\/+$/, '') + MCP_PATH), {
      requestInit: { headers: { Authorization: `Bearer ${options.apiKey}` } },
    }),
  );
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: remote.getInstructions() });
  server.setRequestHandler(ListToolsRequestSchema, (request) => remote.listTools(request.params));
  server.setRequestHandler(CallToolRequestSchema, (request) => remote.callTool(request.params));
  server.onclose = () => void remote.close();
  await server.connect(new StdioServerTransport());
  return server;
}
