/** A stored symptom log: localDate / localTime in the user's zone when written. */
export interface SymptomRow {
  id: string;
  userId: string;
  type: string;
  severity: number;
  bodyLocation: string | null;
  durationMinutes: number | null;
  triggers: string[];
  notes: string | null;
  at: Date;
  localDate: string;
  localTime: string;
  createdAt: Date;
}

export const SYMPTOM_COLUMNS = `id, "userId", type, severity, "bodyLocation", "durationMinutes", triggers, notes, at,
  to_char("localDate", 'YYYY-MM-DD') AS "localDate", "localTime", "createdAt"`;

export function toSymptomRow(row: Record<string, unknown>): SymptomRow {
  return {
    ...(row as unknown as SymptomRow),
    severity: Number(row.severity),
    durationMinutes: row.durationMinutes == null ? null : Number(row.durationMinutes),
    triggers: [...(row.triggers as string[])],
    at: new Date(row.at as string),
    createdAt: new Date(row.createdAt as string),
  };
}

/** The JSON of a symptom log as GET lists it: the payload of symptom.* events. */
export function symptomResource(s: SymptomRow) {
  return { ...s, at: s.at.toISOString(), createdAt: s.createdAt.toISOString() };
}
