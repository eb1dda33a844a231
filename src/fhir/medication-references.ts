/**
 * Which Medications a call's administrations name by reference (`Medication/<id>`) without the data
 * carrying them: prefetch resolution reads those from the FHIR server (E7).
 */
import type { MedicationAdministration, Resource } from 'fhir/r4.js';

const MEDICATION_REF = /^Medication\/([A-Za-z0-9\-.]{1,64})$/;

/**
 * Ids of the Medications among `resources`.
 * @param resources - any resources
 */
export function medicationIds(resources: readonly Resource[]): Set<string> {
  const ids = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType === 'Medication' && typeof resource.id === 'string') ids.add(resource.id);
  }
  return ids;
}

/**
 * Ids of Medications referenced by administrations but neither contained nor present (E7: they are read).
 * @param resources - any resources; MedicationAdministrations are read
 * @param present - ids of the Medications at hand ({@link medicationIds})
 */
export function unresolvedMedicationIds(resources: readonly Resource[], present: ReadonlySet<string>): string[] {
  const ids = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType !== 'MedicationAdministration') {
      continue;
    }
    const reference: unknown = (resource as MedicationAdministration).medicationReference?.reference;
    // A reference that is not a string (wrongly shaped FHIR) names nothing to read; never coerce it.
    const id = typeof reference === 'string' ? MEDICATION_REF.exec(reference)?.[1] : undefined;
    if (id !== undefined && !present.has(id)) {
      ids.add(id);
    }
  }
  return [...ids];
}
