/**
 * Code matching with systems (E7): an RxNorm code only matches with the RxNorm system (RxCUIs are bare
 * numbers that collide with other vocabularies); SNOMED CT, LOINC and ICD-10-CM codes match with their
 * system or with none. ICD-10-CM codes match with or without the dot (S2: "D89.83" = "D8983").
 */
import type { CodeableConcept, Coding } from 'fhir/r4.js';
import { ICD10CM, RXNORM } from '../config/defaults.js';
import type { CodeRef } from '../config/types.js';
import { asRecord, asString, codingsOf, isRecord } from './fhir-shape.js';

/** ICD-10-CM code without its dot, upper-cased: how both matchers compare ICD codes (S2). */
const stripIcd = (code: string): string => code.replace(/\./g, '').toUpperCase();

function sameCode(system: string, a: string, b: string): boolean {
  return system === ICD10CM ? stripIcd(a) === stripIcd(b) : a === b;
}

/**
 * True when `coding` carries the code of `ref` under the rules above (a malformed coding matches nothing).
 * @param coding - a charted coding
 * @param ref - a configured code with its system
 */
export function codingMatches(coding: Coding, ref: CodeRef): boolean {
  const charted = asRecord<Coding>(coding);
  const code = asString(charted?.code)?.trim();
  if (charted === undefined || code === undefined) return false;
  const system = asString(charted.system);
  if (system === undefined || system === '') {
    return ref.system !== RXNORM && sameCode(ref.system, code, ref.code);
  }
  return system === ref.system && sameCode(ref.system, code, ref.code);
}

/**
 * True when any coding of `concept` matches any of `refs`.
 * @param concept - a CodeableConcept (absent = no match)
 * @param refs - configured codes
 */
export function conceptHasCode(concept: CodeableConcept | undefined, refs: readonly CodeRef[]): boolean {
  return codingsOf(concept).some((c) => refs.some((r) => codingMatches(c, r)));
}

/**
 * A fast lookup of many code lists at once, with the same rules as {@link codingMatches}: the first list
 * holding a concept's code wins. Built once per evaluation; used where every Observation is inspected.
 * @param lists - pairs of configured codes and the value a match yields
 */
export function createCodeIndex<T>(
  lists: readonly (readonly [readonly CodeRef[], T])[],
): (concept: CodeableConcept | undefined) => T | undefined {
  // system → code → value; the system '' holds the codes that also match without a system.
  const index = new Map<string, Map<string, T>>();
  const put = (system: string, code: string, value: T): void => {
    let codes = index.get(system);
    if (codes === undefined) index.set(system, (codes = new Map()));
    if (!codes.has(code)) codes.set(code, value);
  };
  for (const [refs, value] of lists) {
    for (const ref of refs) {
      const code = ref.system === ICD10CM ? stripIcd(ref.code) : ref.code;
      put(ref.system, code, value);
      // Without a system, only non-RxNorm codes match (E7).
      if (ref.system !== RXNORM) put('', code, value);
    }
  }
  return (concept) => {
    // Hot path (every Observation): guard shapes in place rather than copy the codings.
    const codings: unknown = asRecord(concept)?.['coding'];
    if (!Array.isArray(codings)) return undefined;
    for (const coding of codings as unknown[]) {
      if (!isRecord(coding) || typeof coding['code'] !== 'string') continue;
      const system = asString(coding['system']) ?? '';
      const codes = index.get(system);
      if (codes === undefined) continue;
      const code = coding['code'].trim();
      const hit = codes.get(code) ?? (system === '' || system === ICD10CM ? codes.get(stripIcd(code)) : undefined);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };
}
