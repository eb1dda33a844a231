/**
 * Applies a site's `codeLists` deltas to the default lists (crs-rules.md section 6: "a site adds entries
 * to a list, or removes a default entry explicitly, without restating the list"). Written defensively:
 * it runs on raw input next to the schema check, so every problem of the file is reported in one pass.
 */
import { parseCodeRef, sameCode } from './code-refs.js';
import type { ConfigProblem } from './config-error.js';
import { suggest } from './did-you-mean.js';
import type { CodeLists, CodeRef, Concept, ConceptMap } from './types.js';
import { isRecord } from '../is-record.js';

/** Concept ids that would reach an object's prototype instead of naming a concept. */
const RESERVED_IDS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const CONCEPT_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const DELTA_KEYS = ['addCodes', 'removeCodes', 'addNames', 'removeNames'] as const;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : [];
}

/** Parses the codes of a delta field, reporting each malformed one at its index. */
function codesOf(value: unknown, path: string, problems: ConfigProblem[]): CodeRef[] {
  const refs: CodeRef[] = [];
  if (!Array.isArray(value)) {
    return refs;
  }
  value.forEach((item, index) => {
    if (typeof item !== 'string' || item.trim() === '') {
      return; // the schema reports it
    }
    const parsed = parseCodeRef(item);
    if (parsed.ok) {
      refs.push(parsed.ref);
    } else {
      problems.push({ path: `${path}[${index}]`, message: `"${item}" ${parsed.message}` });
    }
  });
  return refs;
}

/** Removes then adds codes; removing a code that is not there is a problem (likely a typo). */
function applyCodes(base: readonly CodeRef[], remove: CodeRef[], add: CodeRef[], path: string, problems: ConfigProblem[]): CodeRef[] {
  const kept = base.filter((ref) => !remove.some((r) => sameCode(r, ref)));
  remove.forEach((ref) => {
    if (!base.some((b) => sameCode(b, ref))) {
      problems.push({ path, message: `"${ref.system}|${ref.code}" is not in the list, so it cannot be removed` });
    }
  });
  for (const ref of add) {
    if (!kept.some((k) => sameCode(k, ref))) {
      kept.push(ref);
    }
  }
  return kept;
}

function applyNames(base: readonly string[], remove: string[], add: string[], path: string, problems: ConfigProblem[]): string[] {
  const same = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();
  const kept = base.filter((name) => !remove.some((r) => same(r, name)));
  remove.forEach((name) => {
    if (!base.some((b) => same(b, name))) {
      problems.push({ path, message: `"${name}" is not in the list, so it cannot be removed` });
    }
  });
  for (const name of add) {
    if (!kept.some((k) => same(k, name))) {
      kept.push(name.trim());
    }
  }
  return kept;
}

/** One concept after its delta; unchanged when the delta is not an object (the schema reports that). */
function applyConceptDelta(base: Concept, delta: unknown, path: string, problems: ConfigProblem[]): Concept {
  if (!isRecord(delta)) {
    return base;
  }
  const codes = applyCodes(
    base.codes,
    codesOf(delta['removeCodes'], `${path}.removeCodes`, problems),
    codesOf(delta['addCodes'], `${path}.addCodes`, problems),
    `${path}.removeCodes`,
    problems,
  );
  const names = applyNames(base.names, strings(delta['removeNames']), strings(delta['addNames']), `${path}.removeNames`, problems);
  if (codes.length === 0 && names.length === 0) {
    problems.push({ path, message: 'would match nothing (no codes and no names left)' });
  }
  return { codes, names };
}

/** A concept map (vasopressors, corticosteroids, CAR-T products ...): change, drop or add concepts. */
function applyConceptMap(base: ConceptMap, delta: unknown, path: string, problems: ConfigProblem[]): ConceptMap {
  if (!isRecord(delta)) {
    return base;
  }
  const result: Record<string, Concept> = { ...base };
  for (const [id, change] of Object.entries(delta)) {
    const at = `${path}.${id}`;
    if (RESERVED_IDS.has(id)) {
      problems.push({ path: at, message: 'is a reserved name; choose another concept id' });
      continue;
    }
    // Own properties only: `toString` is a new concept, not Object.prototype.toString.
    const existing = Object.hasOwn(base, id) ? base[id] : undefined;
    const drop = isRecord(change) && change['remove'] === true;
    const edits = isRecord(change) && DELTA_KEYS.some((key) => change[key] !== undefined);
    if (drop && edits) {
      problems.push({ path: at, message: 'remove: true drops the whole concept and cannot be combined with other changes' });
    } else if (existing === undefined) {
      addConcept(result, base, id, change, { at, drop, problems });
    } else if (drop) {
      delete result[id];
    } else {
      result[id] = applyConceptDelta(existing, change, at, problems);
    }
  }
  return result;
}

function addConcept(
  result: Record<string, Concept>,
  base: ConceptMap,
  id: string,
  change: unknown,
  ctx: { at: string; drop: boolean; problems: ConfigProblem[] },
): void {
  // A near miss of a default id is a typo, not a new concept: as a separate ingredient it could be
  // counted twice toward "multiple vasopressors" (H2).
  const near = suggest(id, Object.keys(base));
  if (ctx.drop || near !== undefined) {
    const hint = near === undefined ? `defaults: ${Object.keys(base).join(', ')}` : `did you mean "${near}"?`;
    ctx.problems.push({ path: ctx.at, message: `is not a default concept; ${hint}` });
    return;
  }
  if (!CONCEPT_ID.test(id)) {
    ctx.problems.push({ path: ctx.at, message: 'a new concept id must be lowercase letters and digits, words joined by "-" (e.g. angiotensin-ii)' });
    return;
  }
  if (isRecord(change) && (change['removeCodes'] !== undefined || change['removeNames'] !== undefined)) {
    ctx.problems.push({ path: ctx.at, message: 'is a new concept: there are no default codes or names to remove' });
    return;
  }
  result[id] = applyConceptDelta({ codes: [], names: [] }, change, ctx.at, ctx.problems);
}

function applyCodeList(base: readonly CodeRef[], delta: unknown, path: string, problems: ConfigProblem[]): CodeRef[] {
  if (!isRecord(delta)) {
    return [...base];
  }
  const merged = applyCodes(
    base,
    codesOf(delta['remove'], `${path}.remove`, problems),
    codesOf(delta['add'], `${path}.add`, problems),
    `${path}.remove`,
    problems,
  );
  if (merged.length === 0) {
    problems.push({ path, message: 'would leave no codes: the observation could never be read' });
  }
  return merged;
}

function field(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/**
 * The default code lists with a site's deltas applied. Problems are appended to `problems`; the result
 * is only meaningful when none were added.
 * @param defaults - the built-in lists (DEFAULT_CONFIG.codeLists)
 * @param raw - the file's `codeLists` section, as parsed (may be undefined or malformed)
 */
export function mergeCodeLists(defaults: CodeLists, raw: unknown, problems: ConfigProblem[]): CodeLists {
  const p = 'codeLists';
  const devices = field(raw, 'oxygenDevices');
  const therapies = field(raw, 'crsTherapies');
  const observations = field(raw, 'observations');
  const mergedObservations: Record<string, CodeRef[]> = {};
  for (const [key, list] of Object.entries(defaults.observations)) {
    mergedObservations[key] = applyCodeList(list ?? [], field(observations, key), `${p}.observations.${key}`, problems);
  }
  const tier = (key: keyof CodeLists['oxygenDevices']): Concept =>
    applyConceptDelta(defaults.oxygenDevices[key], field(devices, key), `${p}.oxygenDevices.${key}`, problems);
  const map = (key: 'vasopressors' | 'inotropes' | 'antiCytokines' | 'corticosteroids' | 'antipyretics'): ConceptMap =>
    applyConceptMap(defaults[key], field(raw, key), `${p}.${key}`, problems);
  return {
    oxygenDevices: { lowFlow: tier('lowFlow'), highFlow: tier('highFlow'), positivePressure: tier('positivePressure'), roomAir: tier('roomAir') },
    vasopressors: map('vasopressors'),
    inotropes: map('inotropes'),
    antiCytokines: map('antiCytokines'),
    corticosteroids: map('corticosteroids'),
    antipyretics: map('antipyretics'),
    crsTherapies: {
      carT: applyConceptMap(defaults.crsTherapies.carT, field(therapies, 'carT'), `${p}.crsTherapies.carT`, problems),
      tCellEngagers: applyConceptMap(defaults.crsTherapies.tCellEngagers, field(therapies, 'tCellEngagers'), `${p}.crsTherapies.tCellEngagers`, problems),
    },
    crsConditions: applyConceptDelta(defaults.crsConditions, field(raw, 'crsConditions'), `${p}.crsConditions`, problems),
    nonSystemicRoutes: applyConceptDelta(defaults.nonSystemicRoutes, field(raw, 'nonSystemicRoutes'), `${p}.nonSystemicRoutes`, problems),
    nonSystemicForms: applyConceptDelta(defaults.nonSystemicForms, field(raw, 'nonSystemicForms'), `${p}.nonSystemicForms`, problems),
    observations: mergedObservations as unknown as CodeLists['observations'],
  };
}
