import type * as vl from 'vega-lite';
import type { HealthReportDocument, SeriesPoint } from './report-content.js';

/**
 * The report's readable forms, made from its JSON document by maintained libraries: charts by Vega-Lite compiled
 * to Vega and rendered to SVG on the server (no canvas, no browser); the HTML document is self-contained (inline
 * CSS and SVG); the PDF is laid out by pdfkit with the same SVG charts drawn as vectors by svg-to-pdfkit. The PDF
 * is written uncompressed: a report is a few pages of text and vectors (tens of kB), and its text stays
 * searchable by any tool.
 */
export const REPORT_SECTIONS = {
  scores: 'Health scores',
  trends: 'Trends against the previous period',
  activity: 'Activity',
  sleep: 'Sleep',
  training: 'Training load',
  records: 'Personal records',
  anomalies: 'Anomalies',
} as const;

/**
 * Vega, Vega-Lite and pdfkit, loaded by the first report that draws: half a second of start-up that every process
 * (and every API server that never makes a report) would otherwise pay.
 */
const loadRenderers = () =>
  Promise.all([import('vega'), import('vega-lite'), import('pdfkit'), import('svg-to-pdfkit')]).then(
    ([vega, vegaLite, pdfkit, svgToPdf]) => ({ vega, vegaLite, PDFDocument: pdfkit.default, SVGtoPDF: svgToPdf.default }),
  );
let rendering: ReturnType<typeof loadRenderers> | null = null;
const renderers = () => (rendering ??= loadRenderers());

export interface ReportChart {
  title: string;
  svg: string;
}

async function chartSvg(title: string, unit: string, points: readonly SeriesPoint[], mark: 'bar' | 'line'): Promise<string> {
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: 440,
    height: 140,
    background: 'white',
    data: { values: points.map((p) => ({ date: p.date, value: p.value })) },
    mark: mark === 'bar' ? { type: 'bar', color: '#4c78a8' } : { type: 'line', point: true, color: '#e45756' },
    encoding: {
      x: { field: 'date', type: 'ordinal', title: null, axis: { labelAngle: -45 } },
      y: { field: 'value', type: 'quantitative', title: unit, scale: { zero: mark === 'bar' } },
    },
    title,
  };
  const { vega, vegaLite } = await renderers();
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Daily steps (bars), resting heart rate (line), sleep duration (bars): the charts of the series with data. */
export async function reportCharts(report: HealthReportDocument): Promise<ReportChart[]> {
  const wanted: [string, string, SeriesPoint[], 'bar' | 'line'][] = [
    ['Daily steps', 'steps', report.series.steps, 'bar'],
    ['Resting heart rate', 'bpm', report.series.restingHeartRate, 'line'],
    ['Sleep duration', 'minutes asleep', report.series.sleepMinutes, 'bar'],
  ];
  const charts: ReportChart[] = [];
  for (const [title, unit, points, mark] of wanted) {
    if (points.length > 0) charts.push({ title, svg: await chartSvg(title, unit, points, mark) });
  }
  return charts;
}

const fmt = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? '—' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
const signed = (value: number | null) => (value === null ? '—' : `${value > 0 ? '+' : ''}${fmt(value)}`);
const list = (values: readonly string[]) => (values.length ? values.join(', ') : 'none');

/** The report as rows of text per section: one wording shared by the HTML and the PDF. */
export function reportLines(report: HealthReportDocument): Record<keyof typeof REPORT_SECTIONS, string[][]> {
  const { scores, sleep, training } = report;
  const scoreNames = ['overall', 'sleep', 'activity', 'cardio', 'recovery'] as const;
  return {
    scores: [
      ['Score', `On ${scores.current.asOf}`, `On ${scores.previous.asOf}`, 'Change'],
      ...scoreNames.map((name) => [name, fmt(scores.current[name]), fmt(scores.previous[name]), signed(scores.change[name])]),
    ],
    trends: [
      [
        'Metric',
        `Mean ${report.from}–${report.to} (days)`,
        `Mean ${report.previous.from}–${report.previous.to} (days)`,
        'Change',
        'Sources',
      ],
      ...report.trends.map((t) => [
        `${t.metricType} (${t.unit})`,
        `${fmt(t.mean)} (${t.days})`,
        `${fmt(t.previousMean)} (${t.previousDays})`,
        t.changePercent === null ? signed(t.change) : `${signed(t.change)} (${signed(t.changePercent)}%)`,
        list(t.sources),
      ]),
    ],
    activity: [
      ['Metric', 'Total', 'Days', 'Daily mean', 'Sources'],
      ...report.activity.totals.map((t) => [
        `${t.metricType} (${t.unit})`,
        fmt(t.total),
        String(t.days),
        fmt(t.dailyMean),
        list(t.sources),
      ]),
      [
        'workouts',
        String(report.activity.workouts),
        '',
        `${fmt(report.activity.workoutMinutes)} min in all`,
        list(training.workouts.map((w) => w.source)),
      ],
    ],
    sleep: [
      ['Figure', 'Value', 'Basis'],
      ['average asleep', `${fmt(sleep.averageAsleepMinutes)} min`, `${sleep.nightsWithData} nights ${sleep.from}–${sleep.to}`],
      ['efficiency', sleep.efficiency.mean === null ? '—' : `${fmt(sleep.efficiency.mean)} %`, `${sleep.efficiency.n} nights`],
      ['sleep debt', `${fmt(sleep.debtMinutes)} min (${sleep.debtLevel})`, `need ${fmt(sleep.needMinutes)} min (${sleep.needBasis})`],
      ['sources', list(sleep.sources), ''],
    ],
    training: [
      ['Figure', 'Value', 'Basis'],
      ['CTL (fitness, 42-day)', fmt(training.ctl, 2), `on ${training.asOf}`],
      ['ATL (fatigue, 7-day)', fmt(training.atl, 2), `on ${training.asOf}`],
      ['TSB (form)', fmt(training.tsb, 2), 'CTL − ATL'],
      ['period load (TRIMP)', fmt(training.load), `${training.workouts.length} workouts ${report.from}–${report.to}`],
    ],
    records: [
      ['Date', 'Record', 'Value', 'Previous', 'Source'],
      ...report.records.map((r) => [
        r.date,
        `${r.metricType} ${r.kind}${r.qualifier ? ` ${r.qualifier}` : ''}`,
        `${fmt(r.value)} ${r.unit}`,
        fmt(r.previousValue),
        r.source,
      ]),
    ],
    anomalies: [
      ['Date', 'Metric', 'Value', 'Severity', 'Sources'],
      ...report.anomalies.map((a) => [
        a.date,
        `${a.metricType} (${a.kind}, ${a.direction})`,
        `${fmt(a.value)} ${a.unit}`,
        a.severity,
        list(a.sources),
      ]),
    ],
  };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function table(rows: string[][]): string {
  if (rows.length <= 1) return '<p class="none">Nothing in this period.</p>';
  const [head, ...body] = rows as [string[], ...string[][]];
  const cells = (row: string[], tag: string) => row.map((cell) => `<${tag}>${escapeHtml(cell)}</${tag}>`).join('');
  return `<table><thead><tr>${cells(head, 'th')}</tr></thead><tbody>${body.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('')}</tbody></table>`;
}

const titleOf = (report: HealthReportDocument) =>
  `${report.period[0]!.toUpperCase()}${report.period.slice(1)} health report ${report.from} – ${report.to}`;

/** A self-contained HTML document: inline CSS, the charts as inline SVG, one section per part of the report. */
export function reportHtml(report: HealthReportDocument, charts: readonly ReportChart[]): string {
  const lines = reportLines(report);
  const sections = (Object.keys(REPORT_SECTIONS) as (keyof typeof REPORT_SECTIONS)[])
    .map((key) => `<section id="${key}"><h2>${escapeHtml(REPORT_SECTIONS[key])}</h2>${table(lines[key])}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(titleOf(report))}</title>
<style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;color:#222}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left;font-size:.9rem}th{background:#f4f4f4}.none{color:#777}figure{margin:1rem 0}</style>
</head><body>
<h1>${escapeHtml(titleOf(report))}</h1>
<p>User ${escapeHtml(report.userId)} · local days in ${escapeHtml(report.timezone)} · ${report.days} days, compared with ${report.previous.from} – ${report.previous.to} · generated ${escapeHtml(report.generatedAt)}</p>
<section id="charts"><h2>Charts</h2>${charts.map((c) => `<figure>${c.svg}</figure>`).join('\n') || '<p class="none">No daily data to chart.</p>'}</section>
${sections}
</body></html>
`;
}

/** The PDF: the same sections as text (Helvetica), the same charts as vectors. Streams its bytes as pdfkit writes them. */
export async function* reportPdf(report: HealthReportDocument, charts: readonly ReportChart[]): AsyncIterable<Uint8Array> {
  const { PDFDocument, SVGtoPDF } = await renderers();
  const doc = new PDFDocument({ size: 'A4', margin: 50, compress: false, info: { Title: titleOf(report), Producer: 'VitaSync' } });
  const chunks: Uint8Array[] = [];
  let done = false;
  let failed: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  doc.on('data', (chunk: Uint8Array) => {
    chunks.push(chunk);
    notify();
  });
  doc.on('end', () => {
    done = true;
    notify();
  });
  doc.on('error', (error: unknown) => {
    failed = error;
    notify();
  });
  const width = doc.page.width - 100;
  doc.fontSize(18).text(titleOf(report));
  doc
    .fontSize(9)
    .fillColor('#555')
    .text(`Local days in ${report.timezone}; compared with ${report.previous.from} – ${report.previous.to}.`);
  doc.fillColor('black').moveDown();
  for (const chart of charts) {
    // Scaled to the text width, keeping the aspect ratio of the SVG's own size (Vega sizes it to its axes and title).
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(chart.svg);
    const height = size ? (width * Number(size[2])) / Number(size[1]) : width / 2;
    if (doc.y + height > doc.page.height - 50) doc.addPage();
    SVGtoPDF(doc, chart.svg, 50, doc.y, { width, height, preserveAspectRatio: 'xMinYMin meet' });
    doc.y += height + 10;
  }
  const lines = reportLines(report);
  for (const key of Object.keys(REPORT_SECTIONS) as (keyof typeof REPORT_SECTIONS)[]) {
    if (doc.y > doc.page.height - 120) doc.addPage();
    doc.x = 50;
    doc.moveDown().fontSize(14).text(REPORT_SECTIONS[key]);
    doc.fontSize(9);
    const rows = lines[key];
    if (rows.length <= 1) doc.fillColor('#777').text('Nothing in this period.').fillColor('black');
    for (const row of rows.slice(1)) doc.text(row.map((cell, i) => `${rows[0]![i]}: ${cell}`).join(' · '), { width });
  }
  doc.end();
  for (;;) {
    while (chunks.length) yield chunks.shift()!;
    if (failed) throw failed;
    if (done) return;
    await new Promise<void>((resolve) => (wake = resolve));
  }
}
