/**
 * One patient of a cohort as read from disk (text), and its parsing into resources: what a replay
 * worker receives and does, or the main thread when it replays alone. A Bundle is checked as
 * `crs-cds grade` checks one (bundle-input.ts); NDJSON lines were already checked by the index.
 */
import type { Resource } from 'fhir/r4.js';
import { bundleResources, onlyPatientId } from '../cli/bundle-input.js';
import { CohortError } from './cohort-error.js';

/** A patient's text: a Bundle file, or its NDJSON lines (newline-separated). */
export type RawPatient =
  | { readonly kind: 'bundle'; readonly name: string; readonly text: string }
  | { readonly kind: 'ndjson'; readonly patientId: string; readonly text: string };

/** One patient's resources. */
export interface CohortPatient {
  readonly patientId: string;
  readonly resources: Resource[];
}

/**
 * @param raw - the patient's text
 * @param shared - resources every patient gets (NDJSON Medications)
 * @throws CohortError naming the Bundle file and what is wrong with it
 */
export function parsePatient(raw: RawPatient, shared: readonly Resource[]): CohortPatient {
  if (raw.kind === 'ndjson') {
    const resources = raw.text.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Resource);
    return { patientId: raw.patientId, resources: resources.concat(shared) };
  }
  let value: unknown;
  try {
    value = JSON.parse(raw.text);
  } catch {
    throw new CohortError(`${raw.name}: not valid JSON`);
  }
  try {
    const resources = bundleResources(value);
    return { patientId: onlyPatientId(resources, 'replay'), resources };
  } catch (error) {
    throw new CohortError(`${raw.name}: ${error instanceof Error ? error.message : 'not a patient Bundle'}`);
  }
}
