/**
 * Medication identity and matching (E7). A MedicationAdministration or MedicationRequest names its drug by
 * `medicationCodeableConcept` or by `medicationReference` to a contained Medication (`#id`) or a Medication
 * elsewhere in the data; the Medication's code and its ingredients are what it is known by.
 */
import type {
  CodeableConcept,
  Coding,
  Medication,
  MedicationAdministration,
  MedicationRequest,
  Reference,
  Resource,
} from 'fhir/r4.js';
import type { ConceptMap } from '../config/types.js';
import { asRecord, asRecords, asString, asText, codingsOf, isRecord } from './fhir-shape.js';
import { codingMatches } from './match-code.js';
import { containsName, normaliseName } from './match-name.js';

/**
 * The codings and texts a medication is known by (E7): medicationCodeableConcept, or medicationReference to a
 * contained Medication (`#id`) or a Medication in `medications` (keyed 'Medication/<id>'), using Medication.code
 * and its ingredients' itemCodeableConcept / itemReference. undefined when a reference cannot be resolved.
 * Only well-formed parts are kept: codings reduced to their string fields, texts that are non-blank strings.
 */
export interface MedicationIdentity {
  readonly codings: readonly Coding[];
  readonly texts: readonly string[];
}

/** Nested ingredient references are followed this deep (a guard against reference cycles). */
const MAX_DEPTH = 2;

interface Collector {
  codings: Coding[];
  texts: string[];
}

function addConcept(into: Collector, concept: CodeableConcept | undefined): void {
  for (const coding of codingsOf(concept)) {
    into.codings.push(coding);
    const display = asText(coding.display);
    if (display !== undefined) into.texts.push(display);
  }
  const text = asText(asRecord(concept)?.['text']);
  if (text !== undefined) into.texts.push(text);
}

/** 'Medication/<id>' for relative, absolute or versioned references; undefined for anything else. */
function medicationKey(reference: string): string | undefined {
  const match = /(?:^|\/)Medication\/([^/]+)(?:\/_history\/[^/]+)?$/.exec(reference);
  return match?.[1] === undefined ? undefined : `Medication/${match[1]}`;
}

function resolve(
  ref: Reference,
  contained: readonly Resource[],
  medications: ReadonlyMap<string, Medication>,
): Medication | undefined {
  const reference = asString(ref.reference);
  if (reference === undefined) return undefined;
  if (reference.startsWith('#')) {
    const id = reference.slice(1);
    const hit = contained.find((r) => r.resourceType === 'Medication' && r.id === id);
    return hit as Medication | undefined;
  }
  const key = medicationKey(reference);
  return key === undefined ? undefined : medications.get(key);
}

function addMedication(
  into: Collector,
  medication: Medication,
  contained: readonly Resource[],
  medications: ReadonlyMap<string, Medication>,
  depth: number,
): void {
  addConcept(into, medication.code);
  for (const ingredient of asRecords<NonNullable<Medication['ingredient']>[number]>(medication.ingredient)) {
    addConcept(into, ingredient.itemCodeableConcept);
    const itemReference = asRecord<Reference>(ingredient.itemReference);
    if (itemReference === undefined || depth >= MAX_DEPTH) continue;
    // An ingredient that is itself a Medication (a kit, a compounded product); unresolvable ingredient
    // references are skipped because the Medication itself already resolved.
    const inner = resolve(itemReference, [...contained, ...asRecords<Resource>(medication.contained)], medications);
    const display = asText(itemReference.display);
    if (inner !== undefined) addMedication(into, inner, contained, medications, depth + 1);
    else if (display !== undefined) into.texts.push(display);
  }
}

/**
 * What a medication-bearing resource is known by (E7).
 * @param resource - a MedicationAdministration or MedicationRequest
 * @param medications - Medication resources from the data, keyed 'Medication/<id>'
 * @returns its codings and texts; undefined when its medicationReference cannot be resolved
 */
export function identifyMedication(
  resource: MedicationAdministration | MedicationRequest,
  medications: ReadonlyMap<string, Medication>,
): MedicationIdentity | undefined {
  const into: Collector = { codings: [], texts: [] };
  // A medication[x] of the wrong shape is read as absent.
  const concept = asRecord<CodeableConcept>(resource.medicationCodeableConcept);
  if (concept !== undefined) {
    addConcept(into, concept);
    return into;
  }
  const reference = asRecord<Reference>(resource.medicationReference);
  if (reference === undefined) return into;
  const contained = asRecords<Resource>(resource.contained);
  const medication = resolve(reference, contained, medications);
  if (medication === undefined) return undefined;
  addMedication(into, medication, contained, medications, 0);
  const display = asText(reference.display);
  if (display !== undefined) into.texts.push(display);
  return into;
}

/**
 * E7 identity, or for a `medicationReference` that cannot be resolved the name it carries as charted
 * (6.3: "a medicationReference.display counts as text when the Medication cannot be resolved"), rather
 * than lose the drug.
 * @param resource - a MedicationAdministration or MedicationRequest
 * @param medications - Medication resources from the data, keyed 'Medication/<id>'
 * @returns the identity (undefined when there is none at all) and whether the reference resolved
 */
export function identifyOrDisplay(
  resource: MedicationAdministration | MedicationRequest,
  medications: ReadonlyMap<string, Medication>,
): { readonly identity: MedicationIdentity | undefined; readonly resolved: boolean } {
  const identity = identifyMedication(resource, medications);
  if (identity !== undefined) return { identity, resolved: true };
  const display = asText(asRecord<Reference>(resource.medicationReference)?.display);
  return { identity: display === undefined ? undefined : { codings: [], texts: [display] }, resolved: false };
}

/**
 * Keys of the concepts matched: by code WITH its system (RxNorm codes only with the RxNorm system; SNOMED/LOINC/
 * ICD-10-CM with their system or none), and when matchNames, by case-insensitive WHOLE-WORD name match against
 * coding.display and text ("epinephrine" must not match "norepinephrine").
 * @param identity - from {@link identifyMedication}
 * @param concepts - a configured code list
 * @param matchNames - also match by name (section 6; always on for 6.4 therapies)
 */
export function matchConcepts(identity: MedicationIdentity, concepts: ConceptMap, matchNames: boolean): string[] {
  const keys: string[] = [];
  const texts = matchNames ? identity.texts.map(normaliseName) : [];
  for (const [key, concept] of Object.entries(concepts)) {
    const byCode = identity.codings.some((coding) => concept.codes.some((ref) => codingMatches(coding, ref)));
    const byName = !byCode && texts.some((text) => concept.names.some((name) => containsName(text, name)));
    if (byCode || byName) keys.push(key);
  }
  return keys;
}

/**
 * Map of 'Medication/<id>' → Medication from a resource list.
 * @param resources - any resources; only Medications with an id are kept
 */
export function indexMedications(resources: readonly Resource[]): ReadonlyMap<string, Medication> {
  const index = new Map<string, Medication>();
  for (const resource of resources) {
    const id = isRecord(resource) && resource.resourceType === 'Medication' ? asString(resource.id) : undefined;
    if (id !== undefined) index.set(`Medication/${id}`, resource as Medication);
  }
  return index;
}
