/**
 * Conversion of extracted facts into the assessment's plain-JSON evidence items, and the window helpers
 * shared by the current grade and the episode series.
 */
import type { EvidenceItem } from '../grading/assessment.js';
import { isoOf } from './fhir-time.js';
import { compareIds } from './partition-resources.js';
import type { DeviceReading, MedicationEvent, Reading } from './types.js';

/**
 * True when a closed-range reading overlaps the closed window [from, to] (section 2).
 * @param r - the reading
 * @param from - window start, ms
 * @param to - window end, ms
 */
export function overlaps(r: { readonly start: number; readonly end: number }, from: number, to: number): boolean {
  return r.start <= to && r.end >= from;
}

/**
 * True when a half-open administration [start, end) is active somewhere in [from, to] (E3).
 * @param e - the administration
 * @param from - window start, ms
 * @param to - window end, ms
 */
export function activeIn(e: MedicationEvent, from: number, to: number): boolean {
  return e.start <= to && e.end > from;
}

/**
 * The reading with the extreme value (highest when `highest`), or undefined for none.
 * @param readings - candidates
 * @param highest - true for the maximum, false for the minimum
 */
export function extreme(readings: readonly Reading[], highest: boolean): Reading | undefined {
  let best: Reading | undefined;
  for (const r of readings) {
    if (best === undefined || (highest ? r.value > best.value : r.value < best.value)) best = r;
    // Equal values: the earliest, then the smallest id, whatever the input order.
    else if (r.value === best.value && (r.start < best.start || (r.start === best.start && compareIds(r.id, best.id) < 0))) {
      best = r;
    }
  }
  return best;
}

/**
 * An Observation evidence item.
 * @param r - the reading
 * @param kind - 'temperature', 'sbp', ...
 * @param unit - the normalised unit
 */
export function readingItem(r: Reading, kind: string, unit: string): EvidenceItem {
  return {
    resourceType: 'Observation',
    ...(r.id === undefined ? {} : { id: r.id }),
    time: isoOf(r.start),
    kind,
    value: Math.round(r.value * 100) / 100,
    unit,
  };
}

/**
 * A device evidence item.
 * @param d - the device reading
 */
export function deviceItem(d: DeviceReading): EvidenceItem {
  return {
    resourceType: 'Observation',
    ...(d.id === undefined ? {} : { id: d.id }),
    time: isoOf(d.start),
    kind: 'o2-device',
    ...(d.display === undefined ? {} : { display: d.display }),
    ...(d.unrecognised === true ? { unrecognised: true as const } : {}),
  };
}

/**
 * A MedicationAdministration evidence item (time = administration start).
 * @param e - the administration
 */
export function medicationItem(e: MedicationEvent): EvidenceItem {
  return {
    resourceType: 'MedicationAdministration',
    ...(e.id === undefined ? {} : { id: e.id }),
    time: isoOf(e.start),
    kind: e.concept,
    ...(e.display === undefined ? {} : { display: e.display }),
  };
}

/**
 * Evidence in time order, then by id (sorts in place; returns the array).
 * @param items - evidence items
 */
export function sortEvidence(items: EvidenceItem[]): EvidenceItem[] {
  return items.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : compareIds(a.id, b.id)));
}
