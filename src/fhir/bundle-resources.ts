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
export function entriesOf(bundle: Bundle): Resource[] {
  const resources: Resource[] = [];
  if (!Array.isArray(bundle.entry)) return resources;
  for (const entry of bundle.entry as unknown[]) {
    const resource = (entry as { resource?: unknown } | null)?.resource;
    if (isResource(resource) && resource.resourceType !== 'OperationOutcome') resources.push(resource);
  }
  return resources;
}

/** De-duplicates by type/id (first occurrence wins); resources without a (string) id are all kept: a malformed id is no id. */
export function dedupeResources(resources: readonly Resource[]): Resource[] {
  // Ids per type: no `Type/id` string is built per resource (this runs on every hook call).
  const seen = new Map<string, Set<string>>();
  return resources.filter((resource) => {
    if (typeof resource.id !== 'string') return true;
    let ids = seen.get(resource.resourceType);
    if (ids === undefined) {
      ids = new Set();
      seen.set(resource.resourceType, ids);
    }
    if (ids.has(resource.id)) return false;
    ids.add(resource.id);
    return true;
  });
}
