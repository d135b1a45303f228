import { randomBytes } from 'node:crypto';
import { createApiKey } from '../auth/api-keys.js';
import { hashKey } from '../auth/key-secret.js';
import type { ServiceContext } from '../context.js';
import { setInstallSecret } from '../lib/signing.js';
import { createWorkspace } from './workspaces.js';

export interface BootstrapResult {
  /** Set only when this start created a key that nobody has seen yet: print it once. */
  generatedAdminKey: string | null;
}

/**
 * First start: makes the default workspace and its admin key. With VITASYNC_ADMIN_KEY set, that key is installed
 * (once) instead of a generated one, so automation knows the key in advance.
 */
export async function bootstrap(
  ctx: Pick<ServiceContext, 'db' | 'sql' | 'clock'>,
  options: { adminKey: string | null; secret: string | null },
): Promise<BootstrapResult> {
  setInstallSecret(options.secret ?? (await storedSecret(ctx)));
  const first = await ctx.db.workspace.findFirst({ orderBy: { id: 'asc' } });
  if (!first) {
    const created = await createWorkspace(ctx, 'Default workspace', options.adminKey ?? undefined);
    return { generatedAdminKey: options.adminKey ? null : created.adminKey.key };
  }
  if (options.adminKey) {
    const known = await ctx.db.apiKey.findUnique({ where: { secretHash: hashKey(options.adminKey) } });
    if (!known)
      await createApiKey({ ...ctx, workspaceId: first.id }, { name: 'admin (VITASYNC_ADMIN_KEY)', scope: 'admin' }, options.adminKey);
  }
  return { generatedAdminKey: null };
}

async function storedSecret(ctx: Pick<ServiceContext, 'db'>): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  // Upsert-with-no-update keeps the first instance's secret when several start at once.
  const row = await ctx.db.setting.upsert({
    where: { key: 'cursorSecret' },
    create: { key: 'cursorSecret', value },
    update: {},
  });
  return row.value;
}
