/**
 * Which patient a resource of a Bulk Data export belongs to: a Patient's own id, else the `Patient/<id>`
 * that `subject` (Observation, MedicationAdministration, Condition) or `patient` names, relative or
 * absolute. Only the resource types the engine reads are grouped by patient; Medications (not in the
 * patient compartment) are shared by every patient; anything else is not read.
 */
import { isRecord } from '../is-record.js';

/** The resource types a replay reads, and how. */
export type ResourceRole = 'patient' | 'patient-data' | 'shared' | 'ignored';

const PATIENT_DATA: ReadonlySet<string> = new Set(['Observation', 'MedicationAdministration', 'Condition']);

/**
 * @param resourceType - the resource's type
 */
export function roleOf(resourceType: string): ResourceRole {
  if (resourceType === 'Patient') return 'patient';
  if (PATIENT_DATA.has(resourceType)) return 'patient-data';
  return resourceType === 'Medication' ? 'shared' : 'ignored';
}

/**
 * The patient id a resource of the engine's types belongs to, or undefined when it names none.
 * @param resource - a parsed resource (an object with a string resourceType)
 */
export function patientIdOf(resource: Record<string, unknown>): string | undefined {
  if (resource['resourceType'] === 'Patient') {
    const id = resource['id'];
    return typeof id === 'string' && id !== '' ? id : undefined;
  }
  for (const field of ['subject', 'patient']) {
    const reference = resource[field];
    const text = isRecord(reference) ? reference['reference'] : undefined;
    const match = typeof text === 'string' ? /(?:^|\/)Patient\/([^/]+)$/.exec(text) : null;
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}
