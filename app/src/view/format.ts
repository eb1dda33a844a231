/** Display formats of the timeline (UTC, as on the cards). */
import type { Grade } from '../../../src/grading/assessment.js';

/**
 * `2026-11-21 10:00 UTC`
 * @param t - time, ms or ISO text
 */
export function formatTime(t: number | string): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * A grade as words: `grade 3`, or `indeterminate` (G-I).
 * @param grade - 0–4; null or omitted (contract revision 2) when indeterminate
 */
export function formatGrade(grade: Grade | null | undefined): string {
  return grade === null || grade === undefined ? 'indeterminate' : `grade ${grade}`;
}

/** UCUM codes as people write them. */
const UNIT_TEXT: Readonly<Record<string, string>> = { Cel: '°C', 'mm[Hg]': 'mmHg', '[degF]': '°F' };

/**
 * A value with its unit, e.g. `38.4 °C`, `96 mmHg`, `93 %`.
 * @param value - the number
 * @param unit - a UCUM code or unit text
 */
export function formatQuantity(value: number, unit: string | undefined): string {
  return unit === undefined ? String(value) : `${value} ${UNIT_TEXT[unit] ?? unit}`;
}
