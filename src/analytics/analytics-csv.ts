/**
 * Card analytics as one CSV table (RFC 4180, CRLF line ends), for a spreadsheet: one row per group,
 * the `section` column naming what the row counts. Columns that do not apply to a section are empty.
 *
 * | section | key | n | accepted / overridden / ignored |
 * |---|---|---|---|
 * | total, template, grade, week, config_version | the group | cards | card outcomes (+ percentages of n) |
 * | suggestion | tocilizumab, corticosteroid | suggestions offered | accepted / card overridden / not taken |
 * | override_reason | the reason code (label: its display) | overridden cards | overridden_pct: share of all overrides |
 * | time_to_feedback | the bucket | cards with feedback in it | |
 * | unmatched_feedback | all | feedback entries for unknown cards | |
 */
import type { Analytics, OutcomeRow } from './types.js';

const COLUMNS = ['section', 'key', 'label', 'n', 'accepted', 'overridden', 'ignored', 'accepted_pct', 'overridden_pct', 'ignored_pct'];

type Cell = string | number | undefined;

/** A cell as CSV: quoted when needed; text that a spreadsheet would run as a formula is defused. */
function cell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const pct = (rate: number | undefined): Cell => (rate === undefined ? undefined : Math.round(rate * 1000) / 10);

function outcomeRow(section: string, row: Omit<OutcomeRow, 'acceptedRate' | 'overriddenRate' | 'ignoredRate'> & Partial<OutcomeRow>): Cell[] {
  return [section, row.key, undefined, row.cards, row.accepted, row.overridden, row.ignored, pct(row.acceptedRate), pct(row.overriddenRate), pct(row.ignoredRate)];
}

/**
 * @param analytics - computed analytics
 * @returns the CSV text, header first
 */
export function analyticsCsv(analytics: Analytics): string {
  const rows: Cell[][] = [
    ['range', 'from', analytics.from],
    ['range', 'to', analytics.to],
    ...(analytics.service === undefined ? [] : [['range', 'service', analytics.service]]),
    outcomeRow('total', { key: 'all', ...analytics.totals }),
    ...analytics.byTemplate.map((r) => outcomeRow('template', r)),
    ...analytics.byGrade.map((r) => outcomeRow('grade', r)),
    ...analytics.byWeek.map((r) => outcomeRow('week', r)),
    ...analytics.byConfigVersion.map((r) => outcomeRow('config_version', r)),
    ...analytics.suggestions.map((s) => ['suggestion', s.drug, undefined, s.offered, s.accepted, s.overridden, s.notTaken]),
    ...analytics.overrideReasons.map((r) => ['override_reason', r.code, r.display, r.count, undefined, r.count, undefined, undefined, pct(r.share)]),
    ...analytics.timeToFeedback.buckets.map((b) => ['time_to_feedback', b.label, undefined, b.count]),
    ['unmatched_feedback', 'all', undefined, analytics.totals.unmatchedFeedback],
  ];
  return [COLUMNS, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}
