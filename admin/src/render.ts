/**
 * The report of one /analytics answer: summary tiles, then one figure per question an informatics lead
 * brings to a governance meeting, each with its chart, a text legend and the numbers as a table.
 * Everything is built with textContent: nothing from the answer is parsed as HTML.
 */
import type { Analytics, OutcomeRow } from '../../src/analytics/types.js';
import { barChart, type BarSeries } from './charts.js';

export const COLORS = { accepted: '#0072b2', overridden: '#c0392b', ignored: '#6b6b6b' } as const;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className !== undefined) node.className = className;
  return node;
}

const percent = (rate: number | undefined): string => (rate === undefined ? '–' : `${(rate * 100).toFixed(1)} %`);

function duration(seconds: number | undefined): string {
  if (seconds === undefined) return '–';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** A template id without the product prefix, for axis labels. */
const shortTemplate = (id: string): string => id.replace(/^crs-/, '');

function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): HTMLDetailsElement {
  const details = el('details');
  details.append(el('summary', 'Show the numbers'));
  const t = el('table');
  const tr = el('tr');
  for (const h of head) tr.append(el('th', h));
  const thead = el('thead');
  thead.append(tr);
  const tbody = el('tbody');
  for (const row of rows) {
    const r = el('tr');
    for (const cell of row) r.append(el('td', String(cell), typeof cell === 'number' ? 'n' : undefined));
    tbody.append(r);
  }
  t.append(thead, tbody);
  details.append(t);
  return details;
}

function legend(series: readonly BarSeries[]): HTMLUListElement {
  const list = el('ul', undefined, 'legend');
  for (const s of series) {
    const item = el('li');
    const swatch = el('span', undefined, 'swatch');
    swatch.style.background = s.color;
    item.append(swatch, document.createTextNode(s.label));
    list.append(item);
  }
  return list;
}

interface Figure {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
}

function figure(parent: HTMLElement, f: Figure): HTMLElement {
  const node = el('figure');
  node.dataset['chart'] = f.id;
  node.append(el('h3', f.title), el('figcaption', f.caption));
  parent.append(node);
  return node;
}

function chartInto(node: HTMLElement, categories: readonly string[], series: readonly BarSeries[], yLabel: string, percentScale: boolean): void {
  if (categories.length === 0) {
    node.append(el('p', 'No cards in this range.', 'empty'));
    return;
  }
  const area = el('div', undefined, 'plot');
  node.append(legend(series), area);
  barChart(area, { categories, series, yLabel, percent: percentScale, width: Math.max(320, Math.min(620, node.clientWidth - 26)) });
}

/** Accepted, overridden and ignored shares of each row, as stacked percentages. */
function outcomeSeries(rows: readonly OutcomeRow[], asPercent: boolean): BarSeries[] {
  const value = (r: OutcomeRow, k: 'accepted' | 'overridden' | 'ignored'): number => (asPercent ? (r.cards === 0 ? 0 : (r[k] / r.cards) * 100) : r[k]);
  return (['accepted', 'overridden', 'ignored'] as const).map((k) => ({
    label: k === 'ignored' ? 'Ignored (no feedback)' : k[0]?.toUpperCase() + k.slice(1),
    color: COLORS[k],
    values: rows.map((r) => value(r, k)),
  }));
}

const outcomeTable = (first: string, rows: readonly OutcomeRow[], label: (key: string) => string = (k) => k): HTMLDetailsElement =>
  table(
    [first, 'Cards', 'Accepted', 'Overridden', 'Ignored', 'Accepted %', 'Overridden %', 'Ignored %'],
    rows.map((r) => [label(r.key), r.cards, r.accepted, r.overridden, r.ignored, percent(r.acceptedRate), percent(r.overriddenRate), percent(r.ignoredRate)]),
  );

function totals(target: HTMLElement, a: Analytics): void {
  target.replaceChildren();
  const tiles: [string, string][] = [
    ['Cards shown', String(a.totals.cards)],
    ['Accepted', percent(a.totals.acceptedRate)],
    ['Overridden', percent(a.totals.overriddenRate)],
    ['Ignored', percent(a.totals.ignoredRate)],
    ['Patients', String(a.totals.patients)],
    ['Median time to feedback', duration(a.timeToFeedback.medianSeconds)],
    ['Feedback for unknown cards', String(a.totals.unmatchedFeedback)],
  ];
  for (const [term, value] of tiles) {
    const box = el('div');
    box.append(el('dt', term), el('dd', value));
    target.append(box);
  }
}

/**
 * Renders the whole report.
 * @param totalsTarget - the tiles list
 * @param chartsTarget - the charts grid (emptied first)
 * @param a - the /analytics answer
 */
export function renderReport(totalsTarget: HTMLElement, chartsTarget: HTMLElement, a: Analytics): void {
  totals(totalsTarget, a);
  chartsTarget.replaceChildren();

  const templates = figure(chartsTarget, { id: 'templates', title: 'Outcome by card template', caption: 'Share of cards accepted, overridden or left without feedback, per template (cards/*.json).' });
  chartInto(templates, a.byTemplate.map((r) => shortTemplate(r.key)), outcomeSeries(a.byTemplate, true), 'cards', true);
  templates.append(outcomeTable('Template', a.byTemplate));

  const grades = figure(chartsTarget, { id: 'grades', title: 'Outcome by CRS grade', caption: 'The ASTCT grade the card showed; indeterminate = no usable temperature.' });
  chartInto(grades, a.byGrade.map((r) => (r.key === 'indeterminate' ? 'indet.' : `grade ${r.key}`)), outcomeSeries(a.byGrade, true), 'cards', true);
  grades.append(outcomeTable('Grade', a.byGrade));

  const weeks = figure(chartsTarget, { id: 'weeks', title: 'Cards per week', caption: 'Cards shown each week (Monday, UTC), by outcome.' });
  chartInto(weeks, a.byWeek.map((r) => r.key.slice(5)), outcomeSeries(a.byWeek, false), 'cards', false);
  weeks.append(outcomeTable('Week of', a.byWeek));

  const reasons = figure(chartsTarget, { id: 'reasons', title: 'Override reasons', caption: 'Overridden cards by the reason the clinician chose.' });
  const reasonLabel = (r: Analytics['overrideReasons'][number]): string => r.display ?? (r.code === 'none' ? 'No reason given' : r.code);
  chartInto(reasons, a.overrideReasons.map((r) => r.code), [{ label: 'Overridden cards', color: COLORS.overridden, values: a.overrideReasons.map((r) => r.count) }], 'cards', false);
  reasons.append(table(['Reason', 'Code', 'Cards', 'Share of overrides'], a.overrideReasons.map((r) => [reasonLabel(r), r.code, r.count, percent(r.share)])));

  const drugs = figure(chartsTarget, { id: 'suggestions', title: 'Tocilizumab and corticosteroid suggestions', caption: 'One-click orders offered on cards: accepted, overridden with their card, or not taken.' });
  const offered = a.suggestions.some((s) => s.offered > 0);
  chartInto(
    drugs,
    offered ? a.suggestions.map((s) => s.drug) : [],
    [
      { label: 'Accepted', color: COLORS.accepted, values: a.suggestions.map((s) => s.accepted) },
      { label: 'Overridden', color: COLORS.overridden, values: a.suggestions.map((s) => s.overridden) },
      { label: 'Not taken', color: COLORS.ignored, values: a.suggestions.map((s) => s.notTaken) },
    ],
    'suggestions',
    false,
  );
  drugs.append(table(['Drug', 'Offered', 'Accepted', 'Overridden', 'Not taken'], a.suggestions.map((s) => [s.drug, s.offered, s.accepted, s.overridden, s.notTaken])));

  const delay = figure(chartsTarget, { id: 'time-to-feedback', title: 'Time from card to feedback', caption: `Median ${duration(a.timeToFeedback.medianSeconds)}, 90th percentile ${duration(a.timeToFeedback.p90Seconds)}.` });
  chartInto(delay, a.timeToFeedback.count === 0 ? [] : a.timeToFeedback.buckets.map((b) => b.label), [{ label: 'Cards with feedback', color: COLORS.accepted, values: a.timeToFeedback.buckets.map((b) => b.count) }], 'cards', false);
  delay.append(table(['Time to feedback', 'Cards'], a.timeToFeedback.buckets.map((b) => [b.label, b.count])));

  const versions = figure(chartsTarget, { id: 'versions', title: 'Outcome by configuration version', caption: 'Each version is a hash of the configuration and card templates in force: compare before and after a change.' });
  chartInto(versions, a.byConfigVersion.map((r) => r.key.slice(0, 8)), outcomeSeries(a.byConfigVersion, true), 'cards', true);
  versions.append(outcomeTable('Version', a.byConfigVersion));
}
