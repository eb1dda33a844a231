/**
 * H1-P (crs-rules.md revision 2; PALS thresholds as used by the paediatric CARTOX guidance): when
 * `Patient.birthDate` gives an age under `untilYears` (10) at the evaluation time, the SBP threshold is
 * `base + perYear × age in whole years` (70 + 2 × age, ages 1–9), `underOneYear` (70) for infants and
 * `underOneMonth` (60) under one month, instead of `sbpBelow`. The threshold can change during an episode
 * (a birthday), so it is given as steps over the episode for the episode maximum (G-M).
 */
import type { Patient, Resource } from 'fhir/r4.js';
import type { GradingConfig } from '../config/types.js';
import type { SbpThresholdStep } from '../grading/types.js';
import { DAY_MS, parseFhirTime } from './fhir-time.js';

/** The SBP threshold at the evaluation time, with the age it was chosen for (absent: sbpBelow applies). */
export interface AgeThreshold {
  readonly mmHg: number;
  readonly ageYears: number;
  /** Under one year: whole months. */
  readonly ageMonths?: number;
}

/** H1-P over an episode. */
export interface SbpThresholds {
  /** Threshold steps from the episode start to asOf (empty when sbpBelow applies throughout). */
  readonly steps: readonly SbpThresholdStep[];
  /** The age-based threshold at asOf; absent when sbpBelow applies. */
  readonly atAsOf?: AgeThreshold;
}

/**
 * The birth instant: the earliest a birthDate (possibly partial, "2019" or "2019-06") may denote, which
 * gives the oldest possible age and so the higher threshold (the safer reading); the earliest of several
 * Patient resources for the same reason.
 */
function birthOf(resources: readonly Resource[]): number | undefined {
  // A trajectory asks at every hour with the same resources: read the birth date once.
  if (births.has(resources)) return births.get(resources);
  let birth: number | undefined;
  for (const r of resources) {
    if (r.resourceType !== 'Patient') continue;
    const at = parseFhirTime((r as Patient).birthDate)?.start;
    if (at !== undefined && (birth === undefined || at < birth)) birth = at;
  }
  births.set(resources, birth);
  return birth;
}

const births = new WeakMap<readonly Resource[], number | undefined>();

/** Whole calendar months from `birth` to `t` (UTC; a month is complete on the same day of the month). */
function wholeMonths(birth: number, t: number): number {
  const b = new Date(birth);
  const d = new Date(t);
  const months = (d.getUTCFullYear() - b.getUTCFullYear()) * 12 + (d.getUTCMonth() - b.getUTCMonth());
  return d.getUTCDate() < b.getUTCDate() ? months - 1 : months;
}

/** The H1-P threshold at `t` for a birth instant; undefined when sbpBelow applies. */
function thresholdAt(birth: number, t: number, grading: GradingConfig): AgeThreshold | undefined {
  const p = grading.pediatricSbpBelow;
  const months = Math.max(0, wholeMonths(birth, t));
  const years = Math.floor(months / 12);
  if (years >= p.untilYears) return undefined;
  if (months < 1) return { mmHg: p.underOneMonth, ageYears: 0, ageMonths: 0 };
  if (months < 12) return { mmHg: p.underOneYear, ageYears: 0, ageMonths: months };
  return { mmHg: p.base + p.perYear * years, ageYears: years };
}

/**
 * H1-P thresholds of an episode.
 * @param resources - the patient's resources (Patient.birthDate is read)
 * @param episodeStart - S1-E, ms
 * @param asOf - evaluation time, ms
 * @param grading - `pediatricHypotension`, `pediatricSbpBelow`, `sbpBelow`
 */
export function sbpThresholds(resources: readonly Resource[], episodeStart: number, asOf: number, grading: GradingConfig): SbpThresholds {
  const birth = grading.pediatricHypotension ? birthOf(resources) : undefined;
  // A birth date after the evaluation time contradicts the record: the adult threshold is kept.
  if (birth === undefined || birth > asOf) return { steps: [] };
  // Age only grows: a patient past the paediatric ages at the episode start is past them until asOf.
  if (thresholdAt(birth, episodeStart, grading) === undefined) return { steps: [] };
  const below = (t: number): number => thresholdAt(birth, t, grading)?.mmHg ?? grading.sbpBelow;
  const steps: SbpThresholdStep[] = [];
  let current = below(episodeStart);
  if (current !== grading.sbpBelow) steps.push({ from: episodeStart, below: current });
  // Age changes at a UTC midnight: one look per day of the episode finds every change.
  const firstMidnight = Math.floor(episodeStart / DAY_MS) * DAY_MS + DAY_MS;
  for (let t = firstMidnight; t <= asOf; t += DAY_MS) {
    const next = below(t);
    if (next !== current) steps.push({ from: t, below: next });
    current = next;
  }
  const atAsOf = thresholdAt(birth, asOf, grading);
  return atAsOf === undefined ? { steps } : { steps, atAsOf };
}
