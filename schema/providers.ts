import { paginateArray } from '../src/lib/pagination.js';
import { AUTH_KINDS } from '../src/providers/provider.js';
import { listProviders, type ProviderInfo } from '../src/providers/registry.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const AuthKindType = builder.enumType('ProviderAuthKind', { values: AUTH_KINDS });

const DeprecationType = builder.objectRef<NonNullable<ProviderInfo['deprecation']>>('ProviderDeprecation').implement({
  description: 'A provider whose API is being retired: when, why, and what to connect instead.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'The day (YYYY-MM-DD) the provider stops or stopped serving data.' }),
    reason: t.exposeString('reason'),
    replacement: t.exposeString('replacement', { nullable: true, description: 'The provider id to connect instead.' }),
  }),
});

const ProviderType = builder.objectRef<ProviderInfo>('Provider').implement({
  description: 'A data source VitaSync can connect a user to.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    authKind: t.field({ type: AuthKindType, resolve: (provider) => provider.authKind }),
    dataTypes: t.exposeStringList('dataTypes', { description: 'Metric and event types the provider delivers.' }),
    configured: t.exposeBoolean('configured', { description: 'Whether this install has the credentials the provider needs.' }),
    backfillDays: t.exposeInt('backfillDays', {
      description:
        "Days of history a new connection's backfill fetches: the provider's documented limit or SYNC_BACKFILL_DAYS, the smaller.",
    }),
    push: t.exposeBoolean('push', {
      description:
        'Whether the provider notifies VitaSync of new data (POST /v1/providers/{providerId}/push); otherwise only scheduled and manual syncs fetch it.',
    }),
    deprecation: t.field({
      type: DeprecationType,
      nullable: true,
      description: 'Set when the provider is being retired.',
      resolve: (provider) => provider.deprecation,
    }),
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
