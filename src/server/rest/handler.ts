import { MISSING_KEY_MESSAGE } from '../../auth/authenticate.js';
import type { GraphQLSchema } from 'graphql';
import { grants } from '../../auth/scopes.js';
import { Forbidden, MethodNotAllowed, NotFound, Unauthorized } from '../../lib/errors.js';
import type { RequestContext } from '../request-context.js';
import { restErrorResponse, toPublicError } from '../errors.js';
import { readJsonBody } from './body.js';
import { REST_BASE, matchRoute, type RestRoute } from './routes.js';
import { serveBrowserRoute } from './browser-routes.js';
import { compiledRunner } from './compiled-operations.js';
import { restOperations } from './operations.js';
import { restVariables } from './variables.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * Serves /v1: matches the route table once (404/405), takes the field's arguments from the path, the query string
 * and the body (refused in REST words), runs SOFA's operation for the field and settles the status.
 */
export function createRestHandler(schema: GraphQLSchema) {
  const operations = restOperations(schema);
  const run = compiledRunner(schema);
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
    const operation = operations.get(match.route)!;
    const body = BODY_METHODS.has(request.method) ? await readJsonBody(request, ctx.config.maxBodyBytes) : null;
    const variableValues = restVariables(operation.args, { path: match.params, query: url.searchParams, body });
    const result = await run(operation, ctx, variableValues);
    if (result.errors?.length) return restErrorResponse(toPublicError(result.errors[0]));
    const status = ctx.response.status ?? match.route.status;
    if (status === 204) return new Response(null, { status: 204 });
    return withoutBodyIf(head, Response.json(result.data?.[operation.fieldName] ?? null, { status }));
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
