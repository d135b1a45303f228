import type { GraphQLSchema } from 'graphql';
import { authenticate, MISSING_KEY_MESSAGE, type Principal } from '../auth/authenticate.js';
import type { Config } from '../config.js';
import type { TokenKeys } from '../connections/token-crypto.js';
import type { JobRunner } from '../jobs/port.js';
import type { Database } from '../db/client.js';
import type { LiveBus } from '../live/bus.js';
import type { FileStorage } from '../files/storage.js';
import { NotFound, RateLimited, Unauthorized } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { log, requestScope } from '../lib/logger.js';
import { UNCACHED, type LookupCache, type LookupSnapshot } from '../lib/lookup-cache.js';
import type { Clock } from '../lib/time.js';
import { printOpenApi } from './contracts.js';
import { corsHeaders, preflightResponse } from './cors.js';
import { serveDocs } from './docs.js';
import { graphqlErrorResponse, restErrorResponse, toPublicError } from './errors.js';
import { createGraphQLHandler } from './graphql.js';
import { healthResponse } from './health.js';
import { rateLimitHeaders, type RateLimiter } from './rate-limit.js';
import type { RequestContext } from './request-context.js';
import { createRestHandler } from './rest/handler.js';
import { createMcpHttpHandler, MCP_PATH } from '../mcp/http.js';
import { readTools } from '../mcp/tools.js';

export interface AppDeps {
  schema: GraphQLSchema;
  database: Database;
  config: Config;
  clock: Clock;
  live: LiveBus;
  jobs: JobRunner;
  tokenKeys: TokenKeys;
  rateLimiter: RateLimiter;
  storage: FileStorage;
  /** API keys and users cached across requests, invalidated on change (src/lib/lookup-cache.ts). */
  lookups: LookupCache;
}

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
};

// API answers are data, never pages: nothing in them may run or be framed, and health data is never cached.
const DATA_HEADERS = { 'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'", 'Cache-Control': 'no-store' };

const REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;
/** The push endpoint of a provider (POST, and the GET of its subscription check). */
const PROVIDER_PUSH = /^\/v1\/providers\/[^/]+\/push$/;

/** The Bearer challenge of a refused key: `invalid_token` when one was sent (RFC 6750 §3.1). */
function bearerChallenge(request: Request): string {
  return request.headers.get('authorization') ? 'Bearer realm="vitasync", error="invalid_token"' : 'Bearer realm="vitasync"';
}

function isGraphiQLPage(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html');
}

/** The API surfaces behind an API key: REST (/v1), GraphQL (/graphql) and MCP (/mcp). */
type Surface = 'rest' | 'graphql' | 'mcp';

/** One fetch handler for everything served over HTTP: /health, /docs, /v1 (REST), /graphql, /mcp. */
export function createApp(deps: AppDeps) {
  const yoga = createGraphQLHandler(deps.schema, { production: deps.config.production });
  const rest = createRestHandler(deps.schema);
  const openApi = printOpenApi(deps.schema);
  const mcp = createMcpHttpHandler({
    tools: readTools(JSON.parse(openApi)),
    maxBodyBytes: deps.config.maxBodyBytes,
    corsOrigins: deps.config.corsOrigins,
  });

  /** `lookups`: the request's view of the key and user cache; a subscription, which lives on, reads without it. */
  function contextFor(principal: Principal | null, requestId: string, lookups: LookupSnapshot = UNCACHED): RequestContext {
    const { database, clock, live, config, jobs, tokenKeys, storage } = deps;
    return {
      db: database.prisma,
      sql: database,
      clock,
      live,
      config,
      jobs,
      tokenKeys,
      storage,
      principal,
      requestId,
      response: {},
      lookups,
      lookupCache: deps.lookups,
    };
  }

  /**
   * An MCP tool call's REST request, run in-process as the MCP request's caller: no network hop, and the key is
   * authenticated and counted against its rate limit once, for the MCP request.
   */
  function restAs(principal: Principal, requestId: string, lookups: LookupSnapshot) {
    return async (request: Request): Promise<Response> => {
      try {
        return await rest.handle(request, contextFor(principal, requestId, lookups));
      } catch (error) {
        return restErrorResponse(toPublicError(error));
      }
    };
  }

  /** Authenticates, counts the request against its caller's rate limit, then runs the API. */
  async function serveApi(request: Request, requestId: string, clientAddress: string, surface: Surface): Promise<Response> {
    const isGraphQL = surface === 'graphql';
    let limitHeaders: Record<string, string> = {};
    try {
      // A provider's push authenticates by the provider's own scheme, and its Authorization header (Google Health
      // sends its subscriber secret there) is no API key.
      const lookups = await deps.lookups.snapshot();
      const principal = PROVIDER_PUSH.test(new URL(request.url).pathname)
        ? null
        : await authenticate(deps.database.prisma, deps.clock, request.headers.get('authorization'), lookups);
      // GraphQL answers a missing key as REST does (401), not with a 200 carrying errors; only the GraphiQL page
      // itself (a browser's GET for HTML) loads without one.
      // MCP has no page and no route without a key.
      if (!principal && (surface === 'mcp' || (isGraphQL && !isGraphiQLPage(request)))) throw new Unauthorized(MISSING_KEY_MESSAGE);
      const outcome = await deps.rateLimiter.hit(principal ? `key:${principal.keyId}` : `ip:${clientAddress}`);
      limitHeaders = rateLimitHeaders(outcome);
      if (!outcome.allowed) {
        throw new RateLimited(
          `rate limit of ${outcome.limit} requests per ${deps.config.rateLimit.windowSeconds} s exceeded; retry after ${outcome.resetSeconds} s`,
          outcome.resetSeconds,
        );
      }
      const ctx = contextFor(principal, requestId, lookups);
      const response =
        surface === 'mcp' && principal
          ? await mcp(request, principal, restAs(principal, requestId, lookups))
          : isGraphQL
            ? await yoga.fetch(request, ctx)
            : await rest.handle(request, ctx);
      for (const [name, value] of Object.entries(limitHeaders)) response.headers.set(name, value);
      return response;
    } catch (error) {
      const pub = toPublicError(error);
      if (isGraphQL) return graphqlErrorResponse(pub, limitHeaders);
      // RFC 6750 §3: a bearer resource answers 401 with its challenge, which MCP clients read.
      const challenge: Record<string, string> =
        surface === 'mcp' && pub.status === 401 ? { 'WWW-Authenticate': bearerChallenge(request) } : {};
      return restErrorResponse(pub, { ...limitHeaders, ...challenge });
    }
  }

  async function route(request: Request, requestId: string, clientAddress: string): Promise<Response> {
    const { pathname } = new URL(request.url);
    if (request.method === 'OPTIONS') return preflightResponse(deps.config.corsOrigins, request.headers.get('origin'));
    if (pathname === '/health') return healthResponse(deps.database);
    if (pathname === '/v1/openapi.json' && request.method === 'GET') {
      return new Response(openApi, { headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    }
    if (pathname === '/docs' || pathname.startsWith('/docs/')) {
      const page = await serveDocs(pathname);
      if (page) return page;
    }
    if (pathname === '/graphql') return serveApi(request, requestId, clientAddress, 'graphql');
    if (pathname === MCP_PATH) return serveApi(request, requestId, clientAddress, 'mcp');
    if (pathname === '/v1' || pathname.startsWith('/v1/')) return serveApi(request, requestId, clientAddress, 'rest');
    return restErrorResponse(
      toPublicError(new NotFound(`no route ${request.method} ${pathname}; the API lives under /v1, /graphql and /mcp`)),
    );
  }

  async function fetch(request: Request, clientAddress = 'unknown'): Promise<Response> {
    const given = request.headers.get('x-request-id');
    const requestId = given && REQUEST_ID.test(given) ? given : newId();
    return requestScope.run({ requestId }, async () => {
      const started = performance.now();
      let response: Response;
      try {
        response = await route(request, requestId, clientAddress);
      } catch (error) {
        response = restErrorResponse(toPublicError(error));
      }
      // Some responses (e.g. fetch-created Response.json) have immutable headers; copy when needed.
      try {
        response.headers.set('X-Request-Id', requestId);
      } catch {
        response = new Response(response.body, response);
        response.headers.set('X-Request-Id', requestId);
      }
      const isData = (response.headers.get('content-type') ?? '').includes('json') && !response.headers.has('cache-control');
      const headers = {
        ...SECURITY_HEADERS,
        ...(isData ? DATA_HEADERS : {}),
        ...corsHeaders(deps.config.corsOrigins, request.headers.get('origin')),
      };
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      log.info('request', {
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
      });
      return response;
    });
  }

  return { fetch, yoga, contextFor, live: deps.live };
}

export type App = ReturnType<typeof createApp>;
