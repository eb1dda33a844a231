/**
 * Resolves every prefetch key of a service for one hook call (CDS Hooks 2.0 "Prefetch"):
 * - a value is used; a searchset Bundle with a `next` link has its pages fetched on the FHIR server;
 * - `null` means known empty and is not fetched again;
 * - absent, an OperationOutcome, or a Bundle whose pages cannot be fetched: fetched from `fhirServer`
 *   with the hook's token;
 * - still unobtainable: the key's `onFailure` ('fail' → 412, 'omit' → no data, 'operation-outcome' →
 *   no data, the OperationOutcome passed on).
 * All keys run in parallel; the whole call, Medication reads included, is bounded by `timeoutMs`.
 * Medications referenced by administrations and not yet present are read (E7). A call with every key
 * prefetched complete (the usual one) is answered without a reader, timer or budget.
 */
import type { Bundle, OperationOutcome, Resource } from 'fhir/r4.js';
import type { CdsServiceDefinition, PrefetchTemplate } from '../../hooks/types.js';
import { OtherPatientDataError, PreconditionFailedError } from '../protocol/errors.js';
import { createFhirClient, FhirHttpError, type FhirReader } from './fhir-client.js';
import { fillPrefetchTemplate } from './prefetch-template.js';
import { dedupeResources, entriesOf, isResource } from './bundle-resources.js';
import { medicationIds, unresolvedMedicationIds } from './medication-references.js';
import { findOtherPatientsResource } from './patient-scope.js';

export interface PrefetchCall {
  readonly fhirServer?: string;
  readonly accessToken?: string;
  readonly context: Readonly<Record<string, unknown>>;
  readonly prefetch?: Readonly<Record<string, unknown>>;
}

export interface PrefetchOptions {
  /** `fhir.allowedServers` */
  readonly allowedServers: readonly string[];
  /** `fhir.timeoutMs`: budget for all FHIR reads of the call. */
  readonly timeoutMs: number;
  /** `fhir.maxResponseBytes`: most bytes read from one response. */
  readonly maxResponseBytes?: number;
  /** SSRF guard; throwing = not fetchable. */
  readonly checkOutboundUrl?: (url: URL) => Promise<void>;
  /** Observes each FHIR read (metrics). */
  readonly onRead?: (outcome: string, seconds: number) => void;
  /** Most pages read per key (default 20); beyond it the oldest data is left out. */
  readonly maxPages?: number;
  /** Most Medication reads per call (default 50). */
  readonly maxMedicationReads?: number;
}

export interface ResolvedPrefetch {
  /** Every resource: Bundles flattened, de-duplicated by type/id. */
  readonly resources: readonly Resource[];
  /** Keys with `onFailure` 'omit' or 'operation-outcome' that could not be obtained. */
  readonly omittedKeys: readonly string[];
}

type KeyResult = { readonly ok: true; readonly resources: Resource[] } | { readonly ok: false; readonly outcome?: OperationOutcome };

const FAILED: KeyResult = { ok: false };
const ok = (resources: Resource[]): KeyResult => ({ ok: true, resources });

const isBundle = (value: Resource): value is Bundle => value.resourceType === 'Bundle';

const nextLink = (bundle: Bundle): string | undefined => bundle.link?.find((link) => link.relation === 'next')?.url;

/**
 * Reads every page after `next` (same server only: the reader refuses anything else). More pages than
 * `maxPages` fail the key: a truncated search is not complete data (the oldest administration may be
 * the index therapy, S1).
 */
async function readPages(reader: FhirReader, first: string, maxPages: number): Promise<Resource[]> {
  const resources: Resource[] = [];
  let next: string | undefined = first;
  for (let page = 0; next !== undefined && page < maxPages; page += 1) {
    const body = await reader.read(next);
    if (!isResource(body) || !isBundle(body)) {
      throw new Error('page is not a Bundle');
    }
    resources.push(...entriesOf(body));
    next = nextLink(body);
  }
  if (next !== undefined) {
    throw new Error('more pages than the page limit');
  }
  return resources;
}

/** Turns a fetched body into resources; an OperationOutcome (or anything not a resource) is a failure. */
async function collect(reader: FhirReader, body: unknown, maxPages: number): Promise<KeyResult> {
  if (!isResource(body) || body.resourceType === 'OperationOutcome') {
    return isResource(body) ? { ok: false, outcome: body as OperationOutcome } : FAILED;
  }
  if (!isBundle(body)) {
    return ok([body]);
  }
  const next = nextLink(body);
  const rest = next === undefined ? [] : await readPages(reader, next, maxPages - 1);
  return ok([...entriesOf(body), ...rest]);
}

/**
 * The resources of a prefetched value that is complete as sent: `null` (known empty), or a resource other
 * than an OperationOutcome and, for a Bundle, without a next page. undefined when it must be fetched.
 */
function prefetchedResources(value: unknown): Resource[] | undefined {
  if (value === null) return [];
  if (!isResource(value) || value.resourceType === 'OperationOutcome') return undefined;
  if (!isBundle(value)) return [value];
  return nextLink(value) === undefined ? entriesOf(value) : undefined;
}

/** Uses the prefetched value if it is complete, otherwise fetches the key's template. */
async function resolveKey(
  template: PrefetchTemplate,
  value: unknown,
  call: PrefetchCall,
  reader: FhirReader | undefined,
  maxPages: number,
): Promise<KeyResult> {
  const prefetched = prefetchedResources(value);
  if (prefetched !== undefined) {
    return ok(prefetched);
  }
  // A prefetched Bundle with more pages: they are read on the FHIR server.
  const next = isResource(value) && isBundle(value) ? nextLink(value) : undefined;
  if (next !== undefined && reader !== undefined) {
    try {
      return ok([...entriesOf(value as Bundle), ...(await readPages(reader, next, maxPages))]);
    } catch {
      // Incomplete pages (foreign link, error): fall back to the template itself.
    }
  }
  const received = isResource(value) && value.resourceType === 'OperationOutcome' ? (value as OperationOutcome) : undefined;
  const url = fillPrefetchTemplate(template.query, call.context);
  if (reader === undefined || url === undefined) {
    return { ok: false, outcome: received };
  }
  try {
    return await collect(reader, await reader.read(url), maxPages);
  } catch (error) {
    // A read of one resource that does not exist is known-empty, as `null` would be.
    if (error instanceof FhirHttpError && (error.status === 404 || error.status === 410) && !url.includes('?')) {
      return ok([]);
    }
    return { ok: false, outcome: received };
  }
}

/** Every key's result put together: 412 for a required key that failed, 400/412 for another patient's data. */
function assemble(service: CdsServiceDefinition, results: readonly KeyResult[], patientId: unknown): ResolvedPrefetch {
  const resources: Resource[] = [];
  const omittedKeys: string[] = [];
  Object.entries(service.prefetch).forEach(([key, template], index) => {
    const result = results[index] ?? FAILED;
    if (result.ok) {
      if (typeof patientId === 'string' && findOtherPatientsResource(result.resources, patientId) !== undefined) {
        throw new OtherPatientDataError(service.id, { prefetchKey: key });
      }
      for (const resource of result.resources) resources.push(resource);
    } else if (template.onFailure === 'fail') {
      throw new PreconditionFailedError(service.id, key);
    } else {
      omittedKeys.push(key);
      if (template.onFailure === 'operation-outcome' && result.outcome !== undefined) {
        resources.push(result.outcome);
      }
    }
  });
  return { resources: dedupeResources(resources), omittedKeys };
}

/**
 * The results of a call whose every key was prefetched complete and that needs no Medication read (none
 * missing, or no FHIR server to read from); undefined when something must be fetched.
 */
function fullyPrefetched(service: CdsServiceDefinition, call: PrefetchCall): KeyResult[] | undefined {
  const results: KeyResult[] = [];
  for (const key of Object.keys(service.prefetch)) {
    let resources: Resource[] | undefined;
    try {
      resources = prefetchedResources(call.prefetch?.[key]);
    } catch {
      return undefined; // a wrongly shaped value (e.g. a `link` of nulls) fails its key on the general path
    }
    if (resources === undefined) return undefined;
    results.push(ok(resources));
  }
  if (call.fhirServer === undefined) return results;
  const all = results.flatMap((result) => (result.ok ? result.resources : []));
  return unresolvedMedicationIds(all, medicationIds(all)).length === 0 ? results : undefined;
}


/**
 * Resolves the prefetch of `service` for one call.
 * @param service - the service definition (its templates and failure modes)
 * @param call - fhirServer, token, context and prefetch of the request
 * @param opts - allowlist, budget, guard and metrics hook
 * @throws PreconditionFailedError when a 'fail' key can be neither prefetched nor fetched
 * @throws OtherPatientDataError when a key, prefetched or fetched, holds data of another patient
 */
export async function resolvePrefetch(
  service: CdsServiceDefinition,
  call: PrefetchCall,
  opts: PrefetchOptions,
): Promise<ResolvedPrefetch> {
  // The usual call (everything prefetched) needs no reader, budget or timer.
  const prefetched = fullyPrefetched(service, call);
  if (prefetched !== undefined) {
    return assemble(service, prefetched, call.context['patientId']);
  }
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs);
  // Settles every still-pending step as failed when the budget runs out, even one ignoring the signal.
  const deadline = new Promise<KeyResult>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve(FAILED), { once: true });
  });
  const bounded = (work: Promise<KeyResult>): Promise<KeyResult> =>
    Promise.race([work.catch(() => FAILED), deadline]);
  let reader: FhirReader | undefined;
  if (call.fhirServer !== undefined) {
    try {
      reader = createFhirClient({
        serverUrl: call.fhirServer,
        accessToken: call.accessToken,
        signal: controller.signal,
        maxResponseBytes: opts.maxResponseBytes,
        allowedServers: opts.allowedServers,
        checkOutboundUrl: opts.checkOutboundUrl,
        onRead: opts.onRead,
      });
    } catch {
      reader = undefined; // not allowlisted or not a URL: nothing is fetched (never contacted)
    }
  }
  const maxPages = opts.maxPages ?? 20;
  try {
    const keys = Object.entries(service.prefetch);
    const results = await Promise.all(
      keys.map(([key, template]) => bounded(resolveKey(template, call.prefetch?.[key], call, reader, maxPages))),
    );
    const resolved = await resolveMedications(results, reader, opts.maxMedicationReads ?? 50, bounded);
    return assemble(service, resolved, call.context['patientId']);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/** Reads missing Medications (E7); a failed read (other than 404/410) fails the key that needed it. */
async function resolveMedications(
  results: readonly KeyResult[],
  reader: FhirReader | undefined,
  maxReads: number,
  bounded: (work: Promise<KeyResult>) => Promise<KeyResult>,
): Promise<KeyResult[]> {
  if (reader === undefined) {
    return [...results];
  }
  const all = results.flatMap((result) => (result.ok ? result.resources : []));
  const present = medicationIds(all);
  const missing = unresolvedMedicationIds(all, present).slice(0, maxReads);
  if (missing.length === 0) {
    return [...results];
  }
  const reads = new Map(
    await Promise.all(
      missing.map(async (id): Promise<[string, KeyResult]> => {
        const read = reader.read(`Medication/${encodeURIComponent(id)}`).then(
          (body): KeyResult => (isResource(body) && body.resourceType === 'Medication' ? ok([body]) : FAILED),
          (error: unknown): KeyResult =>
            error instanceof FhirHttpError && (error.status === 404 || error.status === 410) ? ok([]) : FAILED,
        );
        return [id, await bounded(read)];
      }),
    ),
  );
  return results.map((result) => {
    if (!result.ok) {
      return result;
    }
    const needed = unresolvedMedicationIds(result.resources, present).map((id) => reads.get(id));
    if (needed.some((read) => read !== undefined && !read.ok)) {
      return FAILED;
    }
    return ok([...result.resources, ...needed.flatMap((read) => (read?.ok ? read.resources : []))]);
  });
}
