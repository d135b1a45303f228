import type { ServiceContext } from '../../context.js';
import { emit } from '../../domain-events/emit.js';
import type { TimedDose } from './adherence.js';
import type { MedicationRow } from './medication-store.js';

/**
 * Records the missed doses found by a read or a log and announces each once (medication.dose_missed): the row's
 * key (medication, day, time) makes a second finding a no-op. A dose is found missed when something looks at it
 * after its on-time window closed: a stats read, a later log, or (medications with reminders) the reminder workflow's
 * timer at the window's end (workflows/medications.ts).
 */
export async function recordMissedDoses(ctx: ServiceContext, medication: MedicationRow, missed: readonly TimedDose[]): Promise<void> {
  if (missed.length === 0) return;
  await ctx.sql.transaction(async (tx) => {
    const inserted = await tx.query<{ date: string; time: string }>(
      `INSERT INTO "MedicationMissedDose" ("medicationId", date, time)
       SELECT $1, d::date, t FROM unnest($2::text[], $3::text[]) AS m(d, t)
       ON CONFLICT DO NOTHING RETURNING to_char(date, 'YYYY-MM-DD') AS date, time`,
      [medication.id, `{${missed.map((d) => d.date).join(',')}}`, `{${missed.map((d) => d.time).join(',')}}`],
    );
    if (inserted.length === 0) return;
    const instants = new Map(missed.map((dose) => [`${dose.date} ${dose.time}`, dose.instant]));
    const now = ctx.clock.now();
    await emit(
      tx,
      inserted.map((dose) => ({
        workspaceId: ctx.workspaceId,
        type: 'medication.dose_missed' as const,
        payload: {
          userId: medication.userId,
          medicationId: medication.id,
          name: medication.name,
          date: dose.date,
          time: dose.time,
          scheduledAt: new Date(instants.get(`${dose.date} ${dose.time}`)!).toISOString(),
          onTimeWindowMinutes: medication.onTimeWindowMinutes,
        },
        occurredAt: now,
      })),
    );
  });
}
