/**
 * E8: an Observation (or component) whose quantity is in a temperature unit but whose code is not on
 * `codeLists.observations.bodyTemperature` is not graded; it is reported naming its code, so a site sees
 * what to add to the list.
 */
import type { CodeableConcept, Quantity } from 'fhir/r4.js';
import type { DataQualityNote } from '../grading/assessment.js';
import { asFiniteNumber, asRecord, asText, codingsOf } from './fhir-shape.js';
import { normaliseQuantity } from './units.js';

/** The coding a note names: the first LOINC coding, else the first coding with a code. */
function namedCode(code: unknown): string | undefined {
  const codings = codingsOf(code).filter((c) => asText(c.code) !== undefined);
  const chosen = codings.find((c) => c.system === 'http://loinc.org') ?? codings[0];
  if (chosen === undefined) return undefined;
  const system = asText(chosen.system);
  return system === undefined ? String(chosen.code) : `${system}|${String(chosen.code)}`;
}

/**
 * The E8 note for one Observation or component, or undefined when its quantity is not a temperature.
 * @param slot - the Observation or component (its `code` and `valueQuantity`)
 * @param base - the note's resource type and id
 */
export function unlistedTemperatureNote(
  slot: { readonly code?: CodeableConcept; readonly valueQuantity?: Quantity },
  base: Pick<DataQualityNote, 'resourceType' | 'id'>,
): DataQualityNote | undefined {
  const quantity = asRecord<Quantity>(slot.valueQuantity);
  const value = asFiniteNumber(quantity?.value);
  if (quantity === undefined || value === undefined || normaliseQuantity(quantity, 'temperature') === undefined) return undefined;
  const unit = asText(quantity.code) ?? asText(quantity.unit);
  const observationCode = namedCode(slot.code);
  return {
    ...base,
    code: 'unlisted-temperature-code',
    value,
    ...(unit === undefined ? {} : { unit }),
    kind: 'temperature',
    ...(observationCode === undefined ? {} : { observationCode }),
  };
}
