import type { ServiceContext } from '../context.js';
import type { Quotas } from '../config.js';
import type { Db } from '../db/client.js';
import type { ApiKey, Prisma } from '../generated/prisma/client.js';
import { Conflict, Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { recordAudit } from '../audit/audit.js';
import { assertUnderQuota } from '../workspaces/quotas.js';
import { displayPrefix, generateKeySecret, hashKey } from './key-secret.js';
import { scopeToDb, type Scope } from './scopes.js';

export interface NewApiKeyInput {
  name: string;
  scope: Scope;
  expiresAt?: Date | null;
}

/** What key management needs of the service context; `quotas` when keys are made through the API. */
type KeyContext = Pick<ServiceContext, 'db' | 'workspaceId' | 'clock' | 'actor' | 'lookupCache'> & { quotas?: Quotas };

/** A freshly made key: the row plus the secret, which is never readable again. */
export type ApiKeyWithSecret = ApiKey & { key: string };

/** Rotation may keep the old key working for a while so deployments can switch over; at most a week. */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

function activeWhere(ctx: KeyContext) {
  const now = ctx.clock.now();
  return { workspaceId: ctx.workspaceId, OR: [{ revokedAt: null }, { revokedAt: { gt: now } }] };
}

function validateInput(ctx: KeyContext, input: NewApiKeyInput): void {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 100) throw new Invalid('name must be 1 to 100 characters');
  if (input.expiresAt && input.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    throw new Invalid('expiresAt must be in the future');
  }
}

export async function createApiKey(ctx: KeyContext, input: NewApiKeyInput, key = generateKeySecret()): Promise<ApiKeyWithSecret> {
  validateInput(ctx, input);
  const create = async (tx: Prisma.TransactionClient): Promise<ApiKey> => {
    const row = await tx.apiKey.create({
      data: {
        id: newId(),
        workspaceId: ctx.workspaceId,
        name: input.name.trim(),
        prefix: displayPrefix(key),
        secretHash: hashKey(key),
        scope: scopeToDb(input.scope),
        expiresAt: input.expiresAt ?? null,
      },
    });
    await recordAudit(
      { ...ctx, db: tx as Db },
      { action: 'api_key.created', targetType: 'api_key', targetId: row.id, details: { name: row.name, scope: input.scope } },
    );
    return row;
  };
  // Workspace creation and bootstrap pass their own transaction (no $transaction on it) and no quotas.
  const quotas = ctx.quotas;
  const row = quotas
    ? await ctx.db.$transaction(async (tx) => {
        await assertUnderQuota(tx, quotas, 'apiKeys', ctx.workspaceId, () => tx.apiKey.count({ where: activeWhere(ctx) }));
        return create(tx);
      })
    : await create(ctx.db);
  return { ...row, key };
}

export function listApiKeys(ctx: KeyContext, args: PageArgs): Promise<Page<ApiKey>> {
  const where = activeWhere(ctx);
  return paginate(args, {
    list: `api-keys:${ctx.workspaceId}`,
    count: () => ctx.db.apiKey.count({ where }),
    fetch: (window) => ctx.db.apiKey.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
}

async function findActiveKey(ctx: KeyContext, id: string): Promise<ApiKey> {
  const row = await ctx.db.apiKey.findFirst({ where: { AND: [activeWhere(ctx), { id }] } });
  if (!row) throw new NotFound(`API key ${id} not found`);
  return row;
}

/**
 * Refuses to remove the workspace's last lasting admin key: nobody could manage the workspace after that. Keys
 * that expire or sit in a rotation grace period do not count, since they stop working by themselves.
 */
async function assertNotLastAdmin(ctx: KeyContext, key: ApiKey): Promise<void> {
  if (key.scope !== 'ADMIN') return;
  const lasting = {
    workspaceId: ctx.workspaceId,
    scope: 'ADMIN' as const,
    id: { not: key.id },
    revokedAt: null,
    OR: [{ expiresAt: null }, { expiresAt: { gt: ctx.clock.now() } }],
  };
  if ((await ctx.db.apiKey.count({ where: lasting })) === 0) {
    throw new Conflict('this is the last admin key of the workspace; create another admin key first');
  }
}

export async function deleteApiKey(ctx: KeyContext, id: string): Promise<void> {
  await ctx.db.$transaction(async (tx) => {
    // Serializes key deletions per workspace, so two concurrent deletes cannot both pass the last-admin check.
    await tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${ctx.workspaceId} FOR UPDATE`;
    const txCtx = { ...ctx, db: tx as typeof ctx.db };
    const key = await findActiveKey(txCtx, id);
    await assertNotLastAdmin(txCtx, key);
    await tx.apiKey.delete({ where: { id: key.id } });
    await recordAudit(txCtx, { action: 'api_key.deleted', targetType: 'api_key', targetId: key.id, details: { name: key.name } });
  });
  // After the commit: a request that reads the key from now on, on any instance, finds it gone.
  await ctx.lookupCache?.invalidate();
}

/** Issues a new secret with the same name, scope and expiry, and revokes the old one (after the grace period). */
export async function rotateApiKey(ctx: KeyContext, id: string, graceSeconds = 0): Promise<ApiKeyWithSecret> {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_ROTATION_GRACE_SECONDS) {
    throw new Invalid(`gracePeriodSeconds must be an integer from 0 to ${MAX_ROTATION_GRACE_SECONDS}`);
  }
  const key = generateKeySecret();
  const rotated = await ctx.db.$transaction(async (tx) => {
    const txCtx = { ...ctx, db: tx as typeof ctx.db };
    const old = await findActiveKey(txCtx, id);
    const revokedAt = new Date(ctx.clock.now().getTime() + graceSeconds * 1000);
    await tx.apiKey.update({ where: { id: old.id }, data: { revokedAt } });
    const row = await tx.apiKey.create({
      data: {
        id: newId(),
        workspaceId: ctx.workspaceId,
        name: old.name,
        prefix: displayPrefix(key),
        secretHash: hashKey(key),
        scope: old.scope,
        expiresAt: old.expiresAt,
        rotatedFromId: old.id,
      },
    });
    await recordAudit(txCtx, {
      action: 'api_key.rotated',
      targetType: 'api_key',
      targetId: old.id,
      details: { newKeyId: row.id, gracePeriodSeconds: graceSeconds },
    });
    return { ...row, key };
  });
  // The old key's cached row lacks its new revokedAt (the end of the grace period, or now).
  await ctx.lookupCache?.invalidate();
  return rotated;
}
