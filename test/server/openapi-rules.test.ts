import { getNamedType, type GraphQLArgument } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.js';
import { ruleOf, ruleSchema } from '../../src/lib/input-rules.js';
import { openApiDocument } from '../../src/server/contracts.js';
import { REST_ROUTES } from '../../src/server/rest/routes.js';

const doc = openApiDocument(schema) as Record<string, any>;

function argsOf(field: string): readonly GraphQLArgument[] {
  const [kind, name] = field.split('.') as ['Query' | 'Mutation', string];
  return (kind === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name]!.args;
}

/** The schema the document gives a route's argument: its parameter's, or its body property's. */
function documented(operation: Record<string, any>, name: string): Record<string, any> | undefined {
  const parameter = (operation.parameters ?? []).find((p: { name: string }) => p.name === name);
  const schemaOf = parameter?.schema ?? operation.requestBody?.content['application/json'].schema.properties[name];
  return schemaOf?.type === 'array' ? schemaOf.items : schemaOf;
}

describe('the OpenAPI document states the rules REST enforces', () => {
  const served = REST_ROUTES.filter((route) => route.field);

  it('states every declared rule of every argument of every served route', () => {
    const missing: string[] = [];
    let checked = 0;
    for (const route of served) {
      const operation = doc.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method.toLowerCase()];
      for (const arg of argsOf(route.field!)) {
        const declared = ruleOf(arg, getNamedType(arg.type).name);
        const property = documented(operation, arg.name);
        if (!declared || !property || property.$ref || property.allOf) continue;
        checked++;
        for (const [keyword, value] of Object.entries(ruleSchema(declared))) {
          if (JSON.stringify(property[keyword]) !== JSON.stringify(value))
            missing.push(`${route.method} ${route.path} ${arg.name}.${keyword}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });

  it('offers only the root field arguments as parameters, never the arguments of nested relations', () => {
    const offered = served.flatMap((route) => {
      const operation = doc.paths[route.path.replace(/:([A-Za-z]+)/g, '{$1}')][route.method.toLowerCase()];
      const body = operation.requestBody?.content['application/json'].schema.properties ?? {};
      return [...(operation.parameters ?? []).map((p: { name: string }) => p.name), ...Object.keys(body)].map((name) => ({ route, name }));
    });
    expect(offered.length).toBeGreaterThan(0);
    const strays = offered.filter(({ route, name }) => !argsOf(route.field!).some((arg) => arg.name === name));
    expect(strays.map(({ route, name }) => `${route.method} ${route.path} ${name}`)).toEqual([]);
  });
});
