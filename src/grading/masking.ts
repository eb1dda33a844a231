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
import { firstIndex } from './sorted-search.js';
import type { MaskingPeriod, Span } from './types.js';

/**
 * Closed ranges given as two parallel lists (starts[i]..ends[i], any order): a 28-day record holds tens
 * of thousands, so they are numbers, not objects.
 */
export interface SpanList {
  readonly starts: ArrayLike<number>;
  readonly ends: ArrayLike<number>;
}

/** What F2 reads, times in epoch ms. */
export interface MaskingInput {
  /** F1 fevers in the episode: their start times, ascending. */
  readonly feverTimes: ArrayLike<number>;
  /** Masking agents in the episode: their start times, ascending. */
  readonly agentTimes: ArrayLike<number>;
  /**
   * The closed ranges in which the hypotension or oxygen column was above 0; read only when a masking
   * period has to be ended, so an episode without masking never builds them.
   */
  readonly disturbances: () => SpanList;
  /** Times at which a blood pressure (SBP or charted MAP) was charted, ascending. */
  readonly bloodPressureTimes: ArrayLike<number>;
  readonly resolutionMs: number;
  readonly maxMs: number;
}

/**
 * A SpanList from span objects (for callers with few spans).
 * @param spans - closed ranges
 */
export function spanList(spans: readonly Span[]): SpanList {
  return { starts: spans.map((s) => s.start), ends: spans.map((s) => s.end) };
}


/** Disjoint closed ranges in time order, as parallel arrays. */
interface Busy {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

/**
 * The union of the disturbances as disjoint closed ranges. Starts and ends are sorted separately (typed
 * arrays, no objects) and swept: a range is open while more have started than ended. Integer
 * milliseconds: ranges that touch (end + 1 = start) leave no clean instant between them and merge.
 */
function mergeSpans(list: SpanList): Busy {
  const n = list.starts.length;
  // Copied by index: a typed array built from an array walks its iterator, one allocation per value.
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i += 1) {
    starts[i] = list.starts[i] as number;
    ends[i] = (list.ends[i] as number) + 1;
  }
  starts.sort();
  ends.sort();
  const outStarts: number[] = [];
  const outEnds: number[] = [];
  let open = 0;
  let j = 0;
  for (let i = 0; i < n; i += 1) {
    const start = starts[i] as number;
    // Ends strictly before this start close ranges first; an end equal to it touches and keeps it open.
    while (j < n && (ends[j] as number) < start) {
      open -= 1;
      if (open === 0) outEnds.push((ends[j] as number) - 1);
      j += 1;
    }
    if (open === 0) outStarts.push(start);
    open += 1;
  }
  while (j < n) {
    open -= 1;
    if (open === 0) outEnds.push((ends[j] as number) - 1);
    j += 1;
  }
  return { starts: Float64Array.from(outStarts), ends: Float64Array.from(outEnds) };
}

/**
 * (a) The earliest end of a clean `resolutionMs` window starting at or after `from`, with a blood pressure
 * charted in it; Infinity when there is none.
 */
function resolutionEnd(from: number, busy: Busy, input: MaskingInput): number {
  const R = input.resolutionMs;
  const clean = (g0: number, g1: number): number => {
    const b = input.bloodPressureTimes[firstIndex(input.bloodPressureTimes, g0)];
    if (b === undefined || b > g1) return Number.POSITIVE_INFINITY;
    // The window [e − R, e] must start in the gap and hold b: the earliest such end.
    const e = Math.max(g0 + R, b);
    return e <= g1 ? e : Number.POSITIVE_INFINITY;
  };
  let cursor = from;
  // The merged ranges are disjoint and sorted, so their ends are sorted too.
  for (let i = firstIndex(busy.ends, from); i < busy.starts.length; i += 1) {
    const start = busy.starts[i] as number;
    if (start > cursor) {
      const e = clean(cursor, start - 1);
      if (Number.isFinite(e)) return e;
    }
    cursor = Math.max(cursor, (busy.ends[i] as number) + 1);
    if (!Number.isFinite(cursor)) return Number.POSITIVE_INFINITY;
  }
  return clean(cursor, Number.POSITIVE_INFINITY);
}

/**
 * F2: the masking periods of an episode, in time order.
 * @param input - fevers, agents, column disturbances and blood pressures of the episode, up to asOf
 * @param known - the first periods of `input`, already known (a trajectory: the periods that had ended by
 *   an earlier evaluation time whose data `input` keeps; a period only depends on data up to its end);
 *   the search continues after the last of them
 */
export function maskingPeriods(input: MaskingInput, known: readonly MaskingPeriod[] = []): MaskingPeriod[] {
  const { feverTimes, agentTimes } = input;
  let busy: Busy | undefined;
  const periods: MaskingPeriod[] = [...known];
  const last = known[known.length - 1];
  // As the loop below leaves them after a period ending at `last.to`.
  let feverAfter = last === undefined ? Number.NEGATIVE_INFINITY : (agentTimes[firstIndex(agentTimes, last.to) - 1] ?? last.from);
  let notBefore = last === undefined ? Number.NEGATIVE_INFINITY : last.to;
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
    busy = busy ?? mergeSpans(input.disturbances());
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
