/**
 * Shape guards for reading FHIR content. Prefetch and FHIR server data is only known to be JSON: a field
 * typed `string` may hold a number, an array may be an object, a coding may be null. Clinical data of the
 * wrong shape is read as absent (never a crash), so every evidence module reads FHIR fields through these.
 */
import type { Coding } from 'fhir/r4.js';
import { isRecord } from '../is-record.js';

export { isRecord };

/**
 * `value` as an object of the expected FHIR type when it is an object at all; undefined otherwise. Its
 * fields are still unchecked: read them through these guards too.
 * @param value - a field as charted
 */
export function asRecord<T extends object = Record<string, unknown>>(value: unknown): T | undefined {
  return isRecord(value) ? (value as T) : undefined;
}

/**
 * The object items of an array field; [] when the field is absent or not an array (non-object items are
 * dropped: `[null]` reads as `[]`).
 * @param value - an array field as charted
 */
export function asRecords<T extends object = Record<string, unknown>>(value: unknown): T[] {
  return Array.isArray(value) ? (value.filter(isRecord) as T[]) : [];
}

/**
 * `value` when it is a string; undefined otherwise.
 * @param value - a string field as charted
 */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * `value` when it is a string with something other than whitespace in it; undefined otherwise.
 * @param value - a text field as charted
 */
export function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * `value` when it is a finite number; undefined otherwise.
 * @param value - a numeric field as charted
 */
export function asFiniteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';

/** A coding whose system, code and display are each absent or a string. */
function isWellTypedCoding(coding: Record<string, unknown>): boolean {
  return optionalString(coding['system']) && optionalString(coding['code']) && optionalString(coding['display']);
}

/**
 * The codings of a CodeableConcept: object codings only. A coding whose `system`, `code` and
 * `display` are strings (or absent) is returned as it is; any other is reduced to those of its
 * fields that are strings (a field of another kind is dropped).
 * @param concept - a CodeableConcept as charted (absent or malformed gives [])
 */
export function codingsOf(concept: unknown): Coding[] {
  return asRecords(asRecord(concept)?.['coding']).map((coding) => {
    // Well-typed codings (nearly all) are used as they are: copying each one made the GC the hot path.
    if (isWellTypedCoding(coding)) return coding as Coding;
    const system = asString(coding['system']);
    const code = asString(coding['code']);
    const display = asString(coding['display']);
    return {
      ...(system === undefined ? {} : { system }),
      ...(code === undefined ? {} : { code }),
      ...(display === undefined ? {} : { display }),
    };
  });
}
