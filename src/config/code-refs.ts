/**
 * Codes in a configuration file are written `system|code` (`http://loinc.org|8331-1`), or with a short
 * alias for the usual systems (`loinc|8331-1`, `rxnorm|7512`, `snomed|336623009`, `icd-10-cm|D89.83`).
 */
import { ICD10CM, LOINC, RXNORM, SNOMED } from './defaults.js';
import { suggest } from './did-you-mean.js';
import type { CodeRef } from './types.js';

/** Short names a site may write instead of the system URI (case-insensitive). */
const SYSTEM_ALIASES: Readonly<Record<string, string>> = {
  rxnorm: RXNORM,
  snomed: SNOMED,
  sct: SNOMED,
  loinc: LOINC,
  'icd-10-cm': ICD10CM,
  icd10cm: ICD10CM,
};

const KNOWN_SYSTEMS = [RXNORM, SNOMED, LOINC, ICD10CM];
const ABSOLUTE_URI = /^[a-z][a-z0-9+.-]*:\S+$/i;

/** A parsed code, or why it could not be parsed. */
export type ParsedCode = { readonly ok: true; readonly ref: CodeRef } | { readonly ok: false; readonly message: string };

/**
 * Parses `system|code`. A system that is a near miss of a well-known one (`https://loinc.org`,
 * `http://snomed.info/sct/`) is refused: it would silently never match (E7 matches codes with their system).
 */
export function parseCodeRef(text: string): ParsedCode {
  const parts = text.split('|');
  const [rawSystem, rawCode] = parts;
  if (parts.length !== 2 || rawSystem === undefined || rawCode === undefined) {
    return { ok: false, message: `must be written "system|code", e.g. "loinc|8310-5" or "${LOINC}|8310-5"` };
  }
  const systemText = rawSystem.trim();
  const code = rawCode.trim();
  if (code === '' || /\s{2,}/.test(code)) {
    return { ok: false, message: 'has an empty or malformed code after "|"' };
  }
  const system = SYSTEM_ALIASES[systemText.toLowerCase()] ?? systemText;
  if (!ABSOLUTE_URI.test(system)) {
    const aliases = Object.keys(SYSTEM_ALIASES).join(', ');
    return { ok: false, message: `has an unknown code system "${systemText}" (use a URI or one of: ${aliases})` };
  }
  if (!KNOWN_SYSTEMS.includes(system)) {
    const near = suggest(system, KNOWN_SYSTEMS);
    if (near !== undefined) {
      return { ok: false, message: `has code system "${system}"; did you mean "${near}"?` };
    }
  }
  return { ok: true, ref: { system, code } };
}

/** `system|code`, the form the effective configuration is printed in. */
export function formatCodeRef(ref: CodeRef): string {
  return `${ref.system}|${ref.code}`;
}

/** Same system and code. */
export function sameCode(a: CodeRef, b: CodeRef): boolean {
  return a.system === b.system && a.code === b.code;
}
