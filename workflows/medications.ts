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
}

export interface MedicationActivities {
  remindDose(input: ReminderInput): Promise<ReminderOutcome>;
}

export async function runMedicationReminder(
  input: ReminderInput,
  activities: Pick<MedicationActivities, 'remindDose'>,
): Promise<ReminderOutcome> {
  return activities.remindDose(input);
}
