/**
 * Inputs of the management rules: tocilizumab dose history (T-L), the last dose of each corticosteroid
 * (T-S) and the body weight (T-D). Computed here so the recommendation layer only reads the assessment.
 */
import type { Assessment } from '../grading/assessment.js';
import { DAY_MS, HOUR_MS, isoOf } from './fhir-time.js';
import { compareIds } from './partition-resources.js';
import type { MedicationEvent, Reading } from './types.js';

/** T-L counts doses "in any 24 h". */
const T_L_WINDOW_MS = 24 * HOUR_MS;

/**
 * T-L inputs: every dose start (doses before the episode included), doses in (asOf − 24 h, asOf], doses in
 * the episode, and the last dose.
 * @param doses - tocilizumab administrations up to asOf (E2)
 * @param asOf - evaluation time, ms
 * @param episodeStart - S1-E, ms
 */
export function tocilizumabInputs(
  doses: readonly MedicationEvent[],
  asOf: number,
  episodeStart: number,
): Assessment['tocilizumab'] {
  const times = doses.map((d) => d.start).filter((t) => t <= asOf).sort((a, b) => a - b);
  const last = times[times.length - 1];
  return {
    doseTimes: times.map(isoOf),
    dosesLast24h: times.filter((t) => t > asOf - T_L_WINDOW_MS).length,
    dosesInEpisode: times.filter((t) => t >= episodeStart).length,
    ...(last === undefined ? {} : { lastDoseAt: isoOf(last) }),
  };
}

/**
 * T-S inputs: the latest administration start per corticosteroid concept key.
 * @param doses - corticosteroid administrations up to asOf (E2)
 */
export function corticosteroidLastDoses(doses: readonly MedicationEvent[]): Record<string, string> {
  const latest = new Map<string, number>();
  for (const d of doses) latest.set(d.concept, Math.max(latest.get(d.concept) ?? Number.NEGATIVE_INFINITY, d.start));
  const out: Record<string, string> = {};
  for (const [concept, at] of [...latest].sort(([a], [b]) => a.localeCompare(b))) out[concept] = isoOf(at);
  return out;
}

/**
 * T-D input: the latest usable weight charted within `maxAgeDays` before asOf.
 * @param weights - usable weights (kg) up to asOf (E1, E5, E6 applied)
 * @param asOf - evaluation time, ms
 * @param maxAgeDays - weightMaxAgeDays
 */
export function latestWeight(
  weights: readonly Reading[],
  asOf: number,
  maxAgeDays: number,
): Assessment['weight'] | undefined {
  let best: Reading | undefined;
  for (const w of weights) {
    if (w.start > asOf || w.start < asOf - maxAgeDays * DAY_MS) continue;
    if (best === undefined || w.start > best.start || (w.start === best.start && compareIds(w.id, best.id) > 0)) best = w;
  }
  if (best === undefined) return undefined;
  return {
    kg: Math.round(best.value * 1000) / 1000,
    at: isoOf(best.start),
    ...(best.id === undefined ? {} : { id: best.id }),
  };
}
