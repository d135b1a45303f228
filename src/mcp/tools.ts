import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { grants, SCOPES, type Scope } from '../auth/scopes.js';
import { definitions, toJsonSchema } from './json-schema.js';

type Json = Record<string, any>;

/** One read of the REST API offered as an MCP tool, with what a call needs to become that REST request. */
export interface ReadTool {
  /** The MCP tool: named after the route's GraphQL field, its input the route's parameters and body as JSON Schema. */
  tool: Tool;
  scope: Scope;
  method: 'GET' | 'POST';
  /** The OpenAPI path under /v1, with {params}. */
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodyFields: string[];
}

/**
 * A read: every GET that a GraphQL field serves, and the read-scope POSTs that compute without storing (the
 * analytics routes). Plain handlers (OAuth redirects, pushes, file bodies) need no key or carry no JSON: not tools.
 */
function isRead(method: string, operation: Json): boolean {
  const scope = operation['x-required-scope'];
  if (!SCOPES.includes(scope)) return false;
  return method === 'get' || (method === 'post' && scope === 'read');
}

function toolDescription(operation: Json): string {
  return [operation.summary, operation.description].filter(Boolean).join('\n\n');
}

/** The tool's input: path parameters, query parameters and body fields side by side, as one JSON object. */
function inputSchema(operation: Json, components: Json): Tool['inputSchema'] {
  const refs = new Set<string>();
  const properties: Json = {};
  const required: string[] = [];
  for (const parameter of operation.parameters ?? []) {
    const schema = toJsonSchema(parameter.schema, refs) as Json;
    const where = parameter.in === 'path' ? 'Path parameter' : 'Query parameter';
    const own = parameter.description ?? schema.description;
    properties[parameter.name] = { ...schema, description: own ? `${own} (${where}.)` : `${where}.` };
    if (parameter.required) required.push(parameter.name);
  }
  const body = operation.requestBody?.content?.['application/json']?.schema;
  for (const [name, property] of Object.entries<Json>(body?.properties ?? {})) properties[name] = toJsonSchema(property, refs);
  required.push(...((body?.required ?? []) as string[]));
  const defs = definitions(components, refs);
  return {
    type: 'object',
    properties,
    ...(required.length > 0 && { required }),
    additionalProperties: false,
    ...(Object.keys(defs).length > 0 && { $defs: defs }),
  };
}

/**
 * The read tools of an OpenAPI document of /v1: generated from the document the server publishes, so a read route
 * added to the route table is a tool without any change here.
 */
export function readTools(document: Json): ReadTool[] {
  const tools: ReadTool[] = [];
  for (const [path, operations] of Object.entries<Json>(document.paths ?? {})) {
    for (const [method, operation] of Object.entries<Json>(operations)) {
      if (!isRead(method, operation) || !operation.operationId) continue;
      const parameters: Json[] = operation.parameters ?? [];
      const body = operation.requestBody?.content?.['application/json']?.schema;
      tools.push({
        tool: {
          name: operation.operationId,
          title: operation.summary,
          description: toolDescription(operation),
          inputSchema: inputSchema(operation, document.components?.schemas ?? {}),
          annotations: { title: operation.summary, readOnlyHint: true, idempotentHint: true, openWorldHint: false },
        },
        scope: operation['x-required-scope'],
        method: method.toUpperCase() as 'GET' | 'POST',
        path,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyFields: Object.keys(body?.properties ?? {}),
      });
    }
  }
  return tools.sort((a, b) => a.tool.name.localeCompare(b.tool.name));
}

/** The tools a key of this scope may call. */
export function toolsFor(tools: readonly ReadTool[], scope: Scope): ReadTool[] {
  return tools.filter((entry) => grants(scope, entry.scope));
}
