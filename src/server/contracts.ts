import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { restSchema, sofaOpenApiDocument } from './rest/sofa-router.js';
import { buildOpenApiDocument } from './rest/openapi.js';

/** The printed contracts checked in under schema/: the SDL and the OpenAPI document of /v1. */
export function printSdl(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}

export function openApiDocument(schema: GraphQLSchema): Record<string, unknown> {
  return buildOpenApiDocument(sofaOpenApiDocument(restSchema(schema)), schema);
}

export function printOpenApi(schema: GraphQLSchema): string {
  return JSON.stringify(openApiDocument(schema), null, 2) + '\n';
}
