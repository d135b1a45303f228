import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { Scope } from '../auth/scopes.js';
import { callReadTool, type RestFetch } from './dispatch.js';
import { toolsFor, type ReadTool } from './tools.js';

export const SERVER_INFO = { name: 'vitasync', title: 'VitaSync', version: '1.0.0' };

const INSTRUCTIONS = `VitaSync's reads of a workspace's users and their health data. Each tool is a read route of the REST API
(/v1), named after its GraphQL field, with the same parameters, validation and answers. Users are found with
\`users\` (each has an id, the userId of the other tools); calendar days are YYYY-MM-DD in the user's time zone.`;

/**
 * One MCP server for one caller: the low-level SDK server (tools are plain JSON Schemas from the OpenAPI document,
 * which McpServer's zod registration would not take), listing the tools the caller's scope grants and running each
 * call as its REST request.
 */
export function createMcpServer(tools: readonly ReadTool[], scope: Scope, send: RestFetch, origin: string): Server {
  const server = new Server(SERVER_INFO, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  const byName = new Map(tools.map((entry) => [entry.tool.name, entry]));
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: toolsFor(tools, scope).map((entry) => entry.tool) }));
  server.setRequestHandler(CallToolRequestSchema, (request) => {
    const entry = byName.get(request.params.name);
    // A tool this scope may not call is still run: REST's 403 says which scope it needs.
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `unknown tool ${request.params.name}; tools/list names the tools`);
    return callReadTool(entry, request.params.arguments ?? {}, send, origin);
  });
  return server;
}
