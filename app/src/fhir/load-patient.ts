/**
 * Reads the launched patient's data from the EHR's FHIR server with the SMART client: every search of
 * patient-queries.ts, all pages, then the Medications that administrations reference but the server did
 * not include (E7). `next` links are followed only on the FHIR server's own origin, so the access token
 * never goes elsewhere (fhirclient would send it to any host a link names).
 */
import type FHIR from 'fhirclient';
import type { Bundle, MedicationAdministration, Resource } from 'fhir/r4.js';
import { dedupeResources } from '../../../src/fhir/bundle-resources.js';
import type { CodeLists } from '../../../src/config/types.js';
import { patientQueries } from './patient-queries.js';

/** The client `FHIR.oauth2.ready()` returns. */
type Client = ReturnType<typeof FHIR.client>;

/** At most this many pages per search: a runaway server cannot keep the app loading forever. */
const MAX_PAGES = 50;

/** Raised when the FHIR server answers in a way the app cannot use; the message has no URL or data. */
export class FhirLoadError extends Error {}

async function searchAll(client: Client, first: string): Promise<Resource[]> {
  const origin = new URL(client.state.serverUrl).origin;
  const out: Resource[] = [];
  let url: string | undefined = first;
  for (let page = 0; url !== undefined; page += 1) {
    if (page === MAX_PAGES) throw new FhirLoadError(`a search returned more than ${MAX_PAGES} pages`);
    const answer: Bundle | Resource = await client.request<Bundle | Resource>(url);
    if (answer.resourceType !== 'Bundle') return [answer];
    const bundle = answer as Bundle;
    for (const entry of bundle.entry ?? []) if (entry.resource !== undefined) out.push(entry.resource);
    const next: string | undefined = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (next !== undefined && new URL(next, client.state.serverUrl).origin !== origin) {
      throw new FhirLoadError('the FHIR server sent a next link to another host; not followed');
    }
    url = next;
  }
  return out;
}

/** Medication ids referenced as `Medication/<id>` but absent from the results. */
function missingMedications(resources: readonly Resource[]): string[] {
  const have = new Set(resources.filter((r) => r.resourceType === 'Medication').map((r) => r.id));
  const wanted = new Set<string>();
  for (const r of resources) {
    const reference = r.resourceType === 'MedicationAdministration' ? (r as MedicationAdministration).medicationReference?.reference : undefined;
    const id = reference === undefined ? undefined : /^Medication\/([A-Za-z0-9\-.]{1,64})$/.exec(reference)?.[1];
    if (id !== undefined && !have.has(id)) wanted.add(id);
  }
  return [...wanted];
}

/**
 * The patient's resources over the monitoring window.
 * @param client - the ready SMART client (patient context)
 * @param codeLists - the site's code lists
 * @param since - start of the monitoring window, ISO 8601
 */
export async function loadPatientResources(client: Client, codeLists: CodeLists, since: string): Promise<Resource[]> {
  const patientId = client.patient.id;
  if (patientId === null) throw new FhirLoadError('the launch carried no patient');
  const found = (await Promise.all(patientQueries(codeLists, patientId, since).map((q) => searchAll(client, q)))).flat();
  const medications = await Promise.all(missingMedications(found).map((id) => client.request<Resource>(`Medication/${id}`)));
  return dedupeResources([...found, ...medications]);
}
