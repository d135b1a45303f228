import { paginateArray } from '../src/lib/pagination.js';
import { AUTH_KINDS } from '../src/providers/provider.js';
import { listProviders, type ProviderInfo } from '../src/providers/registry.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const AuthKindType = builder.enumType('ProviderAuthKind', { values: AUTH_KINDS });

const ProviderType = builder.objectRef<ProviderInfo>('Provider').implement({
  description: 'A data source VitaSync can connect a user to.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    authKind: t.field({ type: AuthKindType, resolve: (provider) => provider.authKind }),
    dataTypes: t.exposeStringList('dataTypes', { description: 'Metric and event types the provider delivers.' }),
    configured: t.exposeBoolean('configured', { description: 'Whether this install has the credentials the provider needs.' }),
  }),
});

const ProviderPage = pageType('ProviderPage', ProviderType, 'A page of providers sorted by id.');

builder.queryFields((t) => ({
  providers: t.field({
    type: ProviderPage,
    description: 'List the providers of this install and whether each is configured.',
    authScopes: { read: true },
    args: { ...pageArgs },
    resolve: (_root, args, ctx) => paginateArray(args, 'providers', listProviders(ctx.config), (provider) => provider.id),
  }),
}));
