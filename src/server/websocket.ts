import type { Server } from 'node:http';
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
  const disposable = useServer(
    {
      execute: (args: any) => args.rootValue.execute(args),
      subscribe: (args: any) => args.rootValue.subscribe(args),
      onConnect: async (ctx) => {
        const params = (ctx.connectionParams ?? {}) as Record<string, unknown>;
        const header = typeof params.authorization === 'string' ? params.authorization : typeof params.Authorization === 'string' ? params.Authorization : null;
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
      onSubscribe: async (ctx, _id, payload) => {
        const contextValue = app.contextFor(principals.get(ctx) ?? null, newId());
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
        return errors.length ? errors : (args as never);
      },
    },
    wss,
  );
  return async () => {
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
