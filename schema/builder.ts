import SchemaBuilder from '@pothos/core';
import PrismaPlugin from '@pothos/plugin-prisma';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { grants } from '../src/auth/scopes.js';
import type PrismaTypes from '../src/generated/pothos-types.js';
import { getDatamodel } from '../src/generated/pothos-types.js';
import { Forbidden, Unauthorized } from '../src/lib/errors.js';
import type { RequestContext } from '../src/server/request-context.js';

/** Configures the builder only: plugins, scopes and scalars. Types live in one file per area. */
export const builder = new SchemaBuilder<{
  Context: RequestContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: { read: boolean; write: boolean; admin: boolean };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSON: { Input: unknown; Output: unknown };
  };
  DefaultFieldNullability: false;
}>({
  plugins: [ScopeAuthPlugin, PrismaPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authorizeOnSubscribe: true,
    // A type's scopes run once per object it resolves (through isTypeOf), not in a wrapper around each of its fields:
    // a page of 50 samples checks 50 objects, not 550 fields. Fields with scopes of their own still check them.
    runScopesOnType: true,
    // Computed once per request; admin ⊃ write ⊃ read.
    authScopes: (ctx) => ({
      read: !!ctx.principal && grants(ctx.principal.scope, 'read'),
      write: !!ctx.principal && grants(ctx.principal.scope, 'write'),
      admin: !!ctx.principal && grants(ctx.principal.scope, 'admin'),
    }),
    unauthorizedError: (_parent, ctx, info) =>
      ctx.principal
        ? new Forbidden(`this API key's scope "${ctx.principal.scope}" does not allow ${info.parentType.name}.${info.fieldName}`)
        : new Unauthorized('an API key is required: send "Authorization: Bearer vs_live_…"'),
  },
  prisma: {
    client: (ctx) => ctx.db,
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    onUnusedQuery: null,
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
