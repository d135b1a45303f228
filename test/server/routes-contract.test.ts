import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REST_BASE, REST_ROUTES } from '../../src/server/rest/routes.js';
import openapi from '../../schema/openapi.json' with { type: 'json' };

interface ContractRoute {
  method: string;
  path: string;
  scope: string;
}

/** schema/routes.tsv (copied from the contract): the 98 routes of the REST contract (method, path, scope). */
function contractRoutes(): ContractRoute[] {
  const tsv = readFileSync(new URL('../../schema/routes.tsv', import.meta.url), 'utf8');
  return tsv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [method, path, scope] = line.split('\t') as [string, string, string];
      return { method, path, scope };
    });
}

const key = (method: string, path: string) => `${method} ${path}`;

describe('REST routes against the contract', () => {
  const contract = contractRoutes();
  const contractByKey = new Map(contract.map((route) => [key(route.method, route.path), route]));
  const served = REST_ROUTES.map((route) => ({ ...route, fullPath: REST_BASE + route.path }));

  it('serves only routes of the contract, each with its method, path and scope', () => {
    const count = served.filter((route) => contractByKey.has(key(route.method, route.fullPath))).length;
    const extra = served.filter((route) => route.beyondContract).length;
    process.stdout.write(`REST contract: ${count} of ${contract.length} routes served (plus ${extra} beyond the contract)\n`);
    for (const route of served.filter((route) => !route.beyondContract)) {
      const match = contractByKey.get(key(route.method, route.fullPath));
      expect(match, `${route.method} ${route.fullPath} is not in routes.tsv`).toBeDefined();
      expect(route.scope, `${route.method} ${route.fullPath} scope`).toBe(match!.scope);
    }
  });

  it('documents every served route in the OpenAPI document with its scope', () => {
    for (const route of served) {
      const operation = (openapi.paths as Record<string, any>)[route.path.replace(/:([A-Za-z]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${route.path} missing from schema/openapi.json`).toBeDefined();
      expect(operation['x-required-scope']).toBe(route.scope);
    }
  });

  it('documents nothing that is not served', () => {
    const documented = Object.entries(openapi.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => key(method.toUpperCase(), path.replace(/\{([A-Za-z]+)\}/g, ':$1'))),
    );
    expect(documented.sort()).toEqual(served.map((route) => key(route.method, route.path)).sort());
  });
});
