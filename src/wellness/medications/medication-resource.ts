import type { DoseOutcome } from './adherence.js';
import type { DoseRow, MedicationRow } from './medication-store.js';

/** A dose log as the API returns it: its outcome judged against the dose's time and the medication's window. */
export interface DoseView extends DoseRow {
  outcome: Exclude<DoseOutcome, 'missed' | 'pending'>;
}

export function doseView(dose: DoseRow, windowMinutes: number): DoseView {
  const windowMs = windowMinutes * 60_000;
  const offset = dose.at.getTime() - dose.scheduledAt.getTime();
  const outcome = dose.status === 'skipped' ? 'skipped' : offset < -windowMs ? 'early' : offset > windowMs ? 'late' : 'on_time';
  return { ...dose, outcome };
}

/** The JSON of a medication, as GET lists it: the payload of medication.* events. */
export function medicationResource(m: MedicationRow) {
  const { workspaceId: _workspace, ...fields } = m;
  return { ...fields, createdAt: m.createdAt.toISOString(), updatedAt: m.updatedAt.toISOString() };
}

/** The JSON of a dose log, as POST …/log returns it: the payload of medication_dose.* events. */
export function doseResource(d: DoseView) {
  return { ...d, scheduledAt: d.scheduledAt.toISOString(), at: d.at.toISOString(), createdAt: d.createdAt.toISOString() };
}
