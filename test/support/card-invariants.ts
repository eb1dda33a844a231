/**
 * CDS Hooks 2.0 card and response invariants (https://cds-hooks.hl7.org/2.0/#cds-service-response), run over
 * every card the tests produce, and the JSON rule over whole responses (response-audit.ts applies it to
 * every hook response the suite's in-process servers send). Throws one Error listing every violation, so a
 * failing test says exactly what. Every resource inside an action is also recorded for the end-of-run
 * FHIR R4 validation (emitted-resources.ts).
 */
import { recordResponseResources } from './emitted-resources.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INDICATORS = ['info', 'warning', 'critical'];
const CARD_KEYS = new Set(['uuid', 'summary', 'detail', 'indicator', 'source', 'suggestions', 'selectionBehavior', 'overrideReasons', 'links']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** No null, no empty string, array or object anywhere below `value`. */
function checkNoEmpties(value: unknown, path: string, problems: string[]): void {
  if (value === null) problems.push(`${path}: null`);
  else if (typeof value === 'string') {
    if (value === '') problems.push(`${path}: empty string`);
  } else if (Array.isArray(value)) {
    if (value.length === 0) problems.push(`${path}: empty array`);
    value.forEach((v, i) => checkNoEmpties(v, `${path}[${i}]`, problems));
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) problems.push(`${path}: empty object`);
    for (const [k, v] of entries) {
      if (v === undefined) problems.push(`${path}.${k}: undefined`);
      else checkNoEmpties(v, `${path}.${k}`, problems);
    }
  }
}

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const RELATIVE_REFERENCE = /^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/;

function hasRxNorm(concept: unknown): boolean {
  return isRecord(concept) && Array.isArray(concept['coding']) && concept['coding'].some((c: unknown) => isRecord(c) && c['system'] === RXNORM && nonEmptyString(c['code']));
}

/**
 * contract.md "Order suggestions": a suggested MedicationRequest is a draft, coded with RxNorm (on
 * medicationCodeableConcept, or on the contained Medication that medicationReference names; never both),
 * with the dose in mg in dosageInstruction[0].doseAndRate[0].doseQuantity.
 */
function checkOrderContract(resource: Record<string, unknown>, path: string, problems: string[]): void {
  if (resource['resourceType'] !== 'MedicationRequest') return;
  if (resource['status'] !== 'draft') problems.push(`${path}.status: must be draft`);
  const reference = resource['medicationReference'];
  if (reference !== undefined && resource['medicationCodeableConcept'] !== undefined) {
    problems.push(`${path}: medication[x] is a choice: not both medicationCodeableConcept and medicationReference`);
  }
  const ref = isRecord(reference) ? reference['reference'] : undefined;
  const contained = Array.isArray(resource['contained']) ? resource['contained'] : [];
  const medication =
    typeof ref === 'string' && ref.startsWith('#')
      ? contained.find((r: unknown) => isRecord(r) && r['resourceType'] === 'Medication' && r['id'] === ref.slice(1))
      : undefined;
  const concept = reference === undefined ? resource['medicationCodeableConcept'] : isRecord(medication) ? medication['code'] : undefined;
  if (!hasRxNorm(concept)) problems.push(`${path}.medication: RxNorm ingredient coding required`);
  const dosage = Array.isArray(resource['dosageInstruction']) ? resource['dosageInstruction'][0] : undefined;
  const rate = isRecord(dosage) && Array.isArray(dosage['doseAndRate']) ? dosage['doseAndRate'][0] : undefined;
  const dose = isRecord(rate) ? rate['doseQuantity'] : undefined;
  if (!isRecord(dose) || typeof dose['value'] !== 'number' || dose['unit'] !== 'mg') {
    problems.push(`${path}.dosageInstruction[0].doseAndRate[0].doseQuantity: dose in mg required`);
  }
}

function checkAction(action: unknown, path: string, problems: string[]): void {
  if (!isRecord(action)) return void problems.push(`${path}: not an object`);
  if (!['create', 'update', 'delete'].includes(action['type'] as string)) problems.push(`${path}.type: invalid`);
  if (!nonEmptyString(action['description'])) problems.push(`${path}.description: required`);
  const id = action['resourceId'];
  // CDS Hooks 2.0: resourceId is a string, a relative reference (ResourceType/id).
  if (id !== undefined && (typeof id !== 'string' || !RELATIVE_REFERENCE.test(id))) {
    problems.push(`${path}.resourceId: must be a relative reference string (ResourceType/id)`);
  }
  if (action['type'] === 'delete') {
    if (id === undefined) problems.push(`${path}.resourceId: delete needs the resource to delete`);
  } else if (!isRecord(action['resource']) || !nonEmptyString(action['resource']['resourceType'])) {
    problems.push(`${path}.resource: ${String(action['type'])} needs a resource`);
  } else checkOrderContract(action['resource'], `${path}.resource`, problems);
}

function checkSuggestions(card: Record<string, unknown>, problems: string[], uuids: Set<string>): void {
  const suggestions = card['suggestions'];
  const behavior = card['selectionBehavior'];
  if (suggestions === undefined) {
    if (behavior !== undefined) problems.push('selectionBehavior: present without suggestions');
    return;
  }
  if (!Array.isArray(suggestions)) return void problems.push('suggestions: not an array');
  if (!['at-most-one', 'any'].includes(behavior as string)) problems.push('selectionBehavior: required with suggestions');
  suggestions.forEach((s: unknown, i) => {
    const path = `suggestions[${i}]`;
    if (!isRecord(s)) return void problems.push(`${path}: not an object`);
    if (!nonEmptyString(s['label'])) problems.push(`${path}.label: required`);
    if (typeof s['uuid'] !== 'string' || !UUID.test(s['uuid'])) problems.push(`${path}.uuid: not a uuid`);
    else if (uuids.has(s['uuid'])) problems.push(`${path}.uuid: duplicate`);
    else uuids.add(s['uuid']);
    if (s['isRecommended'] !== undefined && typeof s['isRecommended'] !== 'boolean') problems.push(`${path}.isRecommended: boolean`);
    if (s['actions'] !== undefined) {
      if (!Array.isArray(s['actions'])) problems.push(`${path}.actions: not an array`);
      else s['actions'].forEach((a: unknown, j) => checkAction(a, `${path}.actions[${j}]`, problems));
    }
  });
  const recommended = suggestions.filter((s: unknown) => isRecord(s) && s['isRecommended'] === true).length;
  if (behavior === 'at-most-one' && recommended > 1) problems.push('suggestions: at-most-one with more than one isRecommended');
}

function checkLinksAndReasons(card: Record<string, unknown>, problems: string[]): void {
  const links = card['links'];
  if (links !== undefined) {
    if (!Array.isArray(links)) problems.push('links: not an array');
    else
      links.forEach((l: unknown, i) => {
        if (!isRecord(l)) return void problems.push(`links[${i}]: not an object`);
        if (!nonEmptyString(l['label'])) problems.push(`links[${i}].label: required`);
        if (!nonEmptyString(l['url']) || !URL.canParse(l['url'])) problems.push(`links[${i}].url: absolute URL required`);
        if (!['absolute', 'smart'].includes(l['type'] as string)) problems.push(`links[${i}].type: invalid`);
        if (l['appContext'] !== undefined && l['type'] !== 'smart') problems.push(`links[${i}].appContext: only on smart links`);
      });
  }
  const reasons = card['overrideReasons'];
  if (reasons !== undefined) {
    if (!Array.isArray(reasons)) problems.push('overrideReasons: not an array');
    else
      reasons.forEach((r: unknown, i) => {
        if (!isRecord(r) || !nonEmptyString(r['code']) || !nonEmptyString(r['display'])) {
          problems.push(`overrideReasons[${i}]: needs code and display`);
        }
      });
  }
}

function cardProblems(card: unknown, uuids: Set<string>): string[] {
  const problems: string[] = [];
  if (!isRecord(card)) return ['card: not an object'];
  for (const key of Object.keys(card)) if (!CARD_KEYS.has(key)) problems.push(`${key}: not a CDS Hooks card field`);
  if (typeof card['uuid'] !== 'string' || !UUID.test(card['uuid'])) problems.push('uuid: not a uuid');
  else if (uuids.has(card['uuid'])) problems.push('uuid: duplicate');
  else uuids.add(card['uuid']);
  const summary = card['summary'];
  if (!nonEmptyString(summary)) problems.push('summary: required');
  else {
    if (summary.length >= 140) problems.push(`summary: ${summary.length} characters (must be < 140)`);
    if (summary.includes('\n')) problems.push('summary: must be one line');
  }
  if (!INDICATORS.includes(card['indicator'] as string)) problems.push('indicator: not info/warning/critical');
  const source = card['source'];
  if (!isRecord(source) || !nonEmptyString(source['label'])) problems.push('source.label: required');
  if (JSON.stringify(card).includes('{{')) problems.push('card: unrendered {{placeholder}}');
  checkSuggestions(card, problems, uuids);
  checkLinksAndReasons(card, problems);
  checkNoEmpties(card, 'card', problems);
  return problems;
}

/**
 * Asserts one card meets the CDS Hooks 2.0 invariants.
 * @param card - a card as it would be serialised
 */
export function assertValidCdsCard(card: unknown): void {
  const problems = cardProblems(card, new Set());
  if (problems.length > 0) throw new Error(`invalid CDS Hooks card:\n- ${problems.join('\n- ')}`);
  recordResponseResources({ cards: [card] }, 'card');
}

/**
 * The CDS Hooks JSON rule over a whole response (contract revision 2): no `null`, `""`, `[]` or `{}`
 * anywhere, the assessment extension and systemActions included; only the top-level `cards` may be
 * empty (`{"cards": []}` is the spec's "no cards").
 * @param response - a response body
 * @returns one line per violation, with its path
 */
export function jsonRuleViolations(response: unknown): string[] {
  if (!isRecord(response)) return ['response: not an object'];
  const problems: string[] = [];
  for (const [key, value] of Object.entries(response)) {
    if (key === 'cards' && Array.isArray(value)) value.forEach((card: unknown, i) => checkNoEmpties(card, `cards[${i}]`, problems));
    else checkNoEmpties(value, key, problems);
  }
  return problems;
}

/**
 * Asserts a whole hook response is valid: every card, uuids unique across cards, systemActions, extension,
 * and the JSON rule over all of it.
 * @param response - a response body
 */
export function assertValidResponse(response: unknown): void {
  if (!isRecord(response) || !Array.isArray(response['cards'])) throw new Error('invalid CDS Hooks response: cards array required');
  const uuids = new Set<string>();
  const problems = response['cards'].flatMap((card: unknown, i) => cardProblems(card, uuids).map((p) => `cards[${i}].${p}`));
  const actions = response['systemActions'];
  if (actions !== undefined) {
    if (!Array.isArray(actions)) problems.push('systemActions: not an array');
    else actions.forEach((a: unknown, i) => checkAction(a, `systemActions[${i}]`, problems));
  }
  if (response['extension'] !== undefined && !isRecord(response['extension'])) problems.push('extension: must be an object');
  // Cards were walked above; the rest of the response (extension, systemActions) is walked here.
  problems.push(...jsonRuleViolations({ ...response, cards: [] }));
  if (problems.length > 0) throw new Error(`invalid CDS Hooks response:\n- ${problems.join('\n- ')}`);
  recordResponseResources(response, 'response');
}
