/**
 * The resources a Bundle carries, as the engine receives them: OperationOutcome entries dropped and
 * duplicates removed by type/id. Shared by prefetch resolution and `crs-cds grade`, so the CLI answers
 * exactly what the service would for the same data.
 */
import type { Bundle, Resource } from 'fhir/r4.js';

/** Whether a JSON value is a FHIR resource (an object with a string `resourceType`). */
export const isResource = (value: unknown): value is Resource =>
  value !== null && typeof value === 'object' && typeof (value as { resourceType?: unknown }).resourceType === 'string';

/** A Bundle's resources; OperationOutcome entries (search warnings, `search.mode: outcome`) are not data. */
export const entriesOf = (bundle: Bundle): Resource[] =>
  (Array.isArray(bundle.entry) ? bundle.entry : [])
    .map((entry) => (entry as { resource?: unknown } | null)?.resource)
    .filter((resource): resource is Resource => isResource(resource) && resource.resourceType !== 'OperationOutcome');

/** `Type/id` of a resource; undefined without a (string) id: a malformed id is no id. */
export const resourceKey = (resource: Resource): string | undefined =>
  typeof resource.id === 'string' ? `${resource.resourceType}/${resource.id}` : undefined;

/** De-duplicates by type/id (first occurrence wins); resources without an id are all kept. */
export function dedupeResources(resources: readonly Resource[]): Resource[] {
  const seen = new Set<string>();
  return resources.filter((resource) => {
    const key = resourceKey(resource);
    if (key === undefined) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
