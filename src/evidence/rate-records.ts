/**
 * E3-R (crs-rules.md revision 2): EHRs such as Cerner chart a continuous infusion as point records, one
 * per rate change (`effectiveDateTime` with `dosage.rateQuantity` or `dosage.rateRatio`). A point record
 * carrying a rate > 0 is active from its time until the next record of the same ingredient (which
 * supersedes it, a rate-0 or stopped record included), or `rateRecordActiveHours` after its time,
 * whichever comes first. A rate-0 or stopped point record documents the end of the run: it is not active.
 */
import type { MedicationAdministration, MedicationAdministrationDosage, Quantity, Ratio } from 'fhir/r4.js';
import { firstIndex } from '../grading/sorted-search.js';
import { asFiniteNumber, asRecord } from './fhir-shape.js';

/** The charted rate of a point record: > 0 running, 0 stopped, undefined when none is charted. */
export function chartedRate(ma: MedicationAdministration): number | undefined {
  const dosage = asRecord<MedicationAdministrationDosage>(ma.dosage);
  const quantity = asFiniteNumber(asRecord<Quantity>(dosage?.rateQuantity)?.value);
  if (quantity !== undefined) return quantity;
  return asFiniteNumber(asRecord<Quantity>(asRecord<Ratio>(dosage?.rateRatio)?.numerator)?.value);
}

/** One counted record of an ingredient, as E3-R reads it. */
export interface IngredientRecord {
  /** Record time (point) or period start, ms. */
  readonly start: number;
  /** The ingredients (concept keys) the record names. */
  readonly concepts: readonly string[];
}

/**
 * For a rate-bearing point record: when it stops being active.
 * @param start - the record's time, ms
 * @param concepts - its ingredients
 * @param nextByConcept - per ingredient, the ascending times of every counted record of it
 * @param maxMs - rateRecordActiveHours in ms
 */
export function rateRecordEnd(
  start: number,
  concepts: readonly string[],
  nextByConcept: ReadonlyMap<string, readonly number[]>,
  maxMs: number,
): number {
  let end = start + maxMs;
  for (const concept of concepts) {
    const times = nextByConcept.get(concept) ?? [];
    // First time strictly after `start` (a record at the same instant does not supersede it).
    const next = times[firstIndex(times, start, true)];
    if (next !== undefined && next < end) end = next;
  }
  return end;
}

/**
 * Per ingredient, the ascending start times of its records.
 * @param records - counted records (E2)
 */
export function recordTimesByConcept(records: readonly IngredientRecord[]): Map<string, number[]> {
  const byConcept = new Map<string, number[]>();
  for (const r of records) {
    for (const concept of r.concepts) {
      const list = byConcept.get(concept);
      if (list === undefined) byConcept.set(concept, [r.start]);
      else list.push(r.start);
    }
  }
  for (const list of byConcept.values()) list.sort((a, b) => a - b);
  return byConcept;
}
