/**
 * Fills `{{placeholders}}` in one pass (a value containing braces is never expanded again) and formats
 * the values cards show: UTC times, numbers, and text copied from the chart (sanitised; markdown-escaped
 * only where it lands in markdown). Nothing else is escaped: "°C", "≥", "<" reach the EHR as written.
 */
import type { CardTemplates } from './templates.js';
import type { PhraseKey } from './template-catalog.js';

export type TemplateValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}/g;
const ONLY_PLACEHOLDER = /^\s*\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}\s*$/;
/** CDS Hooks 2.0: the summary is under 140 characters. */
export const SUMMARY_MAX = 139;

function valueOf(values: TemplateValues, name: string, where: string): string {
  const value = values[name];
  if (value === undefined) throw new Error(`${where}: no value for {{${name}}}`);
  return String(value);
}

/**
 * Replaces every placeholder of `text`.
 * @param text - template text (validated at load time)
 * @param values - one value per placeholder; a missing value is a programming error and throws
 * @param where - template id and field, for that error
 */
export function fill(text: string, values: TemplateValues, where: string): string {
  return text.replace(PLACEHOLDER, (_m, name: string) => valueOf(values, name, where));
}

/**
 * Fills a markdown template: a line that is only a placeholder whose value is empty disappears, so
 * optional blocks (orders, data notes) leave no stray blank lines.
 * @param text - markdown template
 * @param values - placeholder values
 * @param where - for errors
 */
export function fillMarkdown(text: string, values: TemplateValues, where: string): string {
  const lines = text.split('\n').filter((line) => {
    const only = ONLY_PLACEHOLDER.exec(line);
    return only?.[1] === undefined || valueOf(values, only[1], where) !== '';
  });
  return fill(lines.join('\n'), values, where)
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * One phrase of `cards/crs-phrases.json`, filled.
 * @param templates - loaded templates
 * @param key - phrase key
 * @param values - its placeholder values
 */
export function phrase(templates: CardTemplates, key: PhraseKey, values: TemplateValues = {}): string {
  return fill(templates.phrases[key], values, `crs-phrases.${key}`);
}

/**
 * The first candidate under 140 characters; the last one is cut with an ellipsis if all are longer.
 * @param candidates - summaries, most informative first
 */
export function fitSummary(candidates: readonly string[]): string {
  const fitting = candidates.find((s) => s.length <= SUMMARY_MAX);
  if (fitting !== undefined) return fitting;
  const last = candidates[candidates.length - 1] ?? '';
  return `${last.slice(0, SUMMARY_MAX - 1).trimEnd()}…`;
}

/**
 * `YYYY-MM-DD HH:MM UTC` for an ISO time; an unparsable time is shown as charted (sanitised).
 * @param iso - ISO 8601 time
 */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return chartText(iso);
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

/**
 * A number with at most `decimals` decimals and no trailing zeros (38.94 → "38.9", 84 → "84").
 * @param value - the number
 * @param decimals - maximum decimals
 */
export function formatNumber(value: number, decimals = 1): string {
  return String(Number(value.toFixed(decimals)));
}

/**
 * Text copied from the chart (device or unit as charted), made safe for a plain-text summary: control
 * characters and braces removed, white space collapsed, at most 60 characters.
 * @param text - charted text
 */
export function chartText(text: string): string {
  const clean = text
    .replace(/[\p{Cc}{}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 60 ? `${clean.slice(0, 59)}…` : clean;
}

/**
 * Chart text for markdown: as {@link chartText}, with markdown and HTML punctuation backslash-escaped so
 * charted text cannot become a link, image or emphasis in the EHR.
 * @param text - charted text
 */
export function chartMarkdown(text: string): string {
  return chartText(text).replace(/[\\`*_[\]()<>#|!~]/g, (ch) => `\\${ch}`);
}

/**
 * Text with its first letter upper-case, for a value that opens a sentence or a list line
 * ("dexamethasone" → "Dexamethasone").
 * @param text - any text
 */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * A temperature as charted: always one decimal, so 38.0 °C reads as a threshold value, not "38".
 * @param celsius - °C
 */
export function formatTemperature(celsius: number): string {
  return celsius.toFixed(1);
}
