import type { ServiceContext } from '../context.js';
import { auditData } from '../audit/audit.js';
import { getUser } from '../users/users.js';

/** GDPR erasure of a user's health data: samples, rollups, events and records, in one transaction. Idempotent. */
export async function deleteHealthData(ctx: ServiceContext, userId: string): Promise<void> {
  const user = await getUser(ctx, userId);
  await ctx.db.$transaction([
    ctx.db.healthSample.deleteMany({ where: { userId: user.id } }),
    ctx.db.healthRollup.deleteMany({ where: { userId: user.id } }),
    ctx.db.dailyRollup.deleteMany({ where: { userId: user.id } }),
    ctx.db.healthEvent.deleteMany({ where: { userId: user.id } }),
    ctx.db.personalRecord.deleteMany({ where: { userId: user.id } }),
    ctx.db.auditEvent.create({ data: auditData(ctx, { action: 'health_data.deleted', targetType: 'user', targetId: user.id }) }),
  ]);
}
