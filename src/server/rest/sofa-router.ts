import { filterSchema } from '@graphql-tools/utils';
import { execute, GraphQLSchema, type ExecutionArgs } from 'graphql';
import { useSofa } from 'sofa-api';
import type { RequestContext } from '../request-context.js';
import { restErrorResponse, toPublicError } from '../errors.js';
import { REST_BASE, REST_ROUTES } from './routes.js';

/** The server context SOFA hands back to us: the request's GraphQL context, built before dispatch. */
export interface SofaServerContext {
  vitasync: RequestContext;
}

/**
 * The JSON body values of the request being served, by variable name. SOFA passes every value it picks through
 * its scalar's `serialize`, which is lenient (false → "false", true → 1) and drops nulls; JSON values need no
 * such help, so they go to GraphQL as sent, whose variable coercion is strict and keeps an explicit null.
 */
const bodyVariables = new WeakMap<RequestContext, Record<string, unknown>>();

export function setBodyVariables(ctx: RequestContext, values: Record<string, unknown>): void {
  bodyVariables.set(ctx, values);
}

/**
 * SOFA over the part of the schema the route table names, so no field gets a REST route by accident
 * (SOFA would otherwise invent one for every root field).
 */
export function createSofaRouter(schema: GraphQLSchema) {
  const viaSofa = REST_ROUTES.filter((route) => route.field);
  const served = new Set(viaSofa.map((route) => route.field));
  const filtered = filterSchema({
    schema,
    rootFieldFilter: (operation, fieldName) => served.has(`${operation}.${fieldName}` as never),
  }).toConfig();
  // Subscriptions are GraphQL-only (WebSocket); SOFA's webhook-based stand-in for them is not part of /v1.
  const restSchema = new GraphQLSchema({
    ...filtered,
    subscription: undefined,
    types: filtered.types.filter((type) => type.name !== 'Subscription'),
  });
  return useSofa({
    basePath: REST_BASE,
    schema: restSchema,
    routes: Object.fromEntries(
      viaSofa.map((route) => [
        route.field!,
        // 204 cannot carry SOFA's JSON body; the REST handler turns these 200s into empty 204s.
        {
          method: route.method,
          path: route.path,
          responseStatus: route.status === 204 ? 200 : route.status,
          tags: [route.tag],
          description: route.summary,
        },
      ]),
    ),
    context: (serverContext) => (serverContext as unknown as SofaServerContext).vitasync,
    execute: (args: ExecutionArgs) => {
      const fromBody = bodyVariables.get(args.contextValue as RequestContext);
      return execute(fromBody ? { ...args, variableValues: { ...args.variableValues, ...fromBody } } : args);
    },
    // SOFA types its Response as fets'; ours is the standard one it passes through unchanged.
    errorHandler: ((errors: readonly unknown[]) => restErrorResponse(toPublicError(errors[0]))) as never,
    // SOFA uses these objects as they are and writes each parameter's description into them, so one shared object
    // would carry the last description to every DateTime parameter: each read gets its own.
    customScalars: {
      get DateTime() {
        return { type: 'string', format: 'date-time', example: '2025-06-15T09:00:00.000Z' };
      },
      get JSON() {
        return { description: 'Any JSON value.' };
      },
    },
    openAPI: { info: { title: 'VitaSync API', version: '1.0.0' } },
    swaggerUI: { endpoint: false as never },
  });
}
