import type { ServiceContext } from '../context.js';
import { Invalid } from '../lib/errors.js';
import type { ReadMemo } from '../lib/read-memo.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { DEFAULT_DEBT_NIGHTS, HISTORY_NIGHTS, MAX_DEBT_NIGHTS, sleepDebt, type SleepDebt } from './debt.js';
import { nightsOf, type Night, type SleepSession } from './nights.js';
import { DEFAULT_QUALITY_NIGHTS, MAX_QUALITY_NIGHTS, sleepQuality, type SleepQuality } from './quality.js';

export interface SleepWindowQuery {
  asOf?: string | null;
  days?: number | null;
}

// Bounds a little wide on the indexed start (a night starts the evening before it ends), then exact on the local
// day of waking.
const SLEEP_SQL = `
SELECT id, subtype, "startAt", "endAt", "durationSeconds", details, source,
  to_char(("endAt" AT TIME ZONE $2)::date, 'YYYY-MM-DD') AS date
FROM "HealthEvent"
WHERE "userId" = $1 AND type = 'sleep'
  AND "startAt" >= ($3::date - 8)::timestamp AT TIME ZONE $2 AND "startAt" < ($4::date + 1)::timestamp AT TIME ZONE $2
  AND ("endAt" AT TIME ZONE $2)::date BETWEEN $3::date AND $4::date
ORDER BY "startAt", id`;

/** The user's nights (one source each) that ended on local days from `from` to `to`. */
export async function nightsBetween(
  ctx: ServiceContext,
  user: { id: string; timezone: string },
  from: string,
  to: string,
): Promise<Map<string, Night>> {
  const held = ctx.reads?.covering<Map<string, Night>>(`nights:${user.id}`, from, to);
  if (held) return new Map([...(await held)].filter(([date]) => date >= from && date <= to));
  const rows = await ctx.sql.query<Record<string, unknown>>(SLEEP_SQL, [user.id, user.timezone, from, to]);
  const sessions = rows.map((row): SleepSession => ({
    id: String(row.id),
    subtype: (row.subtype as string | null) ?? null,
    startAt: new Date(row.startAt as string),
    endAt: new Date(row.endAt as string),
    durationSeconds: Number(row.durationSeconds),
    details: (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<string, unknown>,
    source: String(row.source),
    date: String(row.date),
  }));
  return nightsOf(sessions);
}

/** Reads the nights from–to into the context's read memo, so nightsBetween of any part of them is served from memory. */
export function holdNights(
  ctx: ServiceContext & { reads: ReadMemo },
  user: { id: string; timezone: string },
  from: string,
  to: string,
): Promise<Map<string, Night>> {
  return ctx.reads.hold(`nights:${user.id}`, from, to, nightsBetween(ctx, user, from, to));
}

function window(
  user: { timezone: string },
  ctx: ServiceContext,
  query: SleepWindowQuery,
  defaults: { days: number; max: number },
): { asOf: string; days: number } {
  const asOf = query.asOf == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('asOf', query.asOf);
  const days = query.days ?? defaults.days;
  if (!Number.isInteger(days) || days < 1 || days > defaults.max) throw new Invalid(`days must be an integer from 1 to ${defaults.max}`);
  return { asOf, days };
}

export async function getSleepDebt(ctx: ServiceContext, userId: string, query: SleepWindowQuery): Promise<SleepDebt> {
  const user = await getUser(ctx, userId);
  const { asOf, days } = window(user, ctx, query, { days: DEFAULT_DEBT_NIGHTS, max: MAX_DEBT_NIGHTS });
  // The window's nights and the history the personal need is computed from.
  const nights = await nightsBetween(ctx, user, addDays(asOf, 1 - days - HISTORY_NIGHTS), asOf);
  return sleepDebt(nights, asOf, days);
}

export async function getSleepQuality(ctx: ServiceContext, userId: string, query: SleepWindowQuery): Promise<SleepQuality> {
  const user = await getUser(ctx, userId);
  const { asOf, days } = window(user, ctx, query, { days: DEFAULT_QUALITY_NIGHTS, max: MAX_QUALITY_NIGHTS });
  const nights = await nightsBetween(ctx, user, addDays(asOf, 1 - days), asOf);
  return sleepQuality(nights, user.timezone, asOf, days);
}
