/**
 * The FHIR searches the timeline runs: the service's own prefetch queries (hooks/prefetch-queries.ts,
 * built from the site's code lists), widened from "newest N" to the whole monitoring window (a date
 * bound instead of `_sort` + `_count`), with every page followed. So the app reads the same kinds of data the service grades, over the episode.
 */
import { crsPrefetch } from '../../../hooks/prefetch-queries.js';
import type { CodeLists } from '../../../src/config/types.js';

/** Results per page; the app follows `next` links for the rest. */
const PAGE_SIZE = 1000;

/** The date search parameter of each resource type with a clinical time. */
const DATE_PARAMETER: Readonly<Record<string, string>> = {
  Observation: 'date',
  MedicationAdministration: 'effective-time',
};

/** FHIR R4 `id` syntax: a launch context that is not an id is refused rather than put into a URL. */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/**
 * The relative search (or read) URLs for one patient.
 * @param codeLists - the site's effective code lists
 * @param patientId - the launch context patient (a FHIR id)
 * @param since - nothing before this can count (S1: the monitoring window), ISO 8601
 * @throws Error when patientId is not a FHIR id
 */
export function patientQueries(codeLists: CodeLists, patientId: string, since: string): string[] {
  if (!FHIR_ID.test(patientId)) throw new Error('the launch context patient is not a FHIR id');
  return Object.values(crsPrefetch(codeLists)).map(({ query }) => {
    const filled = query.replaceAll('{{context.patientId}}', patientId);
    const [path = '', search] = filled.split('?', 2);
    if (search === undefined) return path;
    const params = new URLSearchParams(search);
    if (params.has('_count')) params.set('_count', String(PAGE_SIZE));
    // Every page is read, so the newest-first order that bounds a prefetch is only work for the server.
    params.delete('_sort');
    const dateParameter = DATE_PARAMETER[path];
    if (dateParameter !== undefined) params.set(dateParameter, `ge${since}`);
    return `${path}?${params.toString()}`;
  });
}
