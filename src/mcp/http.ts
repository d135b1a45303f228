import type { Principal } from '../auth/authenticate.js';
import { Forbidden, MethodNotAllowed } from '../lib/errors.js';
import type { RestFetch } from './dispatch.js';
import type { ReadTool } from './tools.js';

/** Where the MCP endpoint is served, on the API's own port. */
export const MCP_PATH = '/mcp';

export interface McpHttpOptions {
  tools: readonly ReadTool[];
  /** The largest JSON-RPC body read (MAX_BODY_BYTES, as for REST). */
  maxBodyBytes: number;
  /** Browser origins allowed to call (CORS_ORIGINS); a request from any other origin is refused. */
  corsOrigins: readonly string[];
}

/**
 * The Streamable HTTP transport of MCP at /mcp, stateless: every POST carries its own JSON-RPC request and is
 * answered with JSON, by a server made for that request's caller (no session to keep or to hijack). There is no
 * stream to open with GET and no session to end with DELETE: 405. The caller is already authenticated (app.ts), and
 * `send` runs a tool's REST request as that caller.
 */
export function createMcpHttpHandler(options: McpHttpOptions) {
  return async function handle(request: Request, principal: Principal, send: RestFetch): Promise<Response> {
    if (request.method !== 'POST') throw new MethodNotAllowed(`${request.method} is not allowed on ${MCP_PATH}; use POST`, ['POST']);
    // MCP's transport rule against DNS rebinding: a browser's request carries its Origin, which must be allowed.
    const origin = request.headers.get('origin');
    if (origin && !options.corsOrigins.includes(origin)) throw new Forbidden(`origin ${origin} may not call ${MCP_PATH}`);
    // The MCP SDK loads with the first MCP call: start-up of a server that may never get one stays short.
    const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
      import('./server.js'),
    ]);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
      maxRequestBodySize: options.maxBodyBytes,
    });
    const server = createMcpServer(options.tools, principal.scope, send, new URL(request.url).origin);
    await server.connect(transport);
    try {
      return await transport.handleRequest(request);
    } finally {
      await server.close();
    }
  };
}
