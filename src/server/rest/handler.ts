import { MISSING_KEY_MESSAGE } from '../../auth/authenticate.js';
import type { GraphQLSchema } from 'graphql';
import { grants } from '../../auth/scopes.js';
import { BadRequest, Forbidden, MethodNotAllowed, NotFound, Unauthorized } from '../../lib/errors.js';
import type { RequestContext } from '../request-context.js';
import { readJsonBody } from './body.js';
import { REST_BASE, matchRoute, type RestRoute } from './routes.js';
import { createSofaRouter, setBodyVariables } from './sofa-router.js';
import { serveBrowserRoute } from './browser-routes.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Serves /v1: matches the route table (404/405), checks the body, lets SOFA run the field, settles the status. */
export function createRestHandler(schema: GraphQLSchema) {
  const router = createSofaRouter(schema);
  const handle = async (request: Request, ctx: RequestContext): Promise<Response> => {
    const url = new URL(request.url);
    // HEAD is GET without the body (RFC 9110 §9.3.2): some providers probe a callback URL that way (Withings).
    const head = request.method === 'HEAD';
    const match = matchRoute(head ? 'GET' : request.method, url.pathname.slice(REST_BASE.length) || '/');
    if (!match) throw new NotFound(`no route ${request.method} ${url.pathname}; the routes are listed in /v1/openapi.json`);
    if ('allowed' in match) {
      throw new MethodNotAllowed(`${request.method} is not allowed on ${url.pathname}; use ${match.allowed.join(', ')}`, match.allowed);
    }
    // A caller without the route's scope hears 401/403 before anything about its input; the schema's scope rules
    // (the authority, for GraphQL too) decide the same way once the field runs.
    assertRouteScope(match.route, ctx);
    if (match.route.browser)
      return withoutBodyIf(head, await serveBrowserRoute(match.route.browser, request, ctx, ctx.config.maxPushBodyBytes));
    // SOFA reads `?to=` as no `to` at all; an empty value is malformed input, not an omission.
    for (const [name, value] of url.searchParams) {
      if (value === '') throw new BadRequest(`query parameter "${name}" is empty: give it a value or leave it out`);
    }
    const body = BODY_METHODS.has(request.method) ? await readJsonBody(request, ctx.config.maxBodyBytes) : '';
    if (body) {
      // What SOFA takes from the body: the names the path and the query string do not give (they win).
      const inPath = new Set(Array.from(match.route.path.matchAll(/:([A-Za-z]+)/g), (m) => m[1]));
      const fromBody = Object.entries(JSON.parse(body) as Record<string, unknown>).filter(
        ([name]) => !inPath.has(name) && !url.searchParams.has(name),
      );
      setBodyVariables(ctx, Object.fromEntries(fromBody));
    }
    const headers = new Headers(request.headers);
    headers.set('content-type', 'application/json');
    const forwarded = new Request(url, {
      method: head ? 'GET' : request.method,
      headers,
      body: body || (BODY_METHODS.has(request.method) ? '{}' : undefined),
    });
    const response = withoutBodyIf(head, await router.fetch(forwarded, { vitasync: ctx }));
    if (response.status >= 400) return response;
    const status = ctx.response.status ?? match.route.status;
    if (status === 204) return new Response(null, { status: 204 });
    if (status !== response.status) return new Response(response.body, { status, headers: response.headers });
    return response;
  };
  return { handle };
}

function withoutBodyIf(head: boolean, response: Response): Response {
  return head ? new Response(null, { status: response.status, headers: response.headers }) : response;
}

function assertRouteScope(route: RestRoute, ctx: RequestContext): void {
  if (route.scope === 'none') return;
  if (!ctx.principal) throw new Unauthorized(MISSING_KEY_MESSAGE);
  if (!grants(ctx.principal.scope, route.scope)) {
    throw new Forbidden(
      `this API key's scope "${ctx.principal.scope}" does not allow ${route.method} /v1${route.path} (needs "${route.scope}")`,
    );
  }
}
