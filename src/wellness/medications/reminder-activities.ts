import type { MedicationActivities } from '../../../workflows/medications.js';
import { emit } from '../../domain-events/emit.js';
import type { Platform } from '../../jobs/platform.js';
import { addDays, localDay } from '../../lib/time.js';
import { MEDICATION_COLUMNS, toMedicationRow } from './medication-store.js';
import { recordMissedDoses } from './missed-doses.js';
import { removeMedicationReminders } from './reminders.js';
import { isScheduledDay, wallClockInstant } from './schedule.js';

/** A fire this late after its dose time still counts for that dose (a runner back from a pause, a slow queue). */
const LATE_FIRE_MS = 6 * 3_600_000;
/** Clocks of the engine and of the database host may differ a little: a fire this early is for today's dose. */
const EARLY_FIRE_MS = 5 * 60_000;

/** The medicationReminder workflow's activity (workflows/medications.ts). */
export function createMedicationActivities(platform: Platform): MedicationActivities {
  async function load(medicationId: string) {
    const [row] = await platform.sql.query(
      `SELECT ${MEDICATION_COLUMNS}, (SELECT timezone FROM "User" u WHERE u.id = m."userId") AS timezone
       FROM "Medication" m WHERE id = $1`,
      [medicationId],
    );
    return row ? { medication: toMedicationRow(row), timezone: String(row.timezone) } : null;
  }
  const isLogged = async (sql: Pick<Platform['sql'], 'query'>, medicationId: string, date: string, time: string) =>
    (
      await sql.query(`SELECT 1 FROM "MedicationDose" WHERE "medicationId" = $1 AND date = $2::date AND time = $3`, [
        medicationId,
        date,
        time,
      ])
    ).length > 0;

  return {
    async checkMissedDose({ medicationId, time, date }) {
      const found = await load(medicationId);
      if (!found || (await isLogged(platform.sql, medicationId, date, time))) return { missed: false };
      const { medication, timezone } = found;
      const instant = wallClockInstant(timezone, date, time);
      if (platform.clock.now().getTime() < instant + medication.onTimeWindowMinutes * 60_000) return { missed: false };
      await recordMissedDoses({ ...platform, workspaceId: medication.workspaceId }, medication, [{ date, time, instant }]);
      return { missed: true };
    },

    async remindDose({ medicationId, time }) {
      const found = await load(medicationId);
      if (!found) return { status: 'gone', date: null };
      const { medication, timezone } = found;
      // The dose this fire is for: today's at this time in the user's zone, or yesterday's when today's is still ahead
      // (a fire just after local midnight for a 23:59 dose).
      const now = platform.clock.now().getTime();
      let date = localDay(timezone, new Date(now));
      if (wallClockInstant(timezone, date, time) > now + EARLY_FIRE_MS) date = addDays(date, -1);
      if (medication.endDate !== null && date > medication.endDate) {
        await removeMedicationReminders(platform, medication);
        return { status: 'ended', date };
      }
      if (!medication.reminders || !medication.times.includes(time) || !isScheduledDay(medication, date))
        return { status: 'not_scheduled', date };
      const scheduledAt = wallClockInstant(timezone, date, time);
      if (now - scheduledAt > LATE_FIRE_MS) return { status: 'not_scheduled', date };
      return platform.sql.transaction(async (tx) => {
        if (await isLogged(tx, medication.id, date, time)) return { status: 'logged' as const, date };
        await emit(tx, {
          workspaceId: medication.workspaceId,
          type: 'medication.reminder_due',
          payload: {
            userId: medication.userId,
            medicationId: medication.id,
            name: medication.name,
            dosage: medication.dosage,
            date,
            time,
            scheduledAt: new Date(scheduledAt).toISOString(),
          },
          occurredAt: platform.clock.now(),
        });
        // A second past the window's close: the dose is missed from then on (adherence.ts: instant + window < now).
        const missedCheckInMs = Math.max(0, scheduledAt + medication.onTimeWindowMinutes * 60_000 + 1000 - now);
        return { status: 'due' as const, date, missedCheckInMs };
      });
    },
  };
}
