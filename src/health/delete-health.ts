import type { ServiceContext } from '../context.js';
import { HEALTH_DATA_ACHIEVEMENTS } from '../achievements/catalogue.js';
import { auditData } from '../audit/audit.js';
import { deleteEventsAndRecords } from '../events/deletion-events.js';
import { deleteReportsOf } from '../reports/reports.js';
import { getUser } from '../users/users.js';
import { removeMedicationReminders } from '../wellness/medications/reminders.js';

/**
 * GDPR erasure of a user's health data: samples, rollups, events and records, and every wellness log (water, meals,
 * mood, journal, habits with their completions, medications with their doses, symptoms), in one transaction, with what
 * was derived from them (health reports and their files, the periods their goals were met in, the achievements the
 * data unlocked; goals and report schedules are settings and stay, and so do achievements of connections; challenge
 * standings drop to 0, memberships stay). Idempotent.
 */
export async function deleteHealthData(ctx: ServiceContext, userId: string): Promise<void> {
  const user = await getUser(ctx, userId);
  const { reminded, reportKeys } = await ctx.db.$transaction(async (tx) => {
    const medications = await tx.medication.findMany({ where: { userId: user.id, reminders: true }, select: { id: true, times: true } });
    await tx.healthSample.deleteMany({ where: { userId: user.id } });
    await tx.healthRollup.deleteMany({ where: { userId: user.id } });
    await tx.dailyRollup.deleteMany({ where: { userId: user.id } });
    await tx.mergedDailyRollup.deleteMany({ where: { userId: user.id } });
    // Water and meal logs are health data whose values were the samples just removed.
    await tx.waterLog.deleteMany({ where: { userId: user.id } });
    await tx.meal.deleteMany({ where: { userId: user.id } });
    // The other wellness logs are what the user told about their health: the erasure takes them too (a habit's
    // completions and milestones, a medication's doses and missed doses go with it by cascade).
    await tx.moodEntry.deleteMany({ where: { userId: user.id } });
    await tx.journalEntry.deleteMany({ where: { userId: user.id } });
    await tx.habit.deleteMany({ where: { userId: user.id } });
    await tx.medication.deleteMany({ where: { userId: user.id } });
    await tx.symptomLog.deleteMany({ where: { userId: user.id } });
    await tx.goalAchievement.deleteMany({ where: { goal: { userId: user.id } } });
    await tx.challengeMember.updateMany({ where: { userId: user.id }, data: { value: 0, days: 0, updatedAt: new Date() } });
    await tx.achievement.deleteMany({ where: { userId: user.id, type: { in: [...HEALTH_DATA_ACHIEVEMENTS] } } });
    await tx.auditEvent.create({ data: auditData(ctx, { action: 'health_data.deleted', targetType: 'user', targetId: user.id }) });
    await deleteEventsAndRecords(ctx, tx, { userId: user.id }, { userId: user.id });
    // Health reports are derived from the data: they and their files go too (src/reports/reports.ts).
    const reportKeys = await deleteReportsOf(tx, user.id);
    return { reminded: medications, reportKeys };
  });
  // Reminder schedules live in the job engine, outside the user's rows.
  for (const medication of reminded) await removeMedicationReminders(ctx, medication);
  // The reports' file contents: their rows are gone, so no URL serves them any more; the bytes go now.
  for (const key of reportKeys) await ctx.storage?.delete(key);
}
