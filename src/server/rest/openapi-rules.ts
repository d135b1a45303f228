import { getNamedType, isInputObjectType, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import { ruleOf, ruleSchema, type InputRule } from '../../lib/input-rules.js';

type Json = Record<string, any>;

/**
 * The declared rule of an argument or input field as JSON Schema keywords on its schema (item by item for lists).
 * A `$ref` (a GraphQL enum or input type) already states its values; nothing is added beside it.
 */
export function withRule(property: Json, declared: InputRule | undefined): Json {
  if (!declared) return property;
  if (property.type === 'array' && property.items) return { ...property, items: withRule(property.items, declared) };
  if (property.$ref || property.allOf) return property;
  return { ...property, ...ruleSchema(declared) };
}

function ruleOfArg(arg: GraphQLArgument | undefined): InputRule | undefined {
  return arg && ruleOf(arg, getNamedType(arg.type).name);
}

/**
 * States the rules of a route's arguments on its parameters and body, and keeps only the root field's arguments:
 * SOFA would offer the arguments of relation fields deeper in the answer (`users_data_data_latestEvents_limit`),
 * which REST does not take.
 */
export function applyArgumentRules(operation: Json, args: readonly GraphQLArgument[]): void {
  const byName = new Map(args.map((arg) => [arg.name, arg]));
  operation.parameters = (operation.parameters ?? [])
    .filter((parameter: Json) => byName.has(parameter.name))
    .map((parameter: Json) => ({ ...parameter, schema: withRule(parameter.schema, ruleOfArg(byName.get(parameter.name))) }));
  const body = operation.requestBody?.content?.['application/json']?.schema;
  if (!body?.properties) return;
  for (const name of Object.keys(body.properties)) {
    if (!byName.has(name)) delete body.properties[name];
    else body.properties[name] = withRule(body.properties[name], ruleOfArg(byName.get(name)));
  }
  if (body.required) body.required = (body.required as string[]).filter((name) => byName.has(name));
}

/** States the rules of every input type's fields on its component schema (e.g. HealthSampleInput). */
export function applyInputFieldRules(doc: Json, schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    const component = doc.components.schemas[type.name];
    if (!isInputObjectType(type) || !component?.properties) continue;
    // GraphQL refuses a field its input type does not define (400), so the document says so.
    component.additionalProperties = false;
    for (const field of Object.values(type.getFields())) {
      const property = component.properties[field.name];
      if (property) component.properties[field.name] = withRule(property, ruleOf(field, getNamedType(field.type).name));
    }
  }
}
