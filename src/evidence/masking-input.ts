/**
 * What F2 masking (grading/masking.ts) reads, taken from the episode's facts: fevers (F1), systemic
 * masking agents, the instants at which the hypotension or oxygen column was above 0 (H1 with the H1-P
 * threshold of the moment, H2, O1 devices, flows and FiO2), and the blood pressures charted.
 */
import { fio2Tier, sbpThresholdAt } from '../grading/grade-crs.js';
import type { MaskingInput, SpanList } from '../grading/masking.js';
import type { GradingThresholds, SbpThresholdStep, VasopressorStep } from '../grading/types.js';
import type { GradedReadings, MedicationEvent } from './types.js';

/** The episode's facts F2 needs, already limited to [episodeStart, asOf]. */
export interface MaskingFacts extends Omit<GradedReadings, 'spo2' | 'temperatures'> {
  /** F1 fevers' times, ascending (episode-readings.ts). */
  readonly feverTimes: Float64Array;
  /** Blood pressures' times, ascending. */
  readonly bloodPressureTimes: Float64Array;
  readonly episodeStart: number;
  readonly thresholds: GradingThresholds;
  readonly sbpThresholds: readonly SbpThresholdStep[];
  readonly agents: readonly MedicationEvent[];
  readonly vasopressorSteps: readonly VasopressorStep[];
  readonly resolutionMs: number;
  readonly maxMs: number;
}

/**
 * The times of the items kept, in ascending order, as a typed array (sorted numerically, no comparator).
 * @param items - any items
 * @param keep - which items count
 * @param time - an item's time
 */
export function ascending<T>(items: readonly T[], keep: (item: T) => boolean, time: (item: T) => number): Float64Array {
  const out = new Float64Array(items.length);
  let n = 0;
  for (const item of items) if (keep(item)) out[n++] = time(item);
  return out.subarray(0, n).sort();
}

/** The closed ranges in which a column was above 0, as parallel typed arrays (no objects). */
function disturbances(f: MaskingFacts): SpanList {
  const th = f.thresholds;
  const most = f.sbp.length + f.map.length + f.vasopressorSteps.length + f.devices.length + f.flows.length + f.fio2.length;
  const starts = new Float64Array(most);
  const ends = new Float64Array(most);
  let n = 0;
  const add = (start: number, end: number): void => {
    starts[n] = start;
    ends[n] = end;
    n += 1;
  };
  for (const r of f.sbp) if (r.value < sbpThresholdAt(f.sbpThresholds, th.sbpBelow, r.start)) add(r.start, r.end);
  for (const r of f.map) if (r.value < th.mapBelow) add(r.start, r.end);
  // E3 administrations are half-open: the last active millisecond is end − 1.
  for (const s of f.vasopressorSteps) if (s.active > 0) add(s.start, s.end - 1);
  for (const d of f.devices) if (d.tier !== 'none') add(d.start, d.end);
  for (const r of f.flows) if (r.value > 0) add(r.start, r.end);
  for (const r of f.fio2) if (fio2Tier(r.value, th) !== 'none') add(r.start, r.end);
  return { starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

/**
 * The F2 input of an episode.
 * @param f - the episode's facts
 */
export function maskingInput(f: MaskingFacts): MaskingInput {
  return {
    feverTimes: f.feverTimes,
    agentTimes: ascending(f.agents, (a) => a.start >= f.episodeStart, (a) => a.start),
    disturbances: () => disturbances(f),
    bloodPressureTimes: f.bloodPressureTimes,
    resolutionMs: f.resolutionMs,
    maxMs: f.maxMs,
  };
}
