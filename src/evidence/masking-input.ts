/**
 * What F2 masking (grading/masking.ts) reads, taken from the episode's facts: fevers (F1), systemic
 * masking agents, the instants at which the hypotension or oxygen column was above 0 (H1 with the H1-P
 * threshold of the moment, H2, O1 devices, flows and FiO2), and the blood pressures charted.
 */
import { fio2Tier, sbpThresholdAt } from '../grading/grade-crs.js';
import type { MaskingInput } from '../grading/masking.js';
import type { GradingThresholds, SbpThresholdStep, Span, VasopressorStep } from '../grading/types.js';
import type { DeviceReading, MedicationEvent, Reading } from './types.js';

/** The episode's facts F2 needs, already limited to [episodeStart, asOf]. */
export interface MaskingFacts {
  readonly episodeStart: number;
  readonly thresholds: GradingThresholds;
  readonly sbpThresholds: readonly SbpThresholdStep[];
  readonly temperatures: readonly Reading[];
  readonly agents: readonly MedicationEvent[];
  readonly sbp: readonly Reading[];
  readonly map: readonly Reading[];
  readonly flows: readonly Reading[];
  readonly fio2: readonly Reading[];
  readonly devices: readonly DeviceReading[];
  readonly vasopressorSteps: readonly VasopressorStep[];
  readonly resolutionMs: number;
  readonly maxMs: number;
}

const ascending = (values: number[]): number[] => values.sort((a, b) => a - b);

/**
 * The F2 input of an episode.
 * @param f - the episode's facts
 */
export function maskingInput(f: MaskingFacts): MaskingInput {
  const th = f.thresholds;
  const span = (r: { readonly start: number; readonly end: number }): Span => ({ start: r.start, end: r.end });
  const disturbances: Span[] = [
    ...f.sbp.filter((r) => r.value < sbpThresholdAt(f.sbpThresholds, th.sbpBelow, r.start)).map(span),
    ...f.map.filter((r) => r.value < th.mapBelow).map(span),
    // E3 administrations are half-open: the last active millisecond is end − 1.
    ...f.vasopressorSteps.filter((s) => s.active > 0).map((s) => ({ start: s.start, end: s.end - 1 })),
    ...f.devices.filter((d) => d.tier !== 'none').map(span),
    ...f.flows.filter((r) => r.value > 0).map(span),
    ...f.fio2.filter((r) => fio2Tier(r.value, th) !== 'none').map(span),
  ];
  return {
    // A fever charted by a period that began before the episode counts from the episode start (S1-E).
    feverTimes: ascending(f.temperatures.filter((t) => t.value >= th.feverCelsius).map((t) => Math.max(t.start, f.episodeStart))),
    agentTimes: ascending(f.agents.filter((a) => a.start >= f.episodeStart).map((a) => a.start)),
    disturbances,
    bloodPressureTimes: ascending([...f.sbp, ...f.map].map((r) => r.start)),
    resolutionMs: f.resolutionMs,
    maxMs: f.maxMs,
  };
}
