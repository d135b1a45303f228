import type { ServiceContext } from '../../src/context.js';
import type { TestServer } from '../helpers/server.js';

/**
 * Where a factory builds its data: over REST through a running test server (as e2e suites drive it, and as an
 * app would), or straight through the services with a service context (as unit suites call them).
 */
export type ApiClient = Pick<TestServer, 'api' | 'graphql'>;
export type Target = ApiClient | ServiceContext;

export function overRest(on: Target): on is ApiClient {
  return 'api' in on;
}

/**
 * The server as a client holding `key` sees it: every REST and GraphQL call sends that key unless it names
 * another. For tests about another workspace, or about what a read key may do.
 */
export function asKey(t: ApiClient, key: string): ApiClient {
  return {
    api: (method, path, options = {}) => t.api(method, path, { ...options, key: options.key === undefined ? key : options.key }),
    graphql: (query, variables, given) => t.graphql(query, variables, given === undefined ? key : given),
  };
}
