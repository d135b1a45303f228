/**
 * CORS for browser apps on an allow-list (CORS_ORIGINS, comma-separated exact origins; none by default, since
 * API keys belong on servers). Preflights of allowed origins get 204 with the methods and headers the API uses.
 */
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
// Mcp-Protocol-Version: the MCP transport's header (/mcp), sent by browser MCP clients after initialization.
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Request-Id, Mcp-Protocol-Version';
const EXPOSED_HEADERS = 'X-Request-Id, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, Retry-After';

export function corsHeaders(allowed: readonly string[], origin: string | null): Record<string, string> {
  if (!origin || !allowed.includes(origin)) return {};
  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': EXPOSED_HEADERS, Vary: 'Origin' };
}

export function preflightResponse(allowed: readonly string[], origin: string | null): Response {
  const headers = corsHeaders(allowed, origin);
  if (!headers['Access-Control-Allow-Origin']) return new Response(null, { status: 204, headers: { Vary: 'Origin' } });
  return new Response(null, {
    status: 204,
    headers: {
      ...headers,
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Allow-Headers': ALLOWED_HEADERS,
      'Access-Control-Max-Age': '600',
    },
  });
}
