/**
 * Order-select input (crs-rules.md section 5): the selected draft MedicationRequests, each identified (E7)
 * and classified as tocilizumab, a corticosteroid, a vasopressor or something else, with its dose in mg.
 */
import type { Dosage, Medication, MedicationRequest, Quantity, Resource } from 'fhir/r4.js';
import type { Config, ConceptMap } from '../config/types.js';
import type { DraftOrder } from '../recommend/draft-order.js';
import { asFiniteNumber, asRecord, asRecords, asString, isRecord } from './fhir-shape.js';
import { identifyMedication, indexMedications, matchConcepts, type MedicationIdentity } from './match-medication.js';

const UCUM = 'http://unitsofmeasure.org';
/** Mass units a dose may be charted in, as mg per unit (UCUM code, else the unit text). */
/** A Map, so a unit named `constructor` or `toString` is no unit (E5), not an inherited property. */
const MG_PER_UNIT: ReadonlyMap<string, number> = new Map([['mg', 1], ['g', 1000]]);

/** The resources of `context.draftOrders`: a Bundle (CDS Hooks 2.0), or tolerantly a bare array. */
function draftResources(draftOrders: unknown): Resource[] {
  const entries = isRecord(draftOrders) && Array.isArray(draftOrders['entry']) ? draftOrders['entry'] : [];
  const items = Array.isArray(draftOrders) ? draftOrders : entries.map((e: unknown) => (isRecord(e) ? e['resource'] : undefined));
  return items.filter((r): r is Resource => isRecord(r) && typeof r['resourceType'] === 'string');
}

/** 'MedicationRequest/<id>' (relative, absolute or versioned) → '<id>'. */
function selectedId(selection: string): string | undefined {
  return /(?:^|\/)MedicationRequest\/([^/]+?)(?:\/_history\/[^/]+)?$/.exec(selection.trim())?.[1];
}

function quantityMg(q: Quantity | undefined): number | undefined {
  const value = asFiniteNumber(q?.value);
  if (q === undefined || value === undefined) return undefined;
  // The UCUM code is authoritative (E5); the unit text only when there is no code.
  let unit: string | undefined;
  if (q.code !== undefined) unit = typeof q.code === 'string' && (q.system === undefined || q.system === UCUM) ? q.code : undefined;
  else unit = typeof q.unit === 'string' ? q.unit.trim().toLowerCase() : undefined;
  const factor = unit === undefined ? undefined : MG_PER_UNIT.get(unit);
  return factor === undefined ? undefined : value * factor;
}

/**
 * The first dose quantity of the order, in mg; undefined when none is charted in mass units. Malformed
 * dosage parts (`dosageInstruction: {}`, `[null]`, `doseAndRate: {}`) are read as absent.
 */
function doseMg(request: MedicationRequest): number | undefined {
  for (const dosage of asRecords<Dosage>(request.dosageInstruction)) {
    for (const rate of asRecords<NonNullable<Dosage['doseAndRate']>[number]>(dosage.doseAndRate)) {
      const quantity = asRecord<Quantity>(rate.doseQuantity);
      if (quantity !== undefined) return quantityMg(quantity);
    }
  }
  return undefined;
}

function firstMatch(identity: MedicationIdentity, list: ConceptMap, matchNames: boolean): string | undefined {
  return matchConcepts(identity, list, matchNames)[0];
}

function classify(identity: MedicationIdentity | undefined, config: Config): Pick<DraftOrder, 'kind' | 'concept'> {
  if (identity === undefined) return { kind: 'other' };
  const names = config.grading.matchNames;
  const lists = config.codeLists;
  const tociKey = config.treatment.tocilizumab.concept;
  const tocilizumab = lists.antiCytokines[tociKey];
  if (tocilizumab !== undefined && matchConcepts(identity, { [tociKey]: tocilizumab }, names).length > 0) {
    return { kind: 'tocilizumab', concept: tociKey };
  }
  const steroid = firstMatch(identity, lists.corticosteroids, names);
  if (steroid !== undefined) return { kind: 'corticosteroid', concept: steroid };
  // H2: any listed vasopressor (vasopressin alone included); inotropes only when the site counts them.
  const pressors: ConceptMap = { ...lists.vasopressors, ...(config.grading.countInotropes ? lists.inotropes : {}) };
  const pressor = firstMatch(identity, pressors, names);
  return pressor === undefined ? { kind: 'other' } : { kind: 'vasopressor', concept: pressor };
}

/**
 * The selected draft MedicationRequests, classified, in selection order.
 * @param context - the hook context: `draftOrders` (a Bundle) and `selections` ('MedicationRequest/<id>')
 * @param resources - other resources of the call (Medications a draft may reference)
 * @param config - code lists and name matching
 */
export function classifyDraftOrders(
  context: { readonly draftOrders?: unknown; readonly selections?: readonly string[] },
  resources: readonly Resource[],
  config: Config,
): DraftOrder[] {
  const drafts = draftResources(context.draftOrders);
  const medications: ReadonlyMap<string, Medication> = indexMedications([...resources, ...drafts]);
  const requests = new Map<string, MedicationRequest>();
  for (const r of drafts) {
    const id = r.resourceType === 'MedicationRequest' ? asString(r.id) : undefined;
    if (id !== undefined) requests.set(id, r as MedicationRequest);
  }
  const out: DraftOrder[] = [];
  const seen = new Set<string>();
  for (const selection of context.selections ?? []) {
    const id = typeof selection === 'string' ? selectedId(selection) : undefined;
    const request = id === undefined ? undefined : requests.get(id);
    if (id === undefined || request === undefined || seen.has(id)) continue;
    seen.add(id);
    const dose = doseMg(request);
    out.push({
      id,
      ...classify(identifyMedication(request, medications), config),
      ...(dose === undefined ? {} : { doseMg: dose }),
      resource: request,
    });
  }
  return out;
}
