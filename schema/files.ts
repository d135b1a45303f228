import { fileView, getFile, type FileView } from '../src/files/stored-files.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';

export const StoredFileType = builder.objectRef<FileView>('StoredFile').implement({
  description: 'A file kept by VitaSync (an upload, an export, a report): its metadata and a signed URL of its content.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId', { nullable: true, description: 'The end user the file belongs to; null for workspace files.' }),
    name: t.exposeString('name', { description: 'File name, as offered in the download’s Content-Disposition.' }),
    contentType: t.exposeString('contentType', { description: 'Media type, as uploaded and as served.' }),
    // GraphQL's Int stops at 2^31 − 1, below the 2 GiB an upload may reach; a Float holds every size exactly.
    size: t.exposeFloat('size', { description: 'Bytes.' }),
    sha256: t.exposeString('sha256', { description: 'SHA-256 of the content, hex; the download’s ETag.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    downloadUrl: t.exposeString('downloadUrl', {
      description:
        'GET (or HEAD) it without an API key until downloadUrlExpiresAt: the content, streamed, with Range support. Ask again for a fresh one.',
    }),
    downloadUrlExpiresAt: t.expose('downloadUrlExpiresAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  file: t.field({
    type: StoredFileType,
    description: 'A file of the workspace, with a signed download URL (DOWNLOAD_URL_TTL_SECONDS).',
    authScopes: { read: true },
    args: { fileId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const service = serviceContext(ctx);
      return fileView(service, await getFile(service, String(args.fileId)));
    },
  }),
}));
