/**
 * F2 "systemic" (crs-rules.md revision 2): a corticosteroid or antipyretic counts (masks fever, counts
 * toward T-S) unless its route (`dosage.route`, SNOMED CT) is one of `codeLists.nonSystemicRoutes` or its
 * medication text names a non-systemic form (`codeLists.nonSystemicForms`: cream, inhaler, eye drops, ...).
 * No route and no such text is systemic.
 */
import type { CodeableConcept } from 'fhir/r4.js';
import type { CodeLists } from '../config/types.js';
import { asRecord, asText, codingsOf } from './fhir-shape.js';
import { conceptHasCode } from './match-code.js';
import { matchConcepts, type MedicationIdentity } from './match-medication.js';
import { containsName, normaliseName } from './match-name.js';

/**
 * True when the medication is not given systemically (F2 route rule).
 * @param routeConcept - the route as charted (`MedicationAdministration.dosage.route`, or a draft's
 *   `dosageInstruction[].route`); absent = no route
 * @param identity - what the medication is known by (its texts name the form)
 * @param lists - `nonSystemicRoutes` and `nonSystemicForms`
 * @param matchNames - also match route names on its display and text (section 6 name matching)
 */
export function isNonSystemic(
  routeConcept: unknown,
  identity: MedicationIdentity,
  lists: Pick<CodeLists, 'nonSystemicRoutes' | 'nonSystemicForms'>,
  matchNames: boolean,
): boolean {
  const route = asRecord<CodeableConcept>(routeConcept);
  if (route !== undefined) {
    if (conceptHasCode(route, lists.nonSystemicRoutes.codes)) return true;
    if (matchNames) {
      const texts = [asText(route.text), ...codingsOf(route).map((c) => asText(c.display))].filter((t): t is string => t !== undefined);
      if (texts.some((t) => lists.nonSystemicRoutes.names.some((name) => containsName(normaliseName(t), name)))) return true;
    }
  }
  // Form words are always read in the medication text: "hydrocortisone 1% cream" is a cream whatever its code.
  return matchConcepts(identity, { form: lists.nonSystemicForms }, true).length > 0;
}
