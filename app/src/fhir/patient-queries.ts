/**
 * The FHIR searches the timeline runs: the service's own prefetch queries (hooks/prefetch-queries.ts,
 * built from the site's code lists), widened from "newest N" to the whole monitoring window, with every
 * page followed. So the app reads the same kinds of data the service grades, over the episode.
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

/**
 * The relative search (or read) URLs for one patient.
 * @param codeLists - the site's effective code lists
 * @param patientId - the launch context patient
 * @param since - nothing before this can count (S1: the monitoring window), ISO 8601
 */
export function patientQueries(codeLists: CodeLists, patientId: string, since: string): string[] {
  return Object.values(crsPrefetch(codeLists)).map(({ query }) => {
    const filled = query.replaceAll('{{context.patientId}}', encodeURIComponent(patientId));
    const [path = '', search] = filled.split('?', 2);
    if (search === undefined) return path;
    const params = new URLSearchParams(search);
    if (params.has('_count')) params.set('_count', String(PAGE_SIZE));
    const dateParameter = DATE_PARAMETER[path];
    if (dateParameter !== undefined) params.set(dateParameter, `ge${since}`);
    return `${path}?${params.toString()}`;
  });
}
