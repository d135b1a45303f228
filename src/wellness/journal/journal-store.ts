import { textArray } from '../../db/array-literal.js';
import type { SqlSession } from '../../db/client.js';
import type { MoodLabel } from '../mood/mood-labels.js';

/** A journal entry as the API returns it (GET, POST, PATCH and the journal_entry.* payloads). */
export interface JournalEntry {
  id: string;
  userId: string;
  at: string;
  /** The local day of `at` in the zone the user had when the entry was written (or its `at` last changed). */
  localDate: string;
  title: string | null;
  body: string;
  mood: MoodLabel | null;
  gratitude: string[];
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

/** The text search configuration: English stemming ("running" finds "run"), as the GIN index is built. */
export const SEARCH_CONFIG = 'english';
/** The document searched: the title and the body; the GIN index and the queries must spell it the same way. */
export const SEARCH_DOCUMENT = (title: string, body: string) => `to_tsvector('${SEARCH_CONFIG}', coalesce(${title}, '') || ' ' || ${body})`;

const ISO = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const JOURNAL_COLUMNS = `id, "userId", ${ISO('at')} AS at, to_char("localDate", 'YYYY-MM-DD') AS "localDate", title, body, mood,
  gratitude, tags, ${ISO('"createdAt"')} AS "createdAt", ${ISO('"updatedAt"')} AS "updatedAt"`;

export function toJournalEntry(row: Record<string, unknown>): JournalEntry {
  return {
    ...(row as unknown as JournalEntry),
    gratitude: (row.gratitude as string[] | null) ?? [],
    tags: (row.tags as string[] | null) ?? [],
  };
}

/** What a write sets: everything but the ids and timestamps. */
export interface JournalFields {
  at: Date;
  localDate: string;
  title: string | null;
  body: string;
  mood: MoodLabel | null;
  gratitude: string[];
  tags: string[];
}

const values = (fields: JournalFields) => [
  fields.at.toISOString(),
  fields.localDate,
  fields.title,
  fields.body,
  fields.mood,
  textArray(fields.gratitude),
  textArray(fields.tags),
];

export async function insertJournalEntry(
  tx: SqlSession,
  ids: { id: string; workspaceId: string; userId: string },
  fields: JournalFields,
): Promise<JournalEntry> {
  const [row] = await tx.query(
    `INSERT INTO "JournalEntry" (id, "workspaceId", "userId", at, "localDate", title, body, mood, gratitude, tags, search, "updatedAt")
     VALUES ($1, $2, $3, $4::timestamptz, $5::date, $6, $7, $8, $9::text[], $10::text[], ${SEARCH_DOCUMENT('$6', '$7')}, now())
     RETURNING ${JOURNAL_COLUMNS}`,
    [ids.id, ids.workspaceId, ids.userId, ...values(fields)],
  );
  return toJournalEntry(row!);
}

export async function saveJournalEntry(tx: SqlSession, id: string, fields: JournalFields): Promise<JournalEntry> {
  const [row] = await tx.query(
    `UPDATE "JournalEntry" SET at = $2::timestamptz, "localDate" = $3::date, title = $4, body = $5, mood = $6, gratitude = $7::text[],
       tags = $8::text[], search = ${SEARCH_DOCUMENT('$4', '$5')}, "updatedAt" = now()
     WHERE id = $1 RETURNING ${JOURNAL_COLUMNS}`,
    [id, ...values(fields)],
  );
  return toJournalEntry(row!);
}

export async function findJournalEntry(db: Pick<SqlSession, 'query'>, userId: string, entryId: string): Promise<JournalEntry | null> {
  const [row] = await db.query(`SELECT ${JOURNAL_COLUMNS} FROM "JournalEntry" WHERE id = $1 AND "userId" = $2`, [entryId, userId]);
  return row ? toJournalEntry(row) : null;
}
