import type { ServiceContext } from '../../context.js';
import { textArray } from '../../db/array-literal.js';
import { emit } from '../../domain-events/emit.js';
import { Invalid } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../../lib/pagination.js';
import { checkDay, localDay, zoneOffsetAt } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { SYMPTOM_COLUMNS, symptomResource, toSymptomRow, type SymptomRow } from './symptom-store.js';

export const SYMPTOM_TYPE_PATTERN = /^[a-z][a-z0-9_]{0,49}$/;
export const SYMPTOM_TYPE_WORDS = 'a lower-case slug of 1 to 50 characters a-z, 0-9 and _ starting with a letter (headache, joint_pain)';
export const MIN_SEVERITY = 1;
export const MAX_SEVERITY = 10;
export const MAX_BODY_LOCATION = 100;
export const MAX_DURATION_MINUTES = 10_080;
export const MAX_TRIGGERS = 10;
export const MAX_TRIGGER = 50;
export const MAX_NOTES = 1000;

export interface SymptomInput {
  type: string;
  severity: number;
  bodyLocation?: string | null;
  durationMinutes?: number | null;
  triggers?: readonly string[] | null;
  notes?: string | null;
  at?: Date | null;
}

function optionalText(name: string, value: string | null | undefined, max: number): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (trimmed.length < 1 || [...trimmed].length > max) throw new Invalid(`${name} must be 1 to ${max} characters`);
  return trimmed;
}

/** The local "HH:MM" of an instant in a zone. */
export function localTime(timeZone: string, at: Date): string {
  return new Date(at.getTime() + zoneOffsetAt(timeZone, at.getTime())).toISOString().slice(11, 16);
}

export async function createSymptom(ctx: ServiceContext, userId: string, input: SymptomInput): Promise<SymptomRow> {
  const user = await getUser(ctx, userId);
  if (!SYMPTOM_TYPE_PATTERN.test(input.type)) throw new Invalid(`type must be ${SYMPTOM_TYPE_WORDS}`);
  if (!Number.isInteger(input.severity) || input.severity < MIN_SEVERITY || input.severity > MAX_SEVERITY)
    throw new Invalid(`severity must be an integer from ${MIN_SEVERITY} to ${MAX_SEVERITY}`);
  const duration = input.durationMinutes ?? null;
  if (duration !== null && (!Number.isInteger(duration) || duration < 0 || duration > MAX_DURATION_MINUTES))
    throw new Invalid(`durationMinutes must be an integer from 0 to ${MAX_DURATION_MINUTES}`);
  const triggers = [...new Set((input.triggers ?? []).map((trigger) => optionalText('triggers', trigger, MAX_TRIGGER)!))];
  if (triggers.length > MAX_TRIGGERS) throw new Invalid(`triggers must hold at most ${MAX_TRIGGERS} entries`);
  const at = input.at ?? ctx.clock.now();
  const params = [
    newId(),
    ctx.workspaceId,
    user.id,
    input.type,
    input.severity,
    optionalText('bodyLocation', input.bodyLocation, MAX_BODY_LOCATION),
    duration,
    textArray(triggers),
    optionalText('notes', input.notes, MAX_NOTES),
    at,
    localDay(user.timezone, at),
    localTime(user.timezone, at),
  ];
  return ctx.sql.transaction(async (tx) => {
    const [row] = await tx.query(
      `INSERT INTO "SymptomLog" (id, "workspaceId", "userId", type, severity, "bodyLocation", "durationMinutes", triggers, notes, at,
         "localDate", "localTime") VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11::date, $12) RETURNING ${SYMPTOM_COLUMNS}`,
      params,
    );
    const symptom = toSymptomRow(row!);
    await emit(tx, {
      workspaceId: ctx.workspaceId,
      type: 'symptom.created',
      payload: symptomResource(symptom),
      occurredAt: ctx.clock.now(),
    });
    return symptom;
  });
}

export interface SymptomQuery {
  from?: string | null;
  to?: string | null;
  type?: string | null;
}

/** Checked filters: inclusive local days over localDate, and a type. */
export function symptomFilters(query: SymptomQuery) {
  const from = query.from == null ? null : checkDay('from', query.from);
  const to = query.to == null ? null : checkDay('to', query.to);
  if (from !== null && to !== null && from > to) throw new Invalid('from must not be after to');
  if (query.type != null && !SYMPTOM_TYPE_PATTERN.test(query.type)) throw new Invalid(`type must be ${SYMPTOM_TYPE_WORDS}`);
  return { from, to, type: query.type ?? null };
}

const WHERE = `"userId" = $1 AND ($2::date IS NULL OR "localDate" >= $2::date) AND ($3::date IS NULL OR "localDate" <= $3::date)
  AND ($4::text IS NULL OR type = $4)`;

/** A user's symptom logs, newest first (by local day, then instant, then id), filtered by local days and type. */
export async function listSymptoms(ctx: ServiceContext, userId: string, query: SymptomQuery, args: PageArgs): Promise<Page<SymptomRow>> {
  const user = await getUser(ctx, userId);
  const { from, to, type } = symptomFilters(query);
  const filter = [user.id, from, to, type];
  return paginate(args, {
    list: `symptoms:${user.id}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "SymptomLog" WHERE ${WHERE}`, filter))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${SYMPTOM_COLUMNS} FROM "SymptomLog" WHERE ${WHERE} AND ($5::text IS NULL OR id < $5) ORDER BY id DESC LIMIT $6 OFFSET $7`,
          [...filter, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toSymptomRow),
    keyOf: (row) => [row.id],
  });
}

/** Every log between two local days (the patterns' read). */
export async function symptomsBetween(
  ctx: ServiceContext,
  userId: string,
  from: string,
  to: string,
  type: string | null,
): Promise<SymptomRow[]> {
  const rows = await ctx.sql.query(`SELECT ${SYMPTOM_COLUMNS} FROM "SymptomLog" WHERE ${WHERE} ORDER BY "localDate", at`, [
    userId,
    from,
    to,
    type,
  ]);
  return rows.map(toSymptomRow);
}
