import type { ServiceContext } from '../context.js';
import { readOnce } from '../lib/read-memo.js';
import type { Prisma, User } from '../generated/prisma/client.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { assertTimeZone } from '../lib/time.js';
import { assertUnderQuota } from '../workspaces/quotas.js';
import { recordAudit } from '../audit/audit.js';
import { syncScheduleId } from '../connections/sync-jobs.js';
import { rebuildDailyRollupsStatements } from '../health/rebuild-daily-rollups.js';
import { rebuildMergedDays } from '../health/merged-daily-rollups.js';
import { prismaQueryable } from '../db/prisma-queryable.js';
import { emit, type EmitTx } from '../domain-events/emit.js';
import { removeDigestSchedule, rescheduleDigestsOf } from '../notifications/digest-schedule.js';
import { removeReportSchedules, rescheduleReportsOf } from '../reports/report-schedules.js';
import { removeMedicationReminders, rescheduleRemindersOf } from '../wellness/medications/reminders.js';
import { userResource } from './user-resource.js';

export interface UserInput {
  email?: string | null;
  timezone?: string | null;
  metadata?: unknown;
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MAX_EMAIL_LENGTH = 254;
const MAX_METADATA_BYTES = 16 * 1024;
export const MAX_EXTERNAL_ID_LENGTH = 255;

function validate(input: UserInput): Prisma.UserUpdateInput {
  const data: Prisma.UserUpdateInput = {};
  if (input.email !== undefined) {
    if (input.email !== null && (input.email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(input.email))) {
      throw new Invalid(`email "${input.email}" is not an email address`);
    }
    data.email = input.email;
  }
  if (input.timezone != null) data.timezone = assertTimeZone(input.timezone);
  if (input.metadata != null) {
    if (typeof input.metadata !== 'object' || Array.isArray(input.metadata)) throw new Invalid('metadata must be a JSON object');
    if (JSON.stringify(input.metadata).length > MAX_METADATA_BYTES)
      throw new Invalid(`metadata must be at most ${MAX_METADATA_BYTES} bytes of JSON`);
    data.metadata = input.metadata as Prisma.InputJsonObject;
  }
  return data;
}

function announce(ctx: ServiceContext, tx: EmitTx, action: 'created' | 'updated' | 'deleted', user: User): Promise<void> {
  return emit(tx, { workspaceId: ctx.workspaceId, type: `user.${action}`, payload: userResource(user), occurredAt: ctx.clock.now() });
}

/** Creates the user for `externalId`, or returns the one that exists (then `created` is false and nothing changes). */
export async function createOrFindUser(
  ctx: ServiceContext,
  externalId: string,
  input: UserInput,
): Promise<{ user: User; created: boolean }> {
  const id = externalId.trim();
  if (id.length < 1 || id.length > MAX_EXTERNAL_ID_LENGTH)
    throw new Invalid(`externalId must be 1 to ${MAX_EXTERNAL_ID_LENGTH} characters`);
  const data = validate(input);
  const where = { workspaceId_externalId: { workspaceId: ctx.workspaceId, externalId: id } };
  const existing = await ctx.db.user.findUnique({ where });
  if (existing) return { user: existing, created: false };
  const inserted = await ctx.db.$transaction(async (tx) => {
    await assertUnderQuota(tx, ctx.config.quotas, 'users', ctx.workspaceId, () =>
      tx.user.count({ where: { workspaceId: ctx.workspaceId } }),
    );
    // ON CONFLICT DO NOTHING makes two racing creates agree on one row instead of one of them failing.
    const { count } = await tx.user.createMany({
      data: [{ ...(data as Prisma.UserCreateManyInput), id: newId(), workspaceId: ctx.workspaceId, externalId: id }],
      skipDuplicates: true,
    });
    if (count === 1) await announce(ctx, tx, 'created', await tx.user.findUniqueOrThrow({ where }));
    return count;
  });
  const user = await ctx.db.user.findUniqueOrThrow({ where });
  return { user, created: inserted === 1 };
}

/** A user of the context's workspace; cached across requests (src/lib/lookup-cache.ts), which updates and deletes invalidate. */
export async function getUser(ctx: ServiceContext, userId: string): Promise<User> {
  const find = () => ctx.db.user.findFirst({ where: { id: userId, workspaceId: ctx.workspaceId } });
  const user = await readOnce(ctx, `user:${userId}`, () =>
    ctx.lookups ? ctx.lookups.read(`user:${ctx.workspaceId}:${userId}`, find) : find(),
  );
  if (!user) throw new NotFound(`user ${userId} not found`);
  return user;
}

/** `shape` adds relations to load with each user (the GraphQL layer passes what the client selected). */
export function listUsers(ctx: ServiceContext, args: PageArgs, shape: { include?: object; select?: object } = {}): Promise<Page<User>> {
  const where = { workspaceId: ctx.workspaceId };
  // The page cursor needs the id even when the caller selects columns.
  const selection: Pick<Prisma.UserFindManyArgs, 'select' | 'include'> = shape.select
    ? { select: { ...shape.select, id: true } }
    : { include: shape.include as Prisma.UserInclude | undefined };
  return paginate(args, {
    list: `users:${ctx.workspaceId}`,
    count: () => ctx.db.user.count({ where }),
    fetch: (window) => ctx.db.user.findMany({ ...selection, ...idOrderedWindow(where, window) }) as Promise<User[]>,
    keyOf: (user) => [user.id],
  });
}

/** Changes only the fields given; metadata is replaced as a whole. A new time zone re-cuts the daily rollups (per source and merged). */
export async function updateUser(ctx: ServiceContext, userId: string, input: UserInput): Promise<User> {
  const data = validate(input);
  const existing = await getUser(ctx, userId);
  const user = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.user.update({ where: { id: existing.id }, data });
    if (updated.timezone !== existing.timezone) {
      for (const [sql, ...params] of rebuildDailyRollupsStatements(updated.id, updated.timezone))
        await tx.$executeRawUnsafe(sql, ...params);
      await rebuildMergedDays(prismaQueryable(tx), updated.id);
    }
    await announce(ctx, tx, 'updated', updated);
    return updated;
  });
  await ctx.lookupCache?.invalidate();
  // Digests go out at a local time: they follow the user to the new zone.
  if (user.timezone !== existing.timezone) {
    await rescheduleDigestsOf(ctx, user.id, user.timezone);
    await rescheduleRemindersOf(ctx, user.id, user.timezone);
    await rescheduleReportsOf(ctx, user);
  }
  return user;
}

/** Removes the user and, by the schema's cascading foreign keys, every row that belongs to them, atomically. */
export async function deleteUser(ctx: ServiceContext, userId: string): Promise<void> {
  const { connectionIds, storageKeys, ruleIds, reminded } = await ctx.db.$transaction(async (tx) => {
    const found = await tx.user.findFirst({
      where: { id: userId, workspaceId: ctx.workspaceId },
      include: {
        connections: { select: { id: true } },
        storedFiles: { select: { storageKey: true } },
        notificationRules: { select: { id: true } },
        medications: { where: { reminders: true }, select: { id: true, times: true } },
      },
    });
    if (!found) throw new NotFound(`user ${userId} not found`);
    // Samples have no foreign key to cascade through (prisma/schema.prisma): they go first, in this transaction.
    await tx.healthSample.deleteMany({ where: { userId: found.id } });
    await tx.user.delete({ where: { id: found.id } });
    await recordAudit({ ...ctx, db: tx as typeof ctx.db }, { action: 'user.deleted', targetType: 'user', targetId: found.id });
    // One event for the user: what went with them (connections, events, records) is not announced one by one.
    await announce(ctx, tx, 'deleted', found);
    return {
      connectionIds: found.connections.map((connection) => connection.id),
      storageKeys: found.storedFiles.map((file) => file.storageKey),
      ruleIds: found.notificationRules.map((rule) => rule.id),
      reminded: found.medications,
    };
  });
  await ctx.lookupCache?.invalidate();
  // Schedules live in the job engine (Temporal or the local runner), outside the user's rows.
  for (const id of connectionIds) await ctx.jobs.unschedule(syncScheduleId(id));
  for (const id of ruleIds) await removeDigestSchedule(ctx, id);
  for (const medication of reminded) await removeMedicationReminders(ctx, medication);
  await removeReportSchedules(ctx, userId);
  // So do file contents: their rows went with the user, so no URL serves them any more; the bytes go now.
  for (const key of storageKeys) await ctx.storage?.delete(key);
}
