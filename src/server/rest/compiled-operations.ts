import { AsyncLocalStorage } from 'node:async_hooks';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  execute,
  GraphQLError,
  GraphQLObjectType,
  type ExecutionResult,
  type GraphQLIsTypeOfFn,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { RequestContext } from '../request-context.js';
import type { RestOperation } from './operations.js';

/** The request a compiled operation runs for, and the first refusal a type's scope check made in it. */
interface RunState {
  ctx: RequestContext;
  refusal?: unknown;
}

/**
 * Runs each route's fixed operation compiled once into plain JavaScript (graphql-jit) instead of walked by
 * graphql-js on every request: a sample page is 50 × 11 fields, and the generic executor's per-field bookkeeping was
 * the read path's largest cost after the database. An operation graphql-jit cannot compile keeps graphql-js.
 *
 * One difference needs care: graphql-jit calls a type's `isTypeOf(value)` without the request context, and the
 * type-level scope checks (runScopesOnType, schema/builder.ts) live in isTypeOf. The compiled schema's isTypeOf
 * therefore reads the request from an AsyncLocalStorage, and a check that refuses is answered with its own error
 * (401/403), exactly as graphql-js would.
 */
export function compiledRunner(schema: GraphQLSchema) {
  const running = new AsyncLocalStorage<RunState>();
  const jitSchema = withContextualIsTypeOf(schema, running);
  const compiled = new Map<RestOperation, CompiledQuery | null>();
  return async (operation: RestOperation, ctx: RequestContext, variables: Record<string, unknown>): Promise<ExecutionResult> => {
    let query = compiled.get(operation);
    if (query === undefined) {
      const made = compileQuery(jitSchema, operation.document);
      query = isCompiledQuery(made) ? made : null;
      compiled.set(operation, query);
    }
    if (!query) return execute({ schema, document: operation.document, contextValue: ctx, variableValues: variables });
    const state: RunState = { ctx };
    const result = await running.run(state, () => query.query(undefined, ctx, variables));
    if (state.refusal !== undefined) {
      const error = state.refusal;
      return { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error })] };
    }
    return result;
  };
}

function withContextualIsTypeOf(schema: GraphQLSchema, running: AsyncLocalStorage<RunState>): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_TYPE]: (type) => {
      const isTypeOf = type.isTypeOf;
      if (!isTypeOf) return type;
      return new GraphQLObjectType({ ...type.toConfig(), isTypeOf: contextual(type, isTypeOf, running) });
    },
  });
}

function contextual(
  type: GraphQLObjectType,
  isTypeOf: GraphQLIsTypeOfFn<unknown, unknown>,
  running: AsyncLocalStorage<RunState>,
): GraphQLIsTypeOfFn<unknown, unknown> {
  // What the scope plugin's refusal message reads (the type's name); the rest of the info is not used by it.
  const info = { parentType: type, fieldName: type.name } as unknown as GraphQLResolveInfo;
  return (value) => {
    const state = running.getStore();
    if (!state) throw new Error(`${type.name}.isTypeOf ran outside a compiled REST operation`);
    try {
      const result = isTypeOf(value, state.ctx, info);
      // graphql-jit cannot wait for a check; every scope in this schema is decided from the request synchronously.
      if (typeof result !== 'boolean') throw new Error(`${type.name}.isTypeOf answered asynchronously under graphql-jit`);
      return result;
    } catch (error) {
      state.refusal ??= error;
      return false;
    }
  };
}
