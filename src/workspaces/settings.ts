import type { ServiceContext } from '../context.js';
import type { Workspace } from '../generated/prisma/client.js';
import { auditData } from '../audit/audit.js';
import { SOURCE_PATTERN } from '../health/ingest.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { prismaQueryable } from '../db/prisma-queryable.js';
import { rebuildMergedDaysOfWorkspace } from '../health/merged-daily-rollups.js';

export async function getWorkspace(ctx: ServiceContext): Promise<Workspace> {
  const workspace = await ctx.db.workspace.findUnique({ where: { id: ctx.workspaceId } });
  if (!workspace) throw new NotFound('workspace not found');
  return workspace;
}

/** Sets which source wins when several report the same metric (most preferred first), and re-merges cumulative metrics. */
export async function setSourcePriority(ctx: ServiceContext, sources: string[]): Promise<Workspace> {
  if (sources.length > 50) throw new Invalid('sourcePriority holds at most 50 sources');
  for (const source of sources) {
    if (!SOURCE_PATTERN.test(source)) throw new Invalid(`source "${source}" must be 1–64 lower-case letters, digits, "_", "." or "-"`);
  }
  if (new Set(sources).size !== sources.length) throw new Invalid('sourcePriority lists a source twice');
  return ctx.db.$transaction(
    async (tx) => {
      const workspace = await tx.workspace.update({ where: { id: ctx.workspaceId }, data: { sourcePriority: sources } });
      await tx.auditEvent.create({
        data: auditData(ctx, {
          action: 'workspace.source_priority_changed',
          targetType: 'workspace',
          targetId: ctx.workspaceId,
          details: { sources },
        }),
      });
      // The merged days of cumulative metrics follow the priority; rebuilt with it, so no read sees a mix.
      await rebuildMergedDaysOfWorkspace(prismaQueryable(tx), ctx.workspaceId);
      return workspace;
      // Prisma's 5 s default would cut the rebuild short for a workspace with many multi-source users.
    },
    { timeout: 120_000 },
  );
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
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
      throw new Invalid(`"${uri}" must use https (http only on localhost)`);
  }
  const [workspace] = await ctx.db.$transaction([
    ctx.db.workspace.update({ where: { id: ctx.workspaceId }, data: { redirectUris: uris } }),
    ctx.db.auditEvent.create({
      data: auditData(ctx, {
        action: 'workspace.redirect_uris_changed',
        targetType: 'workspace',
        targetId: ctx.workspaceId,
        details: { uris },
      }),
    }),
  ]);
  return workspace;
}
