/**
 * Inputs of the management rules: tocilizumab dose history (T-L), the systemic corticosteroids of the
 * T-S exposure window in dexamethasone equivalents, and the body weight (T-D). Computed here so the
 * recommendation layer only reads the assessment.
 */
import type { TreatmentConfig } from '../config/types.js';
import type { Assessment, CorticosteroidDose } from '../grading/assessment.js';
import { DAY_MS, HOUR_MS, isoOf } from './fhir-time.js';
import { compareIds } from './partition-resources.js';
import type { MedicationEvent, Reading } from './types.js';

/** T-L counts doses "in any 24 h". */
const T_L_WINDOW_MS = 24 * HOUR_MS;

/**
 * T-L inputs: every dose start (doses before the episode included), the doses on hold, doses in
 * (asOf − 24 h, asOf], doses in the episode, and the last dose. Empty lists are omitted (JSON rule).
 * @param doses - tocilizumab administrations up to asOf (E2; on-hold ones count as doses)
 * @param asOf - evaluation time, ms
 * @param episodeStart - S1-E, ms
 */
export function tocilizumabInputs(
  doses: readonly MedicationEvent[],
  asOf: number,
  episodeStart: number,
): Assessment['tocilizumab'] {
  const given = doses.filter((d) => d.start <= asOf);
  // Most hours of most episodes: no dose yet (the same members as below, without building them).
  if (given.length === 0) return { dosesLast24h: 0, dosesInEpisode: 0 };
  const times = given.map((d) => d.start).sort((a, b) => a - b);
  const onHold = given.filter((d) => d.onHold === true).map((d) => d.start).sort((a, b) => a - b);
  const last = times[times.length - 1];
  return {
    ...(times.length === 0 ? {} : { doseTimes: times.map(isoOf) }),
    ...(onHold.length === 0 ? {} : { onHoldDoseTimes: onHold.map(isoOf) }),
    dosesLast24h: times.filter((t) => t > asOf - T_L_WINDOW_MS).length,
    dosesInEpisode: times.filter((t) => t >= episodeStart).length,
    ...(last === undefined ? {} : { lastDoseAt: isoOf(last) }),
  };
}

/**
 * T-S inputs: the systemic corticosteroids given in (asOf − steroidRepeatWindowHours, asOf], newest first,
 * each in dexamethasone equivalents (dexamethasone 0.75 mg = methylprednisolone 4 mg = prednisone 5 mg =
 * hydrocortisone 20 mg); undefined when there are none.
 * @param doses - systemic corticosteroid administrations up to asOf (E2, F2 route rule)
 * @param asOf - evaluation time, ms
 * @param treatment - `steroidRepeatWindowHours`, `steroidEquivalentMg`
 */
export function corticosteroidExposure(
  doses: readonly MedicationEvent[],
  asOf: number,
  treatment: Pick<TreatmentConfig, 'steroidRepeatWindowHours' | 'steroidEquivalentMg'>,
): Assessment['corticosteroids'] {
  const from = asOf - treatment.steroidRepeatWindowHours * HOUR_MS;
  const inWindow = doses
    .filter((d) => d.start > from && d.start <= asOf)
    .sort((a, b) => b.start - a.start || compareIds(b.id, a.id));
  if (inWindow.length === 0) return undefined;
  let total = 0;
  let unknown = false;
  const items = inWindow.map((d): CorticosteroidDose => {
    const equivalent = Object.hasOwn(treatment.steroidEquivalentMg, d.concept) ? treatment.steroidEquivalentMg[d.concept] : undefined;
    const dexamethasoneMg = d.doseMg === undefined || equivalent === undefined ? undefined : round((d.doseMg * 0.75) / equivalent);
    if (dexamethasoneMg === undefined) unknown = true;
    else total += dexamethasoneMg;
    return {
      concept: d.concept,
      time: isoOf(d.start),
      ...(d.id === undefined ? {} : { id: d.id }),
      ...(d.doseMg === undefined ? {} : { doseMg: round(d.doseMg) }),
      ...(dexamethasoneMg === undefined ? {} : { dexamethasoneMg }),
      ...(d.display === undefined ? {} : { display: d.display }),
    };
  });
  return {
    windowHours: treatment.steroidRepeatWindowHours,
    dexamethasoneMg: round(total),
    ...(unknown ? { unknownDose: true as const } : {}),
    doses: items,
  };
}

/** Milligrams to 1e-3: no binary tails (187.49999) in the assessment or on a comparison. */
const round = (mg: number): number => Math.round(mg * 1000) / 1000;

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
