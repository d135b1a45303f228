import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga, type Plugin } from 'graphql-yoga';
import type { RequestContext } from './request-context.js';
import { toGraphQLError } from './errors.js';
import { graphqlLimitPlugins } from './graphql-limits.js';

// Validation errors bypass maskError; give them the same codes as the same values passed as variables.
const validationErrorCodes: Plugin = {
  onValidate:
    () =>
    ({ valid, result, setResult }) => {
      if (!valid) setResult(result.map((error) => toGraphQLError(error)));
    },
};

/** POST /graphql (and GraphiQL on GET outside production), with errors masked to { message, extensions.code }. */
export function createGraphQLHandler(schema: GraphQLSchema, options: { production: boolean }) {
  return createYoga<RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: options.production ? false : { title: 'VitaSync GraphQL', defaultQuery: '{ providers { data { id name configured } } }' },
    // GraphiQL's page (its bundled HTML is a fifth of a second to load) comes with the first GET that asks for it.
    renderGraphiQL: async (graphiql) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiql),
    logging: false,
    plugins: [...graphqlLimitPlugins(options.production), validationErrorCodes],
    maskedErrors: {
      maskError: (error, message) =>
        toGraphQLError(error instanceof GraphQLError ? error : new GraphQLError(message, { originalError: error as Error })),
    },
  });
}
