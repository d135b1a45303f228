import type { Prisma } from '../generated/prisma/client.js';
import type { Provider } from '../providers/provider.js';

const DAY_MS = 86_400_000;

/**
 * Where a new connection's backfill starts, per stream: a user reconnecting a provider (after a disconnect, or to
 * mend a refused token) already holds its data up to some instant, so only the gap since then is fetched again —
 * from the newest sample or event of that provider the user holds (a day total filed at the day's start makes
 * that day read again, as it may have grown) — bounded by the provider's backfill window. With nothing held (a
 * first connect, or a disconnect that deleted the data) the state stays empty and the whole window is fetched.
 * Re-read records at the gap's start are duplicates by their natural key, so nothing is stored twice.
 */
export async function gapSyncState(
  tx: Prisma.TransactionClient,
  userId: string,
  provider: Provider,
  now: Date,
  windowDays: number,
): Promise<Prisma.InputJsonValue | undefined> {
  // The daily rollups give the newest sample per day and source without reading the samples.
  const [held] = await tx.$queryRawUnsafe<{ at: Date | null }[]>(
    `SELECT greatest((SELECT max("lastAt") FROM "DailyRollup" WHERE "userId" = $1 AND source = $2),
       (SELECT max("startAt") FROM "HealthEvent" WHERE "userId" = $1 AND source = $2)) AS at`,
    userId,
    provider.id,
  );
  if (!held?.at) return undefined;
  const windowStart = now.getTime() - windowDays * DAY_MS;
  const until = new Date(Math.min(now.getTime(), Math.max(new Date(held.at).getTime(), windowStart))).toISOString();
  return Object.fromEntries(provider.streams.map((stream) => [stream, { until }]));
}
