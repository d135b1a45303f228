import { buildOperationNodeForField } from '@graphql-tools/utils';
import { Kind, OperationTypeNode, type DocumentNode, type GraphQLArgument, type GraphQLSchema } from 'graphql';
import { REST_ROUTES, type RestRoute } from './routes.js';
import { restSchema, sofaSettings } from './sofa-router.js';

/** What the REST handler runs for a route: SOFA's operation for its field, and the arguments REST fills. */
export interface RestOperation {
  document: DocumentNode;
  fieldName: string;
  /** The root field's arguments: the only REST parameters (nested relation arguments keep their defaults). */
  args: readonly GraphQLArgument[];
}

/**
 * One operation per route, built once with SOFA's own settings (so the answer has the shape the document
 * describes), but with only the root field's arguments as variables: relation fields deeper in the answer
 * (User.latestEvents(limit)) run with their defaults instead of surfacing as `users_data_data_latestEvents_limit`.
 */
export function restOperations(schema: GraphQLSchema): Map<RestRoute, RestOperation> {
  const served = restSchema(schema);
  const { models, ignore, depthLimit } = sofaSettings(served);
  const operations = new Map<RestRoute, RestOperation>();
  for (const route of REST_ROUTES) {
    if (!route.field) continue;
    const [kind, fieldName] = route.field.split('.') as ['Query' | 'Mutation', string];
    const root = kind === 'Query' ? served.getQueryType() : served.getMutationType();
    const field = root?.getFields()[fieldName];
    if (!field) throw new Error(`route ${route.method} ${route.path} names ${route.field}, which the schema lacks`);
    const operation = buildOperationNodeForField({
      kind: kind === 'Query' ? OperationTypeNode.QUERY : OperationTypeNode.MUTATION,
      schema: served,
      field: fieldName,
      models,
      ignore,
      circularReferenceDepth: depthLimit,
      argNames: field.args.map((arg) => arg.name),
    });
    operations.set(route, { document: { kind: Kind.DOCUMENT, definitions: [operation] }, fieldName, args: field.args });
  }
  return operations;
}
