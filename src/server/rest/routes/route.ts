import type { Scope } from '../../../auth/scopes.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** Plain handlers for what SOFA cannot carry: browser redirects, provider pushes, raw file bodies in and out. */
type BrowserHandler = 'authorize' | 'callback' | 'push' | 'push-check' | 'upload' | 'download';

/** One /v1 route of the contract (schema/API.md): a root field of the GraphQL schema that SOFA runs. */
export interface RestRoute {
  method: Method;
  /** Under /v1, with :params named as the field's arguments. */
  path: string;
  /** The root field SOFA runs; absent for the plain handlers (`browser`: OAuth redirects, pushes, file bodies). */
  field?: `Query.${string}` | `Mutation.${string}`;
  browser?: BrowserHandler;
  scope: Scope | 'none';
  /** Success status. 201 routes that may find instead of create answer 200 then (the resolver says so). */
  status: 200 | 201 | 202 | 204;
  /** The OpenAPI tag: the contract's section. */
  tag: string;
  summary: string;
  /** A request body example for the OpenAPI document. */
  example?: Record<string, unknown>;
  /** Served in addition to the contract (schema/routes.tsv), by an issue's decision. */
  beyondContract?: true;
  /** When the route answers 409, as the example message of the documented response. */
  conflict?: string;
  /** A 201 route that may find instead of create: what its 200 answer means (documented beside the 201). */
  found?: string;
}

type AreaRoute = Omit<RestRoute, 'tag'>;
type Extra = Partial<Pick<RestRoute, 'status' | 'example' | 'beyondContract' | 'conflict' | 'found'>>;

/** The usual success status of a method: POST creates (201), DELETE answers no content (204). */
function defaultStatus(method: Method): RestRoute['status'] {
  return method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200;
}

/** A route as one line of an area's table: `route('GET /users/:userId', 'Query.user', 'read', 'Get a user by ID')`. */
export function route(
  endpoint: `${Method} /${string}`,
  target: NonNullable<RestRoute['field']> | { browser: BrowserHandler },
  scope: RestRoute['scope'],
  summary: string,
  extra: Extra = {},
): AreaRoute {
  const [method, path] = endpoint.split(' ') as [Method, string];
  const handler = typeof target === 'string' ? { field: target } : target;
  return { method, path, ...handler, scope, summary, status: extra.status ?? defaultStatus(method), ...extra };
}

/** An area's routes, tagged with its section of the contract. */
export function inArea(tag: string, routes: AreaRoute[]): readonly RestRoute[] {
  return routes.map((entry) => ({ ...entry, tag }));
}
