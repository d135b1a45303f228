import type { SqlSession } from '../../db/client.js';
import { plainArray, textArray } from '../../db/array-literal.js';
import type { DoseStatus } from './adherence.js';

export const MEDICATION_FORMS = ['tablet', 'capsule', 'liquid', 'injection', 'inhaler', 'drops', 'patch', 'topical', 'other'] as const;
export type MedicationForm = (typeof MEDICATION_FORMS)[number];

/** A stored medication: dates as the user's local days (YYYY-MM-DD). */
export interface MedicationRow {
  id: string;
  workspaceId: string;
  userId: string;
  name: string;
  dosage: string | null;
  form: MedicationForm;
  times: string[];
  daysOfWeek: number[];
  startDate: string;
  endDate: string | null;
  onTimeWindowMinutes: number;
  reminders: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A dose log: `date`/`time` name the scheduled dose, `localDate` is the local day of `at`. */
export interface DoseRow {
  id: string;
  userId: string;
  medicationId: string;
  date: string;
  time: string;
  scheduledAt: Date;
  status: DoseStatus;
  at: Date;
  localDate: string;
  note: string | null;
  createdAt: Date;
}

// Dates leave the database as text: a DATE parsed into a JS Date would shift with the server's zone.
export const MEDICATION_COLUMNS = `id, "workspaceId", "userId", name, dosage, form, times, "daysOfWeek",
  to_char("startDate", 'YYYY-MM-DD') AS "startDate", to_char("endDate", 'YYYY-MM-DD') AS "endDate",
  "onTimeWindowMinutes", reminders, "createdAt", "updatedAt"`;

export const DOSE_COLUMNS = `id, "userId", "medicationId", to_char(date, 'YYYY-MM-DD') AS date, time, "scheduledAt", status, at,
  to_char("localDate", 'YYYY-MM-DD') AS "localDate", note, "createdAt"`;

export function toMedicationRow(row: Record<string, unknown>): MedicationRow {
  return {
    ...(row as unknown as MedicationRow),
    times: [...(row.times as string[])],
    daysOfWeek: (row.daysOfWeek as number[]).map(Number),
    onTimeWindowMinutes: Number(row.onTimeWindowMinutes),
    createdAt: new Date(row.createdAt as string),
    updatedAt: new Date(row.updatedAt as string),
  };
}

export function toDoseRow(row: Record<string, unknown>): DoseRow {
  return {
    ...(row as unknown as DoseRow),
    scheduledAt: new Date(row.scheduledAt as string),
    at: new Date(row.at as string),
    createdAt: new Date(row.createdAt as string),
  };
}

export async function insertMedication(tx: SqlSession, m: Omit<MedicationRow, 'createdAt' | 'updatedAt'>): Promise<MedicationRow> {
  const [row] = await tx.query(
    `INSERT INTO "Medication" (id, "workspaceId", "userId", name, dosage, form, times, "daysOfWeek", "startDate", "endDate",
       "onTimeWindowMinutes", reminders, "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::int[], $9::date, $10::date, $11, $12, now()) RETURNING ${MEDICATION_COLUMNS}`,
    [
      m.id,
      m.workspaceId,
      m.userId,
      m.name,
      m.dosage,
      m.form,
      textArray(m.times),
      plainArray(m.daysOfWeek),
      m.startDate,
      m.endDate,
      m.onTimeWindowMinutes,
      m.reminders,
    ],
  );
  return toMedicationRow(row!);
}

export async function findMedication(sql: Pick<SqlSession, 'query'>, userId: string, medicationId: string): Promise<MedicationRow | null> {
  const [row] = await sql.query(`SELECT ${MEDICATION_COLUMNS} FROM "Medication" WHERE id = $1 AND "userId" = $2`, [medicationId, userId]);
  return row ? toMedicationRow(row) : null;
}

/** The logs of a medication's doses scheduled between two local days. */
export async function dosesLoggedBetween(
  sql: Pick<SqlSession, 'query'>,
  medicationId: string,
  from: string,
  to: string,
): Promise<DoseRow[]> {
  const rows = await sql.query(
    `SELECT ${DOSE_COLUMNS} FROM "MedicationDose" WHERE "medicationId" = $1 AND date BETWEEN $2::date AND $3::date ORDER BY date, time`,
    [medicationId, from, to],
  );
  return rows.map(toDoseRow);
}

/** Inserts a dose log; null when the dose already has one (the unique key on medication, day and time). */
export async function insertDose(tx: SqlSession, d: Omit<DoseRow, 'createdAt'> & { workspaceId: string }): Promise<DoseRow | null> {
  const [row] = await tx.query(
    `INSERT INTO "MedicationDose" (id, "workspaceId", "userId", "medicationId", date, time, "scheduledAt", status, at, "localDate", note)
     VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9, $10::date, $11)
     ON CONFLICT ("medicationId", date, time) DO NOTHING RETURNING ${DOSE_COLUMNS}`,
    [d.id, d.workspaceId, d.userId, d.medicationId, d.date, d.time, d.scheduledAt, d.status, d.at, d.localDate, d.note],
  );
  return row ? toDoseRow(row) : null;
}
