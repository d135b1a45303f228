import { filterSchema } from '@graphql-tools/utils';
import { GraphQLSchema } from 'graphql';
import { createSofa, useSofa } from 'sofa-api';
import { REST_BASE, REST_ROUTES } from './routes.js';

/**
 * The part of the schema the route table names, so no field gets a REST route by accident (SOFA would otherwise
 * invent one for every root field). Subscriptions are GraphQL-only (WebSocket); SOFA's webhook stand-in is not /v1.
 */
export function restSchema(schema: GraphQLSchema): GraphQLSchema {
  const served = new Set(REST_ROUTES.filter((route) => route.field).map((route) => route.field));
  const filtered = filterSchema({
    schema,
    rootFieldFilter: (operation, fieldName) => served.has(`${operation}.${fieldName}` as never),
  }).toConfig();
  return new GraphQLSchema({
    ...filtered,
    subscription: undefined,
    types: filtered.types.filter((type) => type.name !== 'Subscription'),
  });
}

function sofaConfig(schema: GraphQLSchema) {
  const viaSofa = REST_ROUTES.filter((route) => route.field);
  return {
    basePath: REST_BASE,
    schema,
    routes: Object.fromEntries(
      viaSofa.map((route) => [
        route.field!,
        // 204 cannot carry a JSON body; the REST handler answers these with an empty 204.
        {
          method: route.method,
          path: route.path,
          responseStatus: route.status === 204 ? 200 : route.status,
          tags: [route.tag],
          description: route.summary,
        },
      ]),
    ),
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
  };
}

/** The SOFA settings the REST handler builds its operations with (the same ones the document is made from). */
export function sofaSettings(schema: GraphQLSchema): { models: string[]; ignore: string[]; depthLimit: number } {
  const sofa = createSofa(sofaConfig(schema));
  return { models: sofa.models, ignore: sofa.ignore, depthLimit: sofa.depthLimit };
}

/** SOFA's OpenAPI document of the REST schema: the raw material of schema/openapi.json (see openapi.ts). */
export function sofaOpenApiDocument(schema: GraphQLSchema): Record<string, any> {
  return useSofa(sofaConfig(schema)).openAPIDocument as Record<string, any>;
}
