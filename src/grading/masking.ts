/**
 * F2 fever masking over an episode (crs-rules.md revision 2). Pure: no I/O, no clock.
 *
 * When a fever (F1) was documented in the episode and at or after it a masking agent was given
 *   (anti-cytokine, systemic corticosteroid or antipyretic)         Then fever is not required from that agent on.
 * When a full `resolutionHours` window after that agent had neither hypotension, vasopressor nor oxygen
 *   support, and a blood pressure was charted in it                 Then masking ends at the end of that window (a).
 * When `maskingMaxHours` passed after the last masking agent         Then masking ends (b).
 * After the end a new fever (charted after the last agent) re-establishes masking with the next agent.
 *
 * Masking periods are computed once for the episode; "masked at t" is then a lookup, the same for the
 * current grade and for every instant of the episode maximum (G-M). A period's end only depends on data
 * up to that end, so a period is the same whatever later instant it is looked at from.
 */
import type { MaskingPeriod, Span } from './types.js';

/** What F2 reads, times in epoch ms. */
export interface MaskingInput {
  /** F1 fevers in the episode: their start times, ascending. */
  readonly feverTimes: readonly number[];
  /** Masking agents in the episode: their start times, ascending. */
  readonly agentTimes: readonly number[];
  /** Closed ranges in which the hypotension or oxygen column was above 0 (any order). */
  readonly disturbances: readonly Span[];
  /** Times at which a blood pressure (SBP or charted MAP) was charted, ascending. */
  readonly bloodPressureTimes: readonly number[];
  readonly resolutionMs: number;
  readonly maxMs: number;
}

/** Index of the first value ≥ `t` (or > `t` when `strict`) in an ascending list; length when none. */
function firstIndex(values: readonly number[], t: number, strict = false): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid] as number;
    if (v < t || (strict && v === t)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Disturbances sorted and merged into disjoint closed ranges, in time order. */
function mergeSpans(spans: readonly Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of sorted) {
    const last = merged[merged.length - 1];
    // Integer milliseconds: ranges that touch (end + 1 = start) leave no clean instant between them.
    if (last !== undefined && s.start <= last.end + 1) last.end = Math.max(last.end, s.end);
    else merged.push({ start: s.start, end: s.end });
  }
  return merged;
}

/**
 * (a) The earliest end of a clean `resolutionMs` window starting at or after `from`, with a blood pressure
 * charted in it; Infinity when there is none.
 */
function resolutionEnd(from: number, busy: readonly Span[], input: MaskingInput): number {
  const R = input.resolutionMs;
  const clean = (g0: number, g1: number): number => {
    const b = input.bloodPressureTimes[firstIndex(input.bloodPressureTimes, g0)];
    if (b === undefined || b > g1) return Number.POSITIVE_INFINITY;
    // The window [e − R, e] must start in the gap and hold b: the earliest such end.
    const e = Math.max(g0 + R, b);
    return e <= g1 ? e : Number.POSITIVE_INFINITY;
  };
  let cursor = from;
  // The merged spans are disjoint and sorted, so their ends are sorted too.
  let lo = 0;
  let hi = busy.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((busy[mid] as Span).end < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < busy.length; i += 1) {
    const span = busy[i] as Span;
    if (span.start > cursor) {
      const e = clean(cursor, span.start - 1);
      if (Number.isFinite(e)) return e;
    }
    cursor = Math.max(cursor, span.end + 1);
    if (!Number.isFinite(cursor)) return Number.POSITIVE_INFINITY;
  }
  return clean(cursor, Number.POSITIVE_INFINITY);
}

/**
 * F2: the masking periods of an episode, in time order.
 * @param input - fevers, agents, column disturbances and blood pressures of the episode, up to asOf
 */
export function maskingPeriods(input: MaskingInput): MaskingPeriod[] {
  const { feverTimes, agentTimes } = input;
  const busy = mergeSpans(input.disturbances);
  const periods: MaskingPeriod[] = [];
  let feverAfter = Number.NEGATIVE_INFINITY;
  let notBefore = Number.NEGATIVE_INFINITY;
  for (;;) {
    // A fever not yet answered by an agent (strictly after the last agent of the previous period)...
    const fever = feverTimes[firstIndex(feverTimes, feverAfter, true)];
    if (fever === undefined) return periods;
    // ...then the first agent at or after it, and at or after the previous end.
    const first = firstIndex(agentTimes, Math.max(fever, notBefore));
    const from = agentTimes[first];
    if (from === undefined) return periods;
    // (b) The first gap between consecutive agents of at least maskingMaxHours ends the period.
    let last = from;
    let next = first + 1;
    while (next < agentTimes.length && (agentTimes[next] as number) - last < input.maxMs) {
      last = agentTimes[next] as number;
      next += 1;
    }
    const maxEnd = last + input.maxMs;
    const resolved = resolutionEnd(from, busy, input);
    const to = Math.min(maxEnd, resolved);
    periods.push({ from, to, endedBy: resolved <= maxEnd ? 'resolution' : 'max-hours' });
    if (!Number.isFinite(to)) return periods;
    // The last agent given before the end: a later fever is a new one.
    feverAfter = agentTimes[firstIndex(agentTimes, to) - 1] ?? from;
    notBefore = to;
  }
}

/**
 * The masking period containing `t` (from ≤ t < to), if any.
 * @param periods - from {@link maskingPeriods}
 * @param t - an instant, ms
 */
export function maskingAt(periods: readonly MaskingPeriod[], t: number): MaskingPeriod | undefined {
  return periods.find((p) => p.from <= t && t < p.to);
}
