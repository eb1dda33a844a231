/**
 * Order-select and order-sign input (crs-rules.md section 5): the selected draft MedicationRequests
 * (order-select), or every order being signed (order-sign), each identified (E7; 6.3: brand and biosimilar
 * names, or an unresolvable reference's display) and classified as tocilizumab, a systemic corticosteroid
 * (F2 route rule), a vasopressor or something else, with its dose in mg.
 */
import type { Dosage, Medication, MedicationRequest, Resource } from 'fhir/r4.js';
import type { Config, ConceptMap } from '../config/types.js';
import type { DraftOrder } from '../recommend/draft-order.js';
import { quantityMg } from './dose-mg.js';
import { asRecord, asRecords, asString, asText, isRecord } from './fhir-shape.js';
import { identifyOrDisplay, indexMedications, matchConcepts, type MedicationIdentity } from './match-medication.js';
import { isNonSystemic } from './systemic-route.js';

/** A resource of `context.draftOrders` with its place in the Bundle (it names an order without an id). */
interface DraftEntry {
  readonly resource: Resource;
  readonly index: number;
}

/** The resources of `context.draftOrders`: a Bundle (CDS Hooks 2.0), or tolerantly a bare array. */
function draftEntries(draftOrders: unknown): DraftEntry[] {
  const entries = isRecord(draftOrders) && Array.isArray(draftOrders['entry']) ? draftOrders['entry'] : [];
  const items = Array.isArray(draftOrders) ? draftOrders : entries.map((e: unknown) => (isRecord(e) ? e['resource'] : undefined));
  return items
    .map((resource: unknown, index) => ({ resource, index }))
    .filter((e): e is DraftEntry => isRecord(e.resource) && typeof e.resource['resourceType'] === 'string');
}

/** 'MedicationRequest/<id>' (relative, absolute or versioned) → '<id>'. */
function selectedId(selection: string): string | undefined {
  return /(?:^|\/)MedicationRequest\/([^/]+?)(?:\/_history\/[^/]+)?$/.exec(selection.trim())?.[1];
}

/**
 * The first dose quantity of the order, in mg; undefined when none is charted in mass units. Malformed
 * dosage parts (`dosageInstruction: {}`, `[null]`, `doseAndRate: {}`) are read as absent.
 */
function doseMg(request: MedicationRequest): number | undefined {
  for (const dosage of asRecords<Dosage>(request.dosageInstruction)) {
    for (const rate of asRecords<NonNullable<Dosage['doseAndRate']>[number]>(dosage.doseAndRate)) {
      if (asRecord(rate.doseQuantity) !== undefined) return quantityMg(rate.doseQuantity);
    }
  }
  return undefined;
}

function firstMatch(identity: MedicationIdentity, list: ConceptMap, matchNames: boolean): string | undefined {
  return matchConcepts(identity, list, matchNames)[0];
}

/** The routes a draft names in its dosage instructions (F2: a topical steroid is not a CRS corticosteroid). */
function routesOf(request: MedicationRequest): unknown[] {
  return asRecords<Dosage>(request.dosageInstruction).map((d) => d.route).filter((r) => r !== undefined);
}

function classify(request: MedicationRequest, identity: MedicationIdentity | undefined, config: Config): Pick<DraftOrder, 'kind' | 'concept'> {
  if (identity === undefined) return { kind: 'other' };
  const names = config.grading.matchNames;
  const lists = config.codeLists;
  const tociKey = config.treatment.tocilizumab.concept;
  const tocilizumab = lists.antiCytokines[tociKey];
  if (tocilizumab !== undefined && matchConcepts(identity, { [tociKey]: tocilizumab }, names).length > 0) {
    return { kind: 'tocilizumab', concept: tociKey };
  }
  const steroid = firstMatch(identity, lists.corticosteroids, names);
  if (steroid !== undefined) {
    // F2 route rule: a cream or inhaler is an unrelated drug here (OS5), not a systemic corticosteroid.
    const routes = routesOf(request);
    const nonSystemic = (routes.length === 0 ? [undefined] : routes).some((route) => isNonSystemic(route, identity, lists, names));
    return nonSystemic ? { kind: 'other' } : { kind: 'corticosteroid', concept: steroid };
  }
  // H2: any listed vasopressor (vasopressin alone included); inotropes only when the site counts them.
  const pressors: ConceptMap = { ...lists.vasopressors, ...(config.grading.countInotropes ? lists.inotropes : {}) };
  const pressor = firstMatch(identity, pressors, names);
  return pressor === undefined ? { kind: 'other' } : { kind: 'vasopressor', concept: pressor };
}

/**
 * One draft MedicationRequest, classified (order-select and order-sign alike).
 * @param id - the draft's id
 * @param request - the draft
 * @param medications - Medications it may reference, keyed 'Medication/<id>'
 * @param config - code lists and name matching
 */
function classifyDraft(id: string, request: MedicationRequest, medications: ReadonlyMap<string, Medication>, config: Config): DraftOrder {
  const dose = doseMg(request);
  return {
    id,
    // 6.3: an unresolvable reference's display ("tocilizumab") still names the drug.
    ...classify(request, identifyOrDisplay(request, medications).identity, config),
    ...(dose === undefined ? {} : { doseMg: dose }),
    resource: request,
  };
}

/** The draft entries and the Medications a draft may reference (E7), keyed 'Medication/<id>'. */
function readDrafts(draftOrders: unknown, resources: readonly Resource[]): { entries: DraftEntry[]; medications: ReadonlyMap<string, Medication> } {
  const entries = draftEntries(draftOrders);
  return { entries, medications: indexMedications([...resources, ...entries.map((e) => e.resource)]) };
}

/**
 * The selected draft MedicationRequests (order-select), classified, in selection order.
 * @param context - the hook context: `draftOrders` (a Bundle) and `selections` ('MedicationRequest/<id>')
 * @param resources - other resources of the call (Medications a draft may reference)
 * @param config - code lists and name matching
 */
export function classifyDraftOrders(
  context: { readonly draftOrders?: unknown; readonly selections?: readonly string[] },
  resources: readonly Resource[],
  config: Config,
): DraftOrder[] {
  const { entries, medications } = readDrafts(context.draftOrders, resources);
  const requests = new Map<string, MedicationRequest>();
  for (const { resource } of entries) {
    const id = resource.resourceType === 'MedicationRequest' ? asString(resource.id) : undefined;
    if (id !== undefined) requests.set(id, resource as MedicationRequest);
  }
  const out: DraftOrder[] = [];
  const seen = new Set<string>();
  for (const selection of context.selections ?? []) {
    const id = typeof selection === 'string' ? selectedId(selection) : undefined;
    const request = id === undefined ? undefined : requests.get(id);
    if (id === undefined || request === undefined || seen.has(id)) continue;
    seen.add(id);
    out.push(classifyDraft(id, request, medications, config));
  }
  return out;
}

/**
 * Statuses a signature gives no drug under: an order re-signed as cancelled, stopped, completed or
 * entered in error is ended, not given, so it is neither checked nor counted as a dose now (OS2).
 */
const ENDED_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'completed', 'entered-in-error', 'stopped']);

/**
 * Every MedicationRequest being signed (order-sign has no `selections`), classified, in Bundle order.
 * CDS Hooks order-sign: the orders are typically drafts, but an order re-signed after a revision carries
 * another status (`active` being modified, `on-hold`): those are checked too, and so is an order without a
 * status. An order without an id is still checked, named by its place (`draftOrders.entry[1]`).
 * @param context - the hook context: `draftOrders` (a Bundle)
 * @param resources - other resources of the call (Medications an order may reference)
 * @param config - code lists and name matching
 */
export function classifyOrdersToSign(
  context: { readonly draftOrders?: unknown },
  resources: readonly Resource[],
  config: Config,
): DraftOrder[] {
  const { entries, medications } = readDrafts(context.draftOrders, resources);
  const out: DraftOrder[] = [];
  const seen = new Set<string>();
  for (const { resource, index } of entries) {
    if (resource.resourceType !== 'MedicationRequest') continue;
    const request = resource as MedicationRequest;
    const status = asString(request.status);
    if (status !== undefined && ENDED_STATUSES.has(status)) continue;
    const id = asText(request.id) ?? `draftOrders.entry[${String(index)}]`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(classifyDraft(id, request, medications, config));
  }
  return out;
}
