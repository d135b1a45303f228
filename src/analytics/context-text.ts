import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';
import type { AnalyticsContext } from './context.js';

/**
 * The compact text of the LLM context, fitted to a token budget counted with the o200k_base encoding (GPT-4o's;
 * the `gpt-tokenizer` package). Sections come in CONTEXT_SECTIONS order, most important first: what is out of the
 * ordinary now (anomalies, trends), today's state (readiness, scores, sleep, training), then background
 * (baselines, correlations, records, recent events). The header line is always kept. When the whole text does
 * not fit, sections are kept in that order while they fit; the first that does not fit keeps as many of its lines
 * as fit, and every later section is left out; a last line names what was left out. A budget too small even for
 * the header and that line gets the text cut at the budget.
 */
export const CONTEXT_SECTIONS = [
  'anomalies',
  'trends',
  'readiness',
  'scores',
  'sleep',
  'training',
  'baselines',
  'correlations',
  'records',
  'recentEvents',
] as const;
export type ContextSection = (typeof CONTEXT_SECTIONS)[number];

export interface ContextText {
  text: string;
  /** o200k_base tokens of `text` (≤ maxTokens). */
  tokens: number;
  maxTokens: number;
  /** Sections in the text whole. */
  included: ContextSection[];
  /** The section cut short, if any, and how many of its lines it kept. */
  partial: { section: ContextSection; lines: number; of: number } | null;
  /** Sections left out for the budget, least important last. */
  omitted: ContextSection[];
}

type ContextDocument = Omit<AnalyticsContext, keyof ContextText>;

const f = (value: number | null | undefined, digits = 1) =>
  value == null ? 'n/a' : String(Math.round(value * 10 ** digits) / 10 ** digits);

/** Each section as a title line and its lines ("none" when empty, so the reader knows it was looked at). */
function sectionLines(doc: ContextDocument): Record<ContextSection, string[]> {
  const orNone = (lines: string[]) => (lines.length ? lines : ['- none']);
  const t = doc.training;
  return {
    // Critical first, then the newest: the lines a short budget keeps.
    anomalies: orNone(
      [...doc.anomalies]
        .sort((a, b) => (a.severity === b.severity ? b.date.localeCompare(a.date) : a.severity === 'critical' ? -1 : 1))
        .map(
          (a) =>
            `- ${a.date} ${a.metricType} ${f(a.value)} ${a.unit}: ${a.kind} ${a.direction} (${a.severity}` +
            (a.score !== null ? `, z ${f(a.score, 2)}` : '') +
            (a.rule ? `, ${a.rule.label}` : '') +
            ')',
        ),
    ),
    trends: orNone(
      doc.trends.map(
        (x) =>
          `- ${x.metricType}: 7-day mean ${f(x.weekMean)} ${x.unit} vs 30-day median ${f(x.baselineMedian)} (${x.direction}, z ${f(x.z, 2)}, ` +
          `${x.weekDays}+${x.baselineDays} days)`,
      ),
    ),
    readiness: [
      doc.readiness.score === null
        ? '- no score (no signal with data)'
        : `- score ${doc.readiness.score}/100 (${doc.readiness.level}); ` +
          doc.readiness.signals.map((s) => `${s.signal} ${f(s.value)} ${s.unit} → ${f(s.subScore, 0)}`).join('; '),
    ],
    scores:
      doc.scores === null
        ? ['- not available (no data)']
        : [
            `- ${doc.scores.asOf}: overall ${doc.scores.overall}/100; ` +
              doc.scores.areas
                .map((a) => `${a.area} ${a.subScore} (${a.components.map((c) => `${c.component} ${f(c.subScore, 0)}`).join(', ')})`)
                .join('; ') +
              (doc.scores.missing.length ? `; no data: ${doc.scores.missing.join(', ')}` : ''),
          ],
    sleep: [
      `- ${doc.sleep.nightsWithData} nights with data ${doc.sleep.from}..${doc.sleep.to}; average asleep ${f(doc.sleep.averageAsleepMinutes, 0)} min; ` +
        `need ${f(doc.sleep.needMinutes, 0)} min (${doc.sleep.needBasis}); debt ${f(doc.sleep.debtMinutes, 0)} min (${doc.sleep.debtLevel}); ` +
        `efficiency ${f(doc.sleep.efficiency)}%`,
    ],
    training: [
      t === null
        ? '- no workouts'
        : `- CTL ${f(t.ctl)}, ATL ${f(t.atl)}, TSB ${f(t.tsb)}, ACWR ${f(t.acwr, 2)}, ramp ${f(t.rampRate)}; ${t.workouts28} workouts in 28 days`,
    ],
    baselines: orNone(
      doc.baselines.map(
        (b) =>
          `- ${b.metricType} (${b.unit}): median ${f(b.baseline30.median)}, mean ${f(b.baseline30.mean)}, p10–p90 ${f(b.baseline30.p10)}–${f(b.baseline30.p90)}, ` +
          `n ${b.baseline30.n}; 7-day mean ${f(b.mean7)}`,
      ),
    ),
    correlations: orNone(
      doc.correlations.map((c) => `- ${c.seriesA} ~ ${c.seriesB}: ρ ${f(c.spearman.r, 2)}, n ${c.n}, q ${f(c.spearman.q, 3)}`),
    ),
    records: orNone(
      doc.records.map((r) => `- ${r.date} ${r.metricType} ${r.kind}${r.qualifier ? ` (${r.qualifier})` : ''}: ${f(r.value)} ${r.unit}`),
    ),
    recentEvents: orNone([
      ...doc.recentWorkouts.map((w) =>
        `- ${w.date} workout ${w.subtype ?? ''} ${f(w.minutes, 0)} min, TRIMP ${f(w.trimp, 0)}`.replace('  ', ' '),
      ),
      ...doc.recentNights.map((n) => `- ${n.date} night ${f(n.asleepMinutes, 0)} min asleep`),
    ]),
  };
}

const TITLES: Record<ContextSection, string> = {
  anomalies: '## Anomalies (last 14 days)',
  trends: '## Trends (last 7 days vs the 30 before)',
  readiness: '## Readiness today',
  scores: '## Health scores',
  sleep: '## Sleep (14 nights)',
  training: '## Training load',
  baselines: '## Baselines (30 days)',
  correlations: '## Correlations (30 days, same day)',
  records: '## Personal records (30 days)',
  recentEvents: '## Recent events (7 days)',
};

function omittedLine(partial: ContextText['partial'], omitted: readonly ContextSection[]): string[] {
  if (!partial && omitted.length === 0) return [];
  if (omitted.length === CONTEXT_SECTIONS.length) return ['(Left out for the token budget: every section.)'];
  const parts = [...(partial ? [`${partial.section} (${partial.lines} of ${partial.of} lines)`] : []), ...omitted];
  return [`(Left out for the token budget: ${parts.join(', ')}.)`];
}

type Tokenizer = typeof O200k;
let tokenizer: Promise<Tokenizer> | null = null;

/** The text within `maxTokens` o200k tokens. The tokenizer (its table is 200 ms and megabytes) loads on first use. */
export async function renderContext(doc: ContextDocument, maxTokens: number): Promise<ContextText> {
  return renderWith(await (tokenizer ??= import('gpt-tokenizer/encoding/o200k_base')), doc, maxTokens);
}

function renderWith({ countTokens, encode, decode }: Tokenizer, doc: ContextDocument, maxTokens: number): ContextText {
  const header = `Health context, zone ${doc.timezone}, local day ${doc.asOf} (all days local).`;
  const lines = sectionLines(doc);
  const kept: string[] = [header];
  const included: ContextSection[] = [];
  let partial: ContextText['partial'] = null;
  const compose = (body: string[], cut: ContextText['partial'], left: readonly ContextSection[]) =>
    [...body, ...omittedLine(cut, left)].join('\n');
  for (const [index, section] of CONTEXT_SECTIONS.entries()) {
    const rest = CONTEXT_SECTIONS.slice(index + 1);
    const whole = [TITLES[section], ...lines[section]];
    if (countTokens(compose([...kept, ...whole], null, rest)) <= maxTokens) {
      kept.push(...whole);
      included.push(section);
      continue;
    }
    // The most lines of this section that fit (a binary search: the count grows with the lines).
    let low = 0;
    let high = lines[section].length - 1;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      const cut = { section, lines: mid, of: lines[section].length };
      if (countTokens(compose([...kept, TITLES[section], ...lines[section].slice(0, mid)], cut, rest)) <= maxTokens) low = mid;
      else high = mid - 1;
    }
    if (low > 0) {
      kept.push(TITLES[section], ...lines[section].slice(0, low));
      partial = { section, lines: low, of: lines[section].length };
    }
    const omitted = low > 0 ? rest : CONTEXT_SECTIONS.slice(index);
    return fitted({ countTokens, encode, decode }, compose(kept, partial, omitted), maxTokens, included, partial, [...omitted]);
  }
  return fitted({ countTokens, encode, decode }, kept.join('\n'), maxTokens, included, null, []);
}

function fitted(
  { countTokens, encode, decode }: Pick<Tokenizer, 'countTokens' | 'encode' | 'decode'>,
  text: string,
  maxTokens: number,
  included: ContextSection[],
  partial: ContextText['partial'],
  omitted: ContextSection[],
): ContextText {
  let kept = text;
  let tokens = countTokens(kept);
  // Only a budget below the header and the omissions line gets here: the text is cut at the budget (decoding a
  // prefix of tokens can re-encode to more, hence the loop).
  if (tokens > maxTokens) {
    const all = encode(text);
    for (let take = maxTokens; tokens > maxTokens && take > 0; take--) {
      kept = decode(all.slice(0, take));
      tokens = countTokens(kept);
    }
  }
  return { text: kept, tokens, maxTokens, included, partial, omitted };
}
