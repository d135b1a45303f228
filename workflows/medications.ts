/**
 * Medication reminders (src/wellness/medications/reminders.ts): each dose time of a medication with `reminders: true`
 * is a calendar schedule of `medicationReminder`; a fire runs one activity that announces the dose
 * (medication.reminder_due) unless it is not due that day or already logged. Deterministic: the activity reads the
 * clock and the data.
 */
export interface ReminderInput {
  medicationId: string;
  /** The dose time, local "HH:MM" in the user's zone. */
  time: string;
}

export interface ReminderOutcome {
  /** due: announced; logged: the dose already has a log; not_scheduled: not a dose day; ended: past the end date (the schedule is removed); gone: no such medication. */
  status: 'due' | 'logged' | 'not_scheduled' | 'ended' | 'gone';
  /** The local day of the dose the fire was for; null when the medication is gone. */
  date: string | null;
  /** due: how long until the dose's on-time window closes, when the workflow checks it for a missed dose. */
  missedCheckInMs?: number | null;
  /** After that check: whether the dose was found missed (medication.dose_missed announced, once per dose). */
  missed?: boolean;
}

export interface MedicationActivities {
  remindDose(input: ReminderInput): Promise<ReminderOutcome>;
  /** Announces medication.dose_missed for the dose if it still has no log (once per dose, whoever finds it first). */
  checkMissedDose(input: ReminderInput & { date: string }): Promise<{ missed: boolean }>;
}

/**
 * A reminder, then a durable timer to the end of the dose's on-time window (Temporal's sleep; a stored wake-up time on
 * the local runner, holding no slot) and a check for a missed dose: so a medication with reminders has its missed
 * doses announced when the window closes, not only at the next read or log.
 */
export async function runMedicationReminder(
  input: ReminderInput,
  activities: Pick<MedicationActivities, 'remindDose' | 'checkMissedDose'>,
  engine: { sleep(ms: number): Promise<void> },
): Promise<ReminderOutcome> {
  const outcome = await activities.remindDose(input);
  if (outcome.status !== 'due' || outcome.date === null || outcome.missedCheckInMs == null) return outcome;
  await engine.sleep(outcome.missedCheckInMs);
  const { missed } = await activities.checkMissedDose({ ...input, date: outcome.date });
  return { ...outcome, missed };
}
