/**
 * One pass over the input that sorts resources by type, so each extractor reads only its own kind
 * (a large record is walked once, not once per extractor), plus the tie-breaks that make the
 * assessment independent of the order in which prefetch or a Bundle listed the resources.
 */
import type { Condition, Medication, MedicationAdministration, Observation, Patient, Resource } from 'fhir/r4.js';
import { asString, isRecord } from './fhir-shape.js';

/** The resource kinds the engine reads; anything else is ignored. */
export interface PartitionedResources {
  readonly observations: readonly Observation[];
  readonly administrations: readonly MedicationAdministration[];
  readonly medications: readonly Medication[];
  readonly conditions: readonly Condition[];
  /** H1-P reads Patient.birthDate. */
  readonly patients: readonly Patient[];
}

/**
 * Sorts resources by type in one pass; anything that is not an object (a `null` entry) is skipped.
 * @param resources - any resources
 */
export function partitionResources(resources: readonly Resource[]): PartitionedResources {
  const observations: Observation[] = [];
  const administrations: MedicationAdministration[] = [];
  const medications: Medication[] = [];
  const conditions: Condition[] = [];
  const patients: Patient[] = [];
  for (const r of resources as readonly unknown[]) {
    if (!isRecord(r)) continue;
    switch (r['resourceType']) {
      case 'Observation':
        observations.push(r as unknown as Observation);
        break;
      case 'MedicationAdministration':
        administrations.push(r as unknown as MedicationAdministration);
        break;
      case 'Medication':
        medications.push(r as unknown as Medication);
        break;
      case 'Condition':
        conditions.push(r as unknown as Condition);
        break;
      case 'Patient':
        patients.push(r as unknown as Patient);
        break;
      default:
        break;
    }
  }
  return { observations, administrations, medications, conditions, patients };
}

/**
 * Order of two optional resource ids (absent first): the tie-break wherever two data are otherwise equal.
 * A charted id that is not a string counts as absent.
 * @param a - an id
 * @param b - another id
 */
export function compareIds(a: string | undefined, b: string | undefined): number {
  const x = asString(a) ?? '';
  const y = asString(b) ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
