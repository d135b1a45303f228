import { textArray } from '../../db/array-literal.js';
import type { SqlSession } from '../../db/client.js';
import type { MoodLabel } from './mood-labels.js';

/** A mood entry as the API returns it (GET, POST and the mood_entry.created payload). */
export interface MoodEntry {
  id: string;
  userId: string;
  at: string;
  /** The local day of `at` in the zone the user had when writing it. */
  localDate: string;
  timezone: string;
  score: number;
  mood: MoodLabel | null;
  energy: number | null;
  stress: number | null;
  tags: string[];
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

// Dates and instants leave the database as text: a DATE parsed into a JS Date would shift with the server's zone.
export const MOOD_COLUMNS = `id, "userId", to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
  to_char("localDate", 'YYYY-MM-DD') AS "localDate", timezone, score, mood, energy, stress, tags, note,
  to_char("createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char("updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export function toMoodEntry(row: Record<string, unknown>): MoodEntry {
  return { ...(row as unknown as MoodEntry), tags: (row.tags as string[] | null) ?? [] };
}

export interface NewMoodEntry {
  id: string;
  workspaceId: string;
  userId: string;
  at: Date;
  localDate: string;
  timezone: string;
  score: number;
  mood: MoodLabel | null;
  energy: number | null;
  stress: number | null;
  tags: string[];
  note: string | null;
}

export async function insertMoodEntry(tx: SqlSession, entry: NewMoodEntry): Promise<MoodEntry> {
  const [row] = await tx.query(
    `INSERT INTO "MoodEntry" (id, "workspaceId", "userId", at, "localDate", timezone, score, mood, energy, stress, tags, note, "updatedAt")
     VALUES ($1, $2, $3, $4::timestamptz, $5::date, $6, $7, $8, $9, $10, $11::text[], $12, now()) RETURNING ${MOOD_COLUMNS}`,
    [
      entry.id,
      entry.workspaceId,
      entry.userId,
      entry.at.toISOString(),
      entry.localDate,
      entry.timezone,
      entry.score,
      entry.mood,
      entry.energy,
      entry.stress,
      textArray(entry.tags),
      entry.note,
    ],
  );
  return toMoodEntry(row!);
}
