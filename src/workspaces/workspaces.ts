import type { ApiKeyWithSecret } from '../auth/api-keys.js';
import { createApiKey } from '../auth/api-keys.js';
import type { ServiceContext } from '../context.js';
import type { Workspace } from '../generated/prisma/client.js';
import { Invalid } from '../lib/errors.js';
import { newId } from '../lib/ids.js';

export interface NewWorkspace {
  workspace: Workspace;
  adminKey: ApiKeyWithSecret;
}

/** A tenant with its first admin key, made in one transaction (a workspace without a key is unreachable). */
export async function createWorkspace(
  ctx: Pick<ServiceContext, 'db' | 'sql' | 'clock'>,
  name: string,
  adminKey?: string,
): Promise<NewWorkspace> {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw new Invalid('workspace name must be 1 to 100 characters');
  return ctx.db.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: { id: newId(), name: trimmed } });
    const txCtx = { ...ctx, db: tx as typeof ctx.db, workspaceId: workspace.id };
    const key = await createApiKey(txCtx, { name: 'admin', scope: 'admin' }, adminKey);
    return { workspace, adminKey: key };
  });
}
