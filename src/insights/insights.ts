import type { ServiceContext } from '../context.js';
import { mergedDays } from '../health/daily-summaries.js';
import { BadRequest, Invalid } from '../lib/errors.js';
import { paginateArray, type Page, type PageArgs } from '../lib/pagination.js';
import { addDays, checkDay, FIRST_DAY, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { anomalyInsight, correlationInsight, recordInsight, sleepDebtInsight, trainingLoadInsight, trendInsight } from './detectors.js';
import { debtUpTo, loadUpTo, QUICK_CORRELATION_DAYS, quickCorrelations, recentRecords, storedAnomalies, STRONG_RHO } from './facts.js';
import { finished, INSIGHT_KINDS, SEVERITY_RANK, type Insight, type InsightDraft, type InsightKind } from './insight.js';
import { reworded } from './llm-wording.js';
import { detectTrends, trendReadFrom } from './trends.js';

export const DEFAULT_INSIGHT_DAYS = 7;
export const MAX_INSIGHT_DAYS = 90;
const CORRELATION_INSIGHTS = 3;

export interface InsightQuery extends PageArgs {
  from?: string | null;
  to?: string | null;
  kind?: readonly string[] | null;
}

export interface InsightPage extends Page<Insight> {
  userId: string;
  timezone: string;
  from: string;
  to: string;
}

type User = { id: string; timezone: string };

/** The drafts of one kind for the window from–to (trends, debt and load as of `to`; anomalies and records within). */
async function draftsOf(ctx: ServiceContext, user: User, kind: InsightKind, from: string, to: string): Promise<InsightDraft[]> {
  switch (kind) {
    case 'trend':
      return detectTrends(await mergedDays(ctx, user.id, trendReadFrom(to), to, null), to).map(trendInsight);
    case 'anomaly':
      return (await storedAnomalies(ctx, user, from, to)).map(anomalyInsight);
    case 'correlation': {
      const found = await quickCorrelations(ctx, user, to, CORRELATION_INSIGHTS);
      const first = addDays(to, 1 - QUICK_CORRELATION_DAYS);
      return found.filter((c) => Math.abs(c.spearman.r) >= STRONG_RHO).map((c) => correlationInsight(c, first, to));
    }
    case 'record':
      return (await recentRecords(ctx, user, from, to)).map(recordInsight);
    case 'sleep_debt':
      return [sleepDebtInsight(await debtUpTo(ctx, user, to))].filter((d): d is InsightDraft => d !== null);
    case 'training_load':
      return [trainingLoadInsight(await loadUpTo(ctx, user, to))].filter((d): d is InsightDraft => d !== null);
  }
}

/** Most severe first, then by kind (INSIGHT_KINDS order), then id: an order the cursor can resume. */
const sortKey = (insight: Insight) => `${SEVERITY_RANK[insight.severity]}${INSIGHT_KINDS.indexOf(insight.kind)}:${insight.id}`;

/**
 * The insights of a user's local days from–to (default the 7 days ending yesterday: a day in progress would bias
 * daily totals), paged like every list. Deterministic: the same data gives the same ids, sentences and order.
 */
export async function listInsights(ctx: ServiceContext, userId: string, query: InsightQuery): Promise<InsightPage> {
  const user = await getUser(ctx, userId);
  const to = query.to != null ? checkDay('to', query.to) : addDays(localDay(user.timezone, ctx.clock.now()), -1);
  const defaultFrom = addDays(to, 1 - DEFAULT_INSIGHT_DAYS);
  const from = query.from != null ? checkDay('from', query.from) : defaultFrom < FIRST_DAY ? FIRST_DAY : defaultFrom;
  if (from > to) throw new BadRequest('from must not be after to');
  if (addDays(from, MAX_INSIGHT_DAYS) <= to) throw new BadRequest(`from–to spans more than ${MAX_INSIGHT_DAYS} days`);
  const unknown = query.kind?.find((kind) => !(INSIGHT_KINDS as readonly string[]).includes(kind));
  if (unknown !== undefined) throw new Invalid(`kind must be one of ${INSIGHT_KINDS.join(', ')}`);
  const kinds = query.kind?.length ? INSIGHT_KINDS.filter((kind) => query.kind!.includes(kind)) : INSIGHT_KINDS;
  const drafts: InsightDraft[] = [];
  for (const kind of kinds) drafts.push(...(await draftsOf(ctx, user, kind, from, to)));
  const insights = drafts.map(finished).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  const list = `insights:${user.id}:${from}:${to}:${kinds.join(',')}`;
  const page = await paginateArray(query, list, insights, sortKey);
  return { ...page, data: await reworded(ctx.config.insightsLlm, page.data), userId: user.id, timezone: user.timezone, from, to };
}
