import type { Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, type Principal } from '../auth/authenticate.js';
import { Unauthorized } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import type { App, AppDeps } from './app.js';

/** Close code for a connection_init without a valid API key (graphql-ws reserves 4400–4499 for such). */
export const CLOSE_UNAUTHORIZED = 4401;

/**
 * GraphQL subscriptions over graphql-ws on the HTTP port (path /graphql). The API key comes in the
 * connection_init payload: `{ "authorization": "Bearer vs_live_…" }`; scope rules then run per subscription.
 */
export function attachWebSocket(server: Server, app: App, deps: AppDeps): () => Promise<void> {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const principals = new WeakMap<object, Principal>();
  // Open operations per API key (this instance), and per connection to release them when its socket closes.
  const openPerKey = new Map<string, number>();
  const openPerConnection = new WeakMap<object, Set<string>>();
  const release = (ctx: object, id: string) => {
    const open = openPerConnection.get(ctx);
    const keyId = principals.get(ctx)?.keyId;
    if (!open?.delete(id) || !keyId) return;
    const left = (openPerKey.get(keyId) ?? 1) - 1;
    if (left > 0) openPerKey.set(keyId, left);
    else openPerKey.delete(keyId);
  };
  const disposable = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onConnect: async (ctx) => {
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const header =
          typeof params.authorization === 'string'
            ? params.authorization
            : typeof params.Authorization === 'string'
              ? params.Authorization
              : null;
        try {
          const principal = await authenticate(deps.database.prisma, deps.clock, header);
          if (!principal) throw new Unauthorized('an API key is required in connection_init: { "authorization": "Bearer vs_live_…" }');
          principals.set(ctx, principal);
          return true;
        } catch (error) {
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, (error as Error).message.slice(0, 120));
          return false;
        }
      },
      onSubscribe: async (ctx, id, payload) => {
        const principal = principals.get(ctx);
        if (principal) {
          const limit = deps.config.maxSubscriptionsPerKey;
          if ((openPerKey.get(principal.keyId) ?? 0) >= limit) {
            return [
              new GraphQLError(`this API key already has ${limit} subscriptions open (MAX_SUBSCRIPTIONS_PER_KEY); complete one first`, {
                extensions: { code: 'RATE_LIMITED' },
              }),
            ];
          }
          openPerKey.set(principal.keyId, (openPerKey.get(principal.keyId) ?? 0) + 1);
          let open = openPerConnection.get(ctx);
          if (!open) openPerConnection.set(ctx, (open = new Set()));
          open.add(id);
        }
        const contextValue = app.contextFor(principal ?? null, newId());
        const { schema, execute, subscribe, parse, validate } = app.yoga.getEnveloped(contextValue);
        const args = {
          schema,
          operationName: payload.operationName,
          document: parse(payload.query),
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) release(ctx, id);
        return errors.length ? errors : (args as never);
      },
      onComplete: (ctx, id) => release(ctx, id),
      onError: (ctx, id) => release(ctx, id),
      onClose: (ctx) => {
        for (const id of [...(openPerConnection.get(ctx) ?? [])]) release(ctx, id);
      },
    },
    wss,
  );
  return async () => {
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
