import { serviceContext } from '../src/server/request-context.js';
import { getWorkspace, setRedirectUris, setSourcePriority } from '../src/workspaces/settings.js';
import { builder } from './builder.js';

const WorkspaceType = builder.prismaObject('Workspace', {
  description: 'The tenant an API key belongs to.',
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    sourcePriority: t.exposeStringList('sourcePriority', {
      description:
        'When sources overlap, timeseries and daily summaries use the first listed source with data; unlisted sources follow alphabetically.',
    }),
    redirectUris: t.exposeStringList('redirectUris', { description: 'Where connect flows may send the browser back.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  workspace: t.field({
    type: WorkspaceType,
    description: "The API key's workspace.",
    authScopes: { read: true },
    resolve: (_root, _args, ctx) => getWorkspace(serviceContext(ctx)),
  }),
}));

builder.mutationFields((t) => ({
  setSourcePriority: t.field({
    type: WorkspaceType,
    description: 'Choose which source wins when several report the same metric (most preferred first).',
    authScopes: { admin: true },
    args: { sources: t.arg.stringList({ required: true }) },
    resolve: (_root, args, ctx) => setSourcePriority(serviceContext(ctx), args.sources),
  }),
  setRedirectUris: t.field({
    type: WorkspaceType,
    description: 'The app URIs connect flows may return to (exact origin and path; https, or http on localhost).',
    authScopes: { admin: true },
    args: { uris: t.arg.stringList({ required: true }) },
    resolve: (_root, args, ctx) => setRedirectUris(serviceContext(ctx), args.uris),
  }),
}));
