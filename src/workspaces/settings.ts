import type { ServiceContext } from '../context.js';
import type { Workspace } from '../generated/prisma/client.js';
import { SOURCE_PATTERN } from '../health/ingest.js';
import { Invalid, NotFound } from '../lib/errors.js';

export async function getWorkspace(ctx: ServiceContext): Promise<Workspace> {
  const workspace = await ctx.db.workspace.findUnique({ where: { id: ctx.workspaceId } });
  if (!workspace) throw new NotFound('workspace not found');
  return workspace;
}

/** Sets which source wins when several report the same metric (most preferred first). */
export async function setSourcePriority(ctx: ServiceContext, sources: string[]): Promise<Workspace> {
  if (sources.length > 50) throw new Invalid('sourcePriority holds at most 50 sources');
  for (const source of sources) {
    if (!SOURCE_PATTERN.test(source)) throw new Invalid(`source "${source}" must be 1–64 lower-case letters, digits, "_", "." or "-"`);
  }
  if (new Set(sources).size !== sources.length) throw new Invalid('sourcePriority lists a source twice');
  return ctx.db.workspace.update({ where: { id: ctx.workspaceId }, data: { sourcePriority: sources } });
}

/** Connect flows may only send browsers back to these (https, or http on localhost for development). */
export async function setRedirectUris(ctx: ServiceContext, uris: string[]): Promise<Workspace> {
  if (uris.length > 20) throw new Invalid('redirectUris holds at most 20 URIs');
  for (const uri of uris) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new Invalid(`"${uri}" is not a URL`);
    }
    const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new Invalid(`"${uri}" must use https (http only on localhost)`);
  }
  return ctx.db.workspace.update({ where: { id: ctx.workspaceId }, data: { redirectUris: uris } });
}
