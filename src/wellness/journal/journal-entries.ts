import type { ServiceContext } from '../../context.js';
import type { SqlSession } from '../../db/client.js';
import { emit } from '../../domain-events/emit.js';
import { Invalid, NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../../lib/pagination.js';
import { getUser } from '../../users/users.js';
import { entryTime } from '../entry-time.js';
import type { MoodLabel } from '../mood/mood-labels.js';
import { dayWindow, optionalText } from '../entry-fields.js';
import { checkMoodLabel } from '../mood/mood-entries.js';
import { normalizeTags, tagFilter } from '../tags.js';
import {
  findJournalEntry,
  insertJournalEntry,
  JOURNAL_COLUMNS,
  saveJournalEntry,
  SEARCH_CONFIG,
  toJournalEntry,
  type JournalEntry,
  type JournalFields,
} from './journal-store.js';

export const MAX_TITLE_LENGTH = 200;
export const MAX_BODY_LENGTH = 20_000;
export const MAX_GRATITUDE_ITEMS = 10;
export const MAX_GRATITUDE_LENGTH = 300;
export const MAX_QUERY_LENGTH = 200;

export interface JournalInput {
  title?: string | null;
  body?: string | null;
  mood?: MoodLabel | null;
  gratitude?: string[] | null;
  tags?: string[] | null;
  at?: Date | null;
}

export interface JournalQuery {
  q?: string | null;
  from?: string | null;
  to?: string | null;
  tag?: string | null;
  mood?: MoodLabel | null;
}

function checkBody(body: string): string {
  if (body.trim() === '' || [...body].length > MAX_BODY_LENGTH)
    throw new Invalid(`body must be 1 to ${MAX_BODY_LENGTH} characters, not only white space`);
  return body;
}

function checkGratitude(items: readonly string[]): string[] {
  const trimmed = items.map((item) => item.trim());
  if (trimmed.length > MAX_GRATITUDE_ITEMS) throw new Invalid(`gratitude must hold at most ${MAX_GRATITUDE_ITEMS} items`);
  if (trimmed.some((item) => item === '' || [...item].length > MAX_GRATITUDE_LENGTH))
    throw new Invalid(`gratitude items must be 1 to ${MAX_GRATITUDE_LENGTH} characters other than white space`);
  return trimmed;
}

/** Announces a change in the write's transaction; the payload is the entry as GET returns it (body included). */
function announce(ctx: ServiceContext, tx: SqlSession, action: 'created' | 'updated' | 'deleted', entry: JournalEntry) {
  return emit(tx, { workspaceId: ctx.workspaceId, type: `journal_entry.${action}`, payload: entry, occurredAt: ctx.clock.now() });
}

export async function createJournalEntry(ctx: ServiceContext, userId: string, input: JournalInput): Promise<JournalEntry> {
  const user = await getUser(ctx, userId);
  if (input.body == null) throw new Invalid('body is required');
  const time = entryTime(ctx, user, input.at);
  const fields: JournalFields = {
    at: time.at,
    localDate: time.localDate,
    title: optionalText('title', input.title, MAX_TITLE_LENGTH),
    body: checkBody(input.body),
    mood: checkMoodLabel('mood', input.mood),
    gratitude: checkGratitude(input.gratitude ?? []),
    tags: normalizeTags(input.tags),
  };
  return ctx.sql.transaction(async (tx) => {
    const entry = await insertJournalEntry(tx, { id: newId(), workspaceId: ctx.workspaceId, userId: user.id }, fields);
    await announce(ctx, tx, 'created', entry);
    return entry;
  });
}

async function entryOf(ctx: ServiceContext, userId: string, entryId: string) {
  const user = await getUser(ctx, userId);
  const entry = await findJournalEntry(ctx.sql, user.id, entryId);
  if (!entry) throw new NotFound(`journal entry ${entryId} not found`);
  return { user, entry };
}

/**
 * Changes the given fields (absent or null: unchanged; an empty title clears it, an empty list empties it). A new
 * `at` takes its local day in the user's zone now.
 */
export async function updateJournalEntry(ctx: ServiceContext, userId: string, entryId: string, input: JournalInput): Promise<JournalEntry> {
  const { user, entry } = await entryOf(ctx, userId, entryId);
  const time = input.at == null ? null : entryTime(ctx, user, input.at);
  const fields: JournalFields = {
    at: time ? time.at : new Date(entry.at),
    localDate: time ? time.localDate : entry.localDate,
    title: input.title == null ? entry.title : optionalText('title', input.title, MAX_TITLE_LENGTH),
    body: input.body == null ? entry.body : checkBody(input.body),
    mood: input.mood == null ? entry.mood : checkMoodLabel('mood', input.mood),
    gratitude: input.gratitude == null ? entry.gratitude : checkGratitude(input.gratitude),
    tags: input.tags == null ? entry.tags : normalizeTags(input.tags),
  };
  return ctx.sql.transaction(async (tx) => {
    const saved = await saveJournalEntry(tx, entry.id, fields);
    await announce(ctx, tx, 'updated', saved);
    return saved;
  });
}

export async function deleteJournalEntry(ctx: ServiceContext, userId: string, entryId: string): Promise<void> {
  const { entry } = await entryOf(ctx, userId, entryId);
  await ctx.sql.transaction(async (tx) => {
    await tx.query(`DELETE FROM "JournalEntry" WHERE id = $1`, [entry.id]);
    await announce(ctx, tx, 'deleted', entry);
  });
}

/**
 * A user's journal entries, newest first (by `at`): full-text search `q` over title and body (PostgreSQL
 * websearch_to_tsquery: words, "quoted phrases", OR, -excluded; English stemming), tag, mood and local days.
 */
export async function listJournalEntries(
  ctx: ServiceContext,
  userId: string,
  query: JournalQuery,
  args: PageArgs,
): Promise<Page<JournalEntry>> {
  const user = await getUser(ctx, userId);
  const { from, to } = dayWindow(query);
  const mood = checkMoodLabel('mood', query.mood);
  const tag = tagFilter(query.tag);
  const q = optionalText('q', query.q, MAX_QUERY_LENGTH);
  // The search column holds SEARCH_DOCUMENT(title, body), the expression the GIN index is built on.
  const where = `"userId" = $1 AND ($2::date IS NULL OR "localDate" >= $2::date) AND ($3::date IS NULL OR "localDate" <= $3::date)
    AND ($4::text IS NULL OR mood = $4) AND ($5::text IS NULL OR $5 = ANY(tags))
    AND ($6::text IS NULL OR search @@ websearch_to_tsquery('${SEARCH_CONFIG}', $6))`;
  const params = [user.id, from, to, mood, tag, q];
  return paginate(args, {
    list: `journal:${user.id}:${JSON.stringify([from, to, mood, tag, q])}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "JournalEntry" WHERE ${where}`, params))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${JOURNAL_COLUMNS} FROM "JournalEntry" WHERE ${where}
             AND ($7::timestamptz IS NULL OR (at, id) < ($7::timestamptz, $8::text))
           ORDER BY at DESC, id DESC LIMIT $9 OFFSET $10`,
          [...params, after ? String(after[0]) : null, after ? String(after[1]) : null, take, after ? 0 : skip],
        )
      ).map(toJournalEntry),
    keyOf: (entry) => [entry.at, entry.id],
  });
}
