/**
 * Which patient a resource is about, so data of another patient never drives a card: a Patient by its
 * id, anything else by the `Patient/<id>` its `subject` or `patient` reference names (relative or
 * absolute, with or without `_history`). A reference that names no patient id (contained, `urn:uuid:`,
 * identifier only, a Group or Device) is not taken as another patient: only a clear mismatch is refused.
 */
import type { Reference, Resource } from 'fhir/r4.js';

/** `Patient/<id>` at the end of a reference, optionally followed by `/_history/<version>`. */
const PATIENT_REFERENCE = /(?:^|\/)Patient\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/;

const referenceOf = (value: unknown): string | undefined => {
  const reference = (value as Reference | null | undefined)?.reference;
  return typeof reference === 'string' ? reference : undefined;
};

/**
 * The id of the patient a resource names, or undefined when it names none.
 * @param resource - any FHIR resource
 */
export function patientIdOf(resource: Resource): string | undefined {
  if (resource.resourceType === 'Patient') return typeof resource.id === 'string' ? resource.id : undefined;
  const record = resource as unknown as { subject?: unknown; patient?: unknown };
  const reference = referenceOf(record.subject) ?? referenceOf(record.patient);
  return reference === undefined ? undefined : PATIENT_REFERENCE.exec(reference)?.[1];
}

/**
 * The first resource that names a patient other than `patientId`, if any.
 * @param resources - resources of one prefetch key (or the draft orders of the context)
 * @param patientId - `context.patientId`
 */
export function findOtherPatientsResource(resources: readonly Resource[], patientId: string): Resource | undefined {
  // The common case, a relative reference to this very patient, is decided without the pattern.
  const own = `Patient/${patientId}`;
  return resources.find((resource) => {
    const record = resource as unknown as { subject?: unknown; patient?: unknown };
    if (resource.resourceType !== 'Patient' && (referenceOf(record.subject) ?? referenceOf(record.patient)) === own) return false;
    const named = patientIdOf(resource);
    return named !== undefined && named !== patientId;
  });
}
