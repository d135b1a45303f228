import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { RequestContext } from './request-context.js';
import { toGraphQLError } from './errors.js';

/** POST /graphql (and GraphiQL on GET outside production), with errors masked to { message, extensions.code }. */
export function createGraphQLHandler(schema: GraphQLSchema, options: { production: boolean }) {
  return createYoga<RequestContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: options.production ? false : { title: 'VitaSync GraphQL', defaultQuery: '{ providers { data { id name configured } } }' },
    renderGraphiQL,
    logging: false,
    maskedErrors: {
      maskError: (error, message) => toGraphQLError(error instanceof GraphQLError ? error : new GraphQLError(message, { originalError: error as Error })),
    },
  });
}
