/**
 * Moves every FHIR dateTime/instant of a JSON value by the same amount, so example data written for one
 * evaluation time (the anchor) reads the same relative to another: the fever 2 h before it, the CAR-T
 * infusion 3 days before, the weight the day before. Dates without a time (birthDate) stay as they are,
 * as does anything that is not a date.
 */

/** The evaluation time every shipped example and the CLI fixtures were written for. */
export const EXAMPLE_ANCHOR = new Date('2026-11-21T10:00:00Z');

/** A FHIR dateTime/instant with a time and a zone (Z or ±hh:mm), seconds and fractions optional. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** ISO 8601 in UTC, without milliseconds when there are none (`2026-11-30T18:04:00Z`). */
function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * A copy of `value` with every dateTime moved by `shiftMs`.
 * @param value - parsed JSON (a request, a Bundle)
 * @param shiftMs - how far to move, in ms (negative moves back)
 */
export function shiftTimes<T>(value: T, shiftMs: number): T {
  const shift = (node: unknown): unknown => {
    if (typeof node === 'string') return DATE_TIME.test(node) ? formatUtc(Date.parse(node) + shiftMs) : node;
    if (Array.isArray(node)) return node.map(shift);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, shift(v)]));
    return node;
  };
  return shift(value) as T;
}

/**
 * A copy of `value` (written for EXAMPLE_ANCHOR) as it reads at `now`: shifted by whole minutes, so the
 * times shown on cards stay round.
 * @param value - parsed JSON written for EXAMPLE_ANCHOR
 * @param now - the evaluation time to move it to
 */
export function relativeTo<T>(value: T, now: Date): T {
  const minute = 60_000;
  return shiftTimes(value, Math.floor((now.getTime() - EXAMPLE_ANCHOR.getTime()) / minute) * minute);
}
