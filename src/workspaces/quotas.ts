import type { Quotas } from '../config.js';
import type { Prisma } from '../generated/prisma/client.js';
import { QuotaExceeded } from '../lib/errors.js';

const WHAT: Record<keyof Quotas, { noun: string; setting: string }> = {
  users: { noun: 'users', setting: 'QUOTA_USERS' },
  apiKeys: { noun: 'active API keys', setting: 'QUOTA_API_KEYS' },
};

/**
 * Refuses one more of `kind` when the workspace already holds its quota. Call it inside the transaction that
 * creates the row: the lock on the workspace row makes racing creates count one after the other, so a quota of
 * N never ends at N + 1. A quota of 0 is no limit and costs nothing.
 */
export async function assertUnderQuota(
  tx: Prisma.TransactionClient,
  quotas: Quotas,
  kind: keyof Quotas,
  workspaceId: string,
  count: () => Promise<number>,
): Promise<void> {
  const limit = quotas[kind];
  if (limit === 0) return;
  await tx.$queryRaw`SELECT 1 FROM "Workspace" WHERE id = ${workspaceId} FOR UPDATE`;
  if ((await count()) >= limit) {
    const { noun, setting } = WHAT[kind];
    throw new QuotaExceeded(`the workspace has reached its quota of ${limit} ${noun} (${setting}); delete some first`);
  }
}
