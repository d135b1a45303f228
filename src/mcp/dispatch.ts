import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { REST_BASE } from '../server/rest/routes.js';
import type { ReadTool } from './tools.js';

/** Sends one REST request of /v1 and answers its response: in-process on the server, over HTTP from the stdio entry. */
export type RestFetch = (request: Request) => Promise<Response>;

function refusal(message: string, body?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true, ...(body && { structuredContent: body }) };
}

/** A query parameter's text as REST reads it: lists repeat the parameter, everything else is its JSON text. */
function appendQuery(query: URLSearchParams, name: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) value.forEach((item) => appendQuery(query, name, item));
  else query.append(name, typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * The REST request a tool call stands for: path parameters into the path, query parameters into the query string,
 * the rest into the JSON body. Only argument names are checked here; their values are the REST route's to judge,
 * so a tool refuses exactly what REST refuses, in REST's words.
 */
export function restRequest(entry: ReadTool, args: Record<string, unknown>, origin: string): Request | string {
  const known = new Set([...entry.pathParams, ...entry.queryParams, ...entry.bodyFields]);
  const unknown = Object.keys(args).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    const takes = known.size > 0 ? `it takes ${[...known].join(', ')}` : 'it takes none';
    return `${entry.tool.name} has no argument ${unknown.join(', ')}; ${takes}`;
  }
  let path = entry.path;
  for (const name of entry.pathParams) {
    const value = args[name];
    if (value === undefined || value === null || value === '') return `path parameter ${name} is required`;
    path = path.replace(`{${name}}`, encodeURIComponent(String(value)));
  }
  const url = new URL(REST_BASE + path, origin);
  for (const name of entry.queryParams) appendQuery(url.searchParams, name, args[name]);
  if (entry.method === 'GET') return new Request(url, { method: 'GET', headers: { accept: 'application/json' } });
  const body = Object.fromEntries(entry.bodyFields.filter((name) => args[name] !== undefined).map((name) => [name, args[name]]));
  return new Request(url, {
    method: entry.method,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/**
 * Calls a read tool through its REST route. A 2xx is the JSON body as text (and as structured content when it is
 * an object); an error is a tool result with `isError`, the REST error's message as its text and the REST
 * error body ({ statusCode, error, message }) as structured content: for the model to read and correct its call, not
 * a protocol error.
 */
export async function callReadTool(
  entry: ReadTool,
  args: Record<string, unknown>,
  send: RestFetch,
  origin: string,
): Promise<CallToolResult> {
  const request = restRequest(entry, args, origin);
  if (typeof request === 'string') return refusal(request);
  const response = await send(request);
  const text = await response.text();
  const body = parseJson(text);
  const isObject = body !== null && typeof body === 'object' && !Array.isArray(body);
  if (!response.ok) {
    const message = isObject ? (body as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? refusal(message, body as Record<string, unknown>) : refusal(`${response.status}: ${text}`);
  }
  return {
    content: [{ type: 'text', text: JSON.stringify(body) }],
    ...(isObject && { structuredContent: body as Record<string, unknown> }),
  };
}
