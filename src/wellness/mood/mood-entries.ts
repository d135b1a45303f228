import type { ServiceContext } from '../../context.js';
import { emit } from '../../domain-events/emit.js';
import { Invalid } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../../lib/pagination.js';
import { getUser } from '../../users/users.js';
import { dayWindow, optionalText } from '../entry-fields.js';
import { entryTime } from '../entry-time.js';
import { normalizeTags, tagFilter } from '../tags.js';
import { MAX_NOTE_LENGTH, MOOD_LABELS, SCALE_MAX, SCALE_MIN, type MoodLabel } from './mood-labels.js';
import { insertMoodEntry, MOOD_COLUMNS, toMoodEntry, type MoodEntry } from './mood-store.js';

export interface MoodInput {
  score: number;
  mood?: MoodLabel | null;
  energy?: number | null;
  stress?: number | null;
  tags?: string[] | null;
  note?: string | null;
  at?: Date | null;
}

export interface MoodQuery {
  from?: string | null;
  to?: string | null;
  mood?: MoodLabel | null;
  tag?: string | null;
}

function onScale(name: string, value: number | null | undefined): number | null {
  if (value == null) return null;
  if (!Number.isInteger(value) || value < SCALE_MIN || value > SCALE_MAX)
    throw new Invalid(`${name} must be an integer from ${SCALE_MIN} to ${SCALE_MAX}`);
  return value;
}

export function checkMoodLabel(name: string, value: string | null | undefined): MoodLabel | null {
  if (value == null) return null;
  if (!(MOOD_LABELS as readonly string[]).includes(value)) throw new Invalid(`${name} must be one of ${MOOD_LABELS.join(', ')}`);
  return value as MoodLabel;
}

/** Logs a mood entry and announces mood_entry.created in the same transaction. */
export async function logMood(ctx: ServiceContext, userId: string, input: MoodInput): Promise<MoodEntry> {
  const user = await getUser(ctx, userId);
  const score = onScale('score', input.score)!;
  const fields = {
    mood: checkMoodLabel('mood', input.mood),
    energy: onScale('energy', input.energy),
    stress: onScale('stress', input.stress),
    tags: normalizeTags(input.tags),
    note: optionalText('note', input.note, MAX_NOTE_LENGTH),
  };
  const time = entryTime(ctx, user, input.at);
  return ctx.sql.transaction(async (tx) => {
    const entry = await insertMoodEntry(tx, { id: newId(), workspaceId: ctx.workspaceId, userId: user.id, ...time, score, ...fields });
    await emit(tx, { workspaceId: ctx.workspaceId, type: 'mood_entry.created', payload: entry, occurredAt: ctx.clock.now() });
    return entry;
  });
}

/** A user's mood entries, newest first (by `at`), filtered by local days, mood label and tag. */
export async function listMood(ctx: ServiceContext, userId: string, query: MoodQuery, args: PageArgs): Promise<Page<MoodEntry>> {
  const user = await getUser(ctx, userId);
  const { from, to } = dayWindow(query);
  const mood = checkMoodLabel('mood', query.mood);
  const tag = tagFilter(query.tag);
  const where = `"userId" = $1 AND ($2::date IS NULL OR "localDate" >= $2::date) AND ($3::date IS NULL OR "localDate" <= $3::date)
    AND ($4::text IS NULL OR mood = $4) AND ($5::text IS NULL OR $5 = ANY(tags))`;
  const params = [user.id, from, to, mood, tag];
  return paginate(args, {
    list: `mood:${user.id}:${from}:${to}:${mood}:${tag}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "MoodEntry" WHERE ${where}`, params))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${MOOD_COLUMNS} FROM "MoodEntry" WHERE ${where}
             AND ($6::timestamptz IS NULL OR (at, id) < ($6::timestamptz, $7::text))
           ORDER BY at DESC, id DESC LIMIT $8 OFFSET $9`,
          [...params, after ? String(after[0]) : null, after ? String(after[1]) : null, take, after ? 0 : skip],
        )
      ).map(toMoodEntry),
    keyOf: (entry) => [entry.at, entry.id],
  });
}
