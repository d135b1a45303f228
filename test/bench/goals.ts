/**
 * BENCH_SUITES=goals: the leaderboard of a challenge of BENCH_CHALLENGE_MEMBERS (10,000) members over 30 days, on
 * PostgreSQL. Members are spread over four zones (UTC, UTC+14, UTC−11, Berlin), with a merged daily step rollup
 * for each of their 30 local days (steps in hundreds, so many members tie). Standings are computed by the same
 * refresh the challenge-standings consumer runs, then timed: the first page (an offset page with its total), a
 * deep cursor page (past 90% of the board) and a deep offset page. Baseline in the same run: the first page
 * ranked straight from the rollups (sum over the window per member, RANK() over all of them).
 */
import { createChallenge, getChallenge } from '../../src/challenges/challenges.js';
import { leaderboard } from '../../src/challenges/leaderboard.js';
import { refreshStanding } from '../../src/challenges/standings.js';
import { textArray } from '../../src/db/array-literal.js';
import { newId } from '../../src/lib/ids.js';
import { openEngine } from './engine.js';
import { latency, type Latency } from './measure.js';

export const LEADERBOARD_TARGET_MS = 50;
const ZONES = ['UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Europe/Berlin'];
const START = '2025-06-01';
const END = '2025-06-30';
const PAGE = 50;

export interface GoalsRun {
  members: number;
  rollupRows: number;
  standingsMs: number;
  firstPage: Latency;
  deepCursorPage: Latency & { rank: number };
  deepOffsetPage: Latency;
  baselineFirstPage: Latency;
}

const BASELINE_SQL = `
SELECT "userId", value, rank() OVER (ORDER BY value DESC) AS rank FROM (
  SELECT m."userId", coalesce(sum(r.sum), 0) AS value FROM "ChallengeMember" m
  LEFT JOIN "MergedDailyRollup" r ON r."userId" = m."userId" AND r."metricType" = 'steps' AND r.day BETWEEN $2::date AND $3::date
  WHERE m."challengeId" = $1 GROUP BY m."userId"
) AS scores ORDER BY value DESC, "userId" LIMIT ${PAGE}`;

export async function runGoalsSuite(options: {
  members: number;
  runs: number;
  warmups: number;
  postgresUrl: string | null;
  log(line: string): void;
}): Promise<GoalsRun | null> {
  if (!options.postgresUrl) {
    options.log('goals: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return null;
  }
  const engine = await openEngine('postgres', options.postgresUrl);
  try {
    const { ctx, database } = engine;
    options.log(`goals on postgres: ${options.members.toLocaleString('en')} members × 30 days of steps…`);
    const ids = Array.from({ length: options.members }, () => newId());
    await database.query(
      `INSERT INTO "User" (id, "workspaceId", "externalId", timezone, "updatedAt")
       SELECT id, $1, 'bench-' || n, ($3::text[])[1 + n % 4], now() FROM unnest($2::text[]) WITH ORDINALITY AS u(id, n)`,
      [ctx.workspaceId, textArray(ids), textArray(ZONES)],
    );
    // Steps in hundreds from a hash of member and day: 0–19,900 a day, so many members tie on their total.
    await database.query(
      `INSERT INTO "MergedDailyRollup" ("userId", "metricType", day, timezone, count, sum, min, max, "lastAt", "lastValue", sources)
       SELECT u.id, 'steps', d::date, u.timezone, 1, s.v, s.v, s.v, d + interval '12 hours', s.v, ARRAY['watch']
       FROM "User" u CROSS JOIN generate_series($2::date, $3::date, interval '1 day') AS d
       CROSS JOIN LATERAL (SELECT (abs(hashtext(u.id || d::text)) % 200) * 100.0 AS v) AS s
       WHERE u."workspaceId" = $1`,
      [ctx.workspaceId, START, END],
    );
    const challenge = await createChallenge(ctx, { name: 'bench', metricType: 'steps', startDate: START, endDate: END });
    await database.query(`INSERT INTO "ChallengeMember" ("challengeId", "userId") SELECT $1, unnest($2::text[])`, [
      challenge.id,
      textArray(ids),
    ]);
    const row = await getChallenge(ctx, challenge.id);
    const started = performance.now();
    for (let i = 0; i < ids.length; i += 10) await Promise.all(ids.slice(i, i + 10).map((id) => refreshStanding(database, row, id)));
    const standingsMs = performance.now() - started;
    for (const table of ['MergedDailyRollup', 'ChallengeMember', 'User']) await database.query(`VACUUM ANALYZE "${table}"`);

    const timed = { warmups: options.warmups, runs: options.runs };
    const firstPage = await latency(() => leaderboard(ctx, challenge.id, { limit: PAGE }), timed);
    const deepOffset = Math.floor(options.members * 0.9);
    const before = await leaderboard(ctx, challenge.id, { limit: PAGE, offset: deepOffset - PAGE });
    let rank = 0;
    const deepCursorPage = await latency(async () => {
      rank = (await leaderboard(ctx, challenge.id, { limit: PAGE, cursor: before.nextCursor })).data[0]!.rank;
    }, timed);
    const deepOffsetPage = await latency(() => leaderboard(ctx, challenge.id, { limit: PAGE, offset: deepOffset }), timed);
    const baselineFirstPage = await latency(() => database.query(BASELINE_SQL, [challenge.id, START, END]), timed);
    return {
      members: options.members,
      rollupRows: options.members * 30,
      standingsMs,
      firstPage,
      deepCursorPage: { ...deepCursorPage, rank },
      deepOffsetPage,
      baselineFirstPage,
    };
  } finally {
    await engine.dispose();
  }
}

const ms = (latency: Latency) => `p50 ${latency.medianMs.toFixed(2)} ms (min ${latency.minMs.toFixed(2)}, max ${latency.maxMs.toFixed(2)})`;
const verdict = (latency: Latency) => (latency.medianMs < LEADERBOARD_TARGET_MS ? '✓' : '✗');

export function formatGoalsSuite(run: GoalsRun | null): string {
  if (!run) return 'Goals: skipped (PostgreSQL only)';
  const base = run.baselineFirstPage.medianMs;
  const ratio = (latency: Latency) => `${(latency.medianMs / base).toFixed(3)}× the baseline`;
  return [
    `Challenge leaderboard on PostgreSQL: ${run.members.toLocaleString('en')} members × 30 days (${run.rollupRows.toLocaleString('en')} daily rollups), pages of ${PAGE}`,
    `  standings computed by the consumer's refresh, one member at a time (10 at once): ${(run.standingsMs / 1000).toFixed(1)} s`,
    `  baseline: first page ranked straight from the rollups: ${ms(run.baselineFirstPage)}`,
    `  first page (offset, with total): ${ms(run.firstPage)}; target < ${LEADERBOARD_TARGET_MS} ms ${verdict(run.firstPage)}; ${ratio(run.firstPage)}`,
    `  deep cursor page (from rank ${run.deepCursorPage.rank}): ${ms(run.deepCursorPage)}; target < ${LEADERBOARD_TARGET_MS} ms ${verdict(run.deepCursorPage)}; ${ratio(run.deepCursorPage)}`,
    `  deep offset page: ${ms(run.deepOffsetPage)}; ${ratio(run.deepOffsetPage)}`,
  ].join('\n');
}
