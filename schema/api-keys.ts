import {
  createApiKey,
  deleteApiKey,
  listApiKeys,
  MAX_ROTATION_GRACE_SECONDS,
  rotateApiKey,
  type ApiKeyWithSecret,
} from '../src/auth/api-keys.js';
import { SCOPES, scopeFromDb } from '../src/auth/scopes.js';
import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

export const ApiKeyScopeType = builder.enumType('ApiKeyScope', {
  description: 'admin ⊃ write ⊃ read.',
  values: SCOPES,
});

const ApiKeyType = builder.prismaObject('ApiKey', {
  description: 'An API key of the workspace. The secret itself is shown only once, when it is created or rotated.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to tell keys apart.' }),
    scope: t.field({ type: ApiKeyScopeType, resolve: (key) => scopeFromDb(key.scope) }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'Refreshed at most once a minute.' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'End of a rotation grace period.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const NewApiKeyType = builder.prismaObject('ApiKey', {
  variant: 'NewApiKey',
  description: 'A key just created or rotated, with its secret: store `key` now, it cannot be read again.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    prefix: t.exposeString('prefix'),
    scope: t.field({ type: ApiKeyScopeType, resolve: (key) => scopeFromDb(key.scope) }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    key: t.string({ description: 'The secret, vs_live_…', resolve: (key) => (key as ApiKeyWithSecret).key }),
  }),
});

const ApiKeyPage = pageType('ApiKeyPage', ApiKeyType, 'A page of API keys in creation order.');

builder.queryFields((t) => ({
  apiKeys: t.field({
    type: ApiKeyPage,
    description: 'List the API keys of the workspace (paginated).',
    authScopes: { admin: true },
    args: { ...pageArgs },
    resolve: (_root, args, ctx) => listApiKeys(serviceContext(ctx), args),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: NewApiKeyType,
    description: 'Create an API key. The response carries the secret; it is never shown again.',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true, ...rule({ minLength: 1, maxLength: 100, ...NOT_BLANK }) }),
      scope: t.arg({ type: ApiKeyScopeType, required: true, ...rule({ enum: SCOPES }) }),
      expiresAt: t.arg({ type: 'DateTime', description: 'When the key stops working; never when omitted.' }),
    },
    resolve: (_root, args, ctx) => {
      const service = serviceContext(ctx);
      return createApiKey({ ...service, quotas: service.config.quotas }, args);
    },
  }),
  deleteApiKey: t.boolean({
    description: "Delete an API key; it stops working at once. The workspace's last admin key cannot be deleted (409).",
    authScopes: { admin: true },
    args: { keyId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteApiKey(serviceContext(ctx), String(args.keyId));
      return true;
    },
  }),
  rotateApiKey: t.field({
    type: NewApiKeyType,
    description: 'Replace a key by a new secret with the same name, scope and expiry; the old one is revoked.',
    authScopes: { admin: true },
    args: {
      keyId: t.arg.id({ required: true }),
      gracePeriodSeconds: t.arg.int({
        description: `Keep the old key working this long (0–${MAX_ROTATION_GRACE_SECONDS}, default 0).`,
        ...rule({ minimum: 0, maximum: MAX_ROTATION_GRACE_SECONDS }),
      }),
    },
    resolve: (_root, args, ctx) => rotateApiKey(serviceContext(ctx), String(args.keyId), args.gracePeriodSeconds ?? 0),
  }),
}));
