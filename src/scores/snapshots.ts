import { baselines, type Baseline } from '../analytics/baselines.js';
import type { ServiceContext } from '../context.js';
import { Invalid } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { addDays } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { computeHealthScores, defaultScoreDay, type HealthScores } from './health-scores.js';
import { latestValues, type LatestValue } from './latest-values.js';
import { snapshotChanges, type SnapshotChanges } from './snapshot-changes.js';

export const MAX_SNAPSHOT_LABEL = 100;
export const MAX_SNAPSHOT_NOTE = 2000;

export interface SnapshotInput {
  label?: string | null;
  note?: string | null;
}

/**
 * A health snapshot: what the user's data said at a moment, kept for comparison. The scores and baselines are as
 * of the last complete local day (`asOf`, the user's yesterday when taken; baselines' windows end on it), the
 * latest values are each metric's newest sample at `takenAt`. `changes` compares it with the snapshot before.
 */
export interface Snapshot {
  id: string;
  userId: string;
  takenAt: Date;
  asOf: string;
  label: string | null;
  note: string | null;
  scores: HealthScores;
  baselines: Baseline[];
  latest: LatestValue[];
  /** Against the user's previous snapshot; null for the first. */
  changes: SnapshotChanges | null;
}

type StoredSnapshot = Omit<Snapshot, 'changes'>;

const COLUMNS = `id, "userId", "takenAt", to_char("asOf", 'YYYY-MM-DD') AS "asOf", label, note, scores, baselines, latest`;
const json = (value: unknown) => (typeof value === 'string' ? JSON.parse(value) : value);

function toStored(row: Record<string, unknown>): StoredSnapshot {
  return {
    id: String(row.id),
    userId: String(row.userId),
    takenAt: new Date(row.takenAt as string),
    asOf: String(row.asOf),
    label: (row.label as string | null) ?? null,
    note: (row.note as string | null) ?? null,
    scores: json(row.scores) as HealthScores,
    baselines: json(row.baselines) as Baseline[],
    latest: json(row.latest) as LatestValue[],
  };
}

function text(name: string, value: string | null | undefined, max: number): string | null {
  const trimmed = value?.trim() ?? '';
  if (value != null && trimmed === '') throw new Invalid(`${name} must not be blank (leave it out instead)`);
  if (trimmed.length > max) throw new Invalid(`${name} must be at most ${max} characters`);
  return trimmed || null;
}

async function previousOf(ctx: ServiceContext, userId: string, id: string): Promise<StoredSnapshot | null> {
  const [row] = await ctx.sql.query(`SELECT ${COLUMNS} FROM "Snapshot" WHERE "userId" = $1 AND id < $2 ORDER BY id DESC LIMIT 1`, [
    userId,
    id,
  ]);
  return row ? toStored(row) : null;
}

/** Takes a snapshot now; it answers with its changes against the user's previous snapshot. */
export async function createSnapshot(ctx: ServiceContext, userId: string, input: SnapshotInput): Promise<Snapshot> {
  const user = await getUser(ctx, userId);
  const label = text('label', input.label, MAX_SNAPSHOT_LABEL);
  const note = text('note', input.note, MAX_SNAPSHOT_NOTE);
  const takenAt = ctx.clock.now();
  const asOf = defaultScoreDay(user.timezone, takenAt);
  const [scores, report, latest] = await Promise.all([
    computeHealthScores(ctx, user.id, asOf),
    baselines(ctx, user.id, { asOf: addDays(asOf, 1) }),
    latestValues(ctx, user.id, takenAt),
  ]);
  const [row] = await ctx.sql.query(
    `INSERT INTO "Snapshot" (id, "workspaceId", "userId", "asOf", label, note, scores, baselines, latest, "takenAt")
     VALUES ($1, $2, $3, $4::date, $5, $6, $7::jsonb, $8::jsonb, $9::jsonb, $10::timestamptz) RETURNING ${COLUMNS}`,
    [
      newId(),
      ctx.workspaceId,
      user.id,
      asOf,
      label,
      note,
      JSON.stringify(scores),
      JSON.stringify(report.baselines),
      JSON.stringify(latest),
      takenAt.toISOString(),
    ],
  );
  const stored = toStored(row!);
  const previous = await previousOf(ctx, user.id, stored.id);
  return { ...stored, changes: previous && snapshotChanges(stored, previous) };
}

/** The user's snapshots, newest first, each with its changes against the one taken before it. */
export async function listSnapshots(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<Snapshot>> {
  const user = await getUser(ctx, userId);
  const page = await paginate(args, {
    list: `snapshots:${user.id}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Snapshot" WHERE "userId" = $1`, [user.id]))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${COLUMNS} FROM "Snapshot" WHERE "userId" = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3 OFFSET $4`,
          [user.id, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toStored),
    keyOf: (row) => [row.id],
  });
  const last = page.data.at(-1);
  const beyond = last ? await previousOf(ctx, user.id, last.id) : null;
  return {
    ...page,
    data: page.data.map((snapshot, i) => {
      const previous = page.data[i + 1] ?? beyond;
      return { ...snapshot, changes: previous && snapshotChanges(snapshot, previous) };
    }),
  };
}
