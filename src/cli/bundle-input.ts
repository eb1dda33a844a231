/**
 * A patient's FHIR Bundle as the commands read it (`crs-cds grade`, `crs-cds replay`): the types that
 * can be graded, entries that are resources, OperationOutcomes dropped and duplicates removed exactly as
 * the service treats prefetch, and the one patient it is about.
 */
import type { Bundle, Resource } from 'fhir/r4.js';
import { dedupeResources, entriesOf, isResource } from '../fhir/bundle-resources.js';
import { BadInput } from './io.js';

const GRADABLE_BUNDLE_TYPES = new Set(['collection', 'searchset', 'transaction']);

/**
 * A Bundle's resources as the service sees prefetched data, or BadInput naming what is wrong.
 * @param value - the parsed file
 */
export function bundleResources(value: unknown): Resource[] {
  const bundle = value as Partial<Bundle> | null;
  if (typeof bundle !== 'object' || bundle === null || bundle.resourceType !== 'Bundle') {
    throw new BadInput('the file is not a FHIR Bundle (resourceType must be "Bundle")');
  }
  if (typeof bundle.type !== 'string' || !GRADABLE_BUNDLE_TYPES.has(bundle.type)) {
    throw new BadInput('Bundle.type must be collection, searchset or transaction');
  }
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) throw new BadInput('Bundle.entry must be an array');
  (bundle.entry ?? []).forEach((entry, index) => {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (resource !== undefined && !isResource(resource)) {
      throw new BadInput(`Bundle.entry[${index}].resource has no resourceType`);
    }
  });
  // As the service sees prefetched data: OperationOutcome entries dropped, duplicates removed.
  return dedupeResources(entriesOf(bundle as Bundle));
}

/**
 * The one patient the Bundle is about: from Patient resources and subject/patient references.
 * @param resources - the Bundle's resources
 * @param command - the command named when the Bundle holds several patients
 */
export function onlyPatientId(resources: readonly Resource[], command: string): string {
  const ids = new Set<string>();
  for (const resource of resources) {
    if (resource.resourceType === 'Patient' && resource.id !== undefined) ids.add(resource.id);
    for (const field of ['subject', 'patient'] as const) {
      const reference = (resource as unknown as Record<string, { reference?: unknown } | undefined>)[field];
      const match = typeof reference?.reference === 'string' ? /(?:^|\/)Patient\/([^/]+)$/.exec(reference.reference) : null;
      if (match?.[1] !== undefined) ids.add(match[1]);
    }
  }
  if (ids.size === 0) throw new BadInput('the Bundle names no patient (no Patient resource or subject reference)');
  if (ids.size > 1) throw new BadInput(`the Bundle holds ${ids.size} patients; ${command} takes one patient's resources per Bundle`);
  return [...ids][0] as string;
}
