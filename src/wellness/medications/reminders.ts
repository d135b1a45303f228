import type { ServiceContext } from '../../context.js';
import type { MedicationRow } from './medication-store.js';

/** One calendar schedule per medication and dose time. */
export const reminderScheduleId = (medicationId: string, time: string) => `medication-reminder:${medicationId}:${time}`;

/**
 * A medication with `reminders: true` gets a calendar schedule of the `medicationReminder` workflow at each dose
 * time (local HH:MM in the user's zone, on its weekdays), as digest rules do (src/notifications/digest-schedule.ts).
 * The start and end dates are checked when a schedule fires: before the start nothing is announced, after the end
 * the fire removes its own schedule. `schedule` is an upsert on both engines, so this also moves them to a new zone.
 *
 * DST: the engines fire a wall time a spring-forward night skips (02:30 in New York on 2025-03-09) not at all that
 * day (src/jobs/calendar.ts, Temporal's rules), so that day's 02:30 dose — which the dose logic places at 03:30
 * (schedule.ts, wallClockInstant) — gets no reminder; the next fires at 02:30 the day after.
 */
export async function syncMedicationReminders(
  ctx: Pick<ServiceContext, 'jobs'>,
  medication: Pick<MedicationRow, 'id' | 'workspaceId' | 'times' | 'daysOfWeek' | 'reminders'>,
  timezone: string,
): Promise<void> {
  if (!medication.reminders) return removeMedicationReminders(ctx, medication);
  for (const time of medication.times) {
    const [hour, minute] = time.split(':').map(Number) as [number, number];
    await ctx.jobs.schedule(
      'medicationReminder',
      { medicationId: medication.id, time },
      {
        id: reminderScheduleId(medication.id, time),
        workspaceId: medication.workspaceId,
        calendar: { hour, minute, ...(medication.daysOfWeek.length === 0 ? {} : { daysOfWeek: [...medication.daysOfWeek] }) },
        timezone,
      },
    );
  }
}

export async function removeMedicationReminders(
  ctx: Pick<ServiceContext, 'jobs'>,
  medication: Pick<MedicationRow, 'id' | 'times'>,
): Promise<void> {
  for (const time of medication.times) await ctx.jobs.unschedule(reminderScheduleId(medication.id, time));
}

/** A user's zone changed: their reminders move to it (dose times are wall-clock times). */
export async function rescheduleRemindersOf(ctx: ServiceContext, userId: string, timezone: string): Promise<void> {
  const medications = await ctx.sql.query<{ id: string; workspaceId: string; times: string[]; daysOfWeek: number[] }>(
    `SELECT id, "workspaceId", times, "daysOfWeek" FROM "Medication" WHERE "userId" = $1 AND reminders`,
    [userId],
  );
  for (const medication of medications)
    await syncMedicationReminders(ctx, { ...medication, daysOfWeek: medication.daysOfWeek.map(Number), reminders: true }, timezone);
}
