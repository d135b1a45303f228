import type { Server } from 'node:http';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { authenticate, type Principal } from '../auth/authenticate.js';
import { Unauthorized } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { log } from '../lib/logger.js';
import type { App, AppDeps } from './app.js';

/** Close code for a connection_init without a valid API key (graphql-ws reserves 4400–4499 for such). */
export const CLOSE_UNAUTHORIZED = 4401;
/** Close code for an open connection whose API key was deleted, revoked (end of a rotation's grace) or expired. */
export const CLOSE_KEY_REVOKED = 4403;
/** How often an instance checks that the keys of its open sockets still work: the most a revoked key keeps a stream. */
export const KEY_RECHECK_MS = 1000;

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
  const revocations = watchRevocations(deps);
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
          revocations.watch(principal.keyId, ctx.extra.socket);
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
        const keyId = principals.get(ctx)?.keyId;
        if (keyId) revocations.unwatch(keyId, ctx.extra.socket);
      },
    },
    wss,
  );
  return async () => {
    revocations.stop();
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}

interface Closable {
  close(code: number, reason: string): void;
}

/**
 * Ends the streams of keys that stop working. Every KEY_RECHECK_MS, while sockets are open, one query reads their
 * keys; a key that was deleted, whose rotation grace ended or that expired has its sockets closed with 4403. Each
 * instance checks its own sockets against the shared database, so revocation reaches every instance with no
 * message between them, and the end of a grace period needs no event at all.
 */
function watchRevocations(deps: AppDeps) {
  const socketsPerKey = new Map<string, Set<Closable>>();
  let checking = false;
  const check = async () => {
    if (checking || socketsPerKey.size === 0) return;
    checking = true;
    try {
      const ids = [...socketsPerKey.keys()];
      const rows = await deps.database.prisma.apiKey.findMany({
        where: { id: { in: ids } },
        select: { id: true, revokedAt: true, expiresAt: true },
      });
      const now = deps.clock.now();
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const id of ids) {
        const row = byId.get(id);
        const reason = !row
          ? 'API key has been deleted'
          : row.revokedAt && row.revokedAt <= now
            ? 'API key has been revoked'
            : row.expiresAt && row.expiresAt <= now
              ? 'API key has expired'
              : null;
        if (!reason) continue;
        for (const socket of socketsPerKey.get(id) ?? []) socket.close(CLOSE_KEY_REVOKED, reason);
        socketsPerKey.delete(id);
      }
    } catch (error) {
      log.warn('could not check the keys of open sockets', { error: (error as Error).message });
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void check(), KEY_RECHECK_MS);
  timer.unref();
  return {
    watch(keyId: string, socket: Closable) {
      let sockets = socketsPerKey.get(keyId);
      if (!sockets) socketsPerKey.set(keyId, (sockets = new Set()));
      sockets.add(socket);
    },
    unwatch(keyId: string, socket: Closable) {
      const sockets = socketsPerKey.get(keyId);
      sockets?.delete(socket);
      if (sockets?.size === 0) socketsPerKey.delete(keyId);
    },
    stop: () => clearInterval(timer),
  };
}
