/**
 * MedicationAdministration evidence: vasopressors (H2), fever-masking agents (F2), tocilizumab (T-L),
 * corticosteroids (T-S) and CRS-associated therapies (S1). Statuses per E2 (S1 is wider: only not-done and
 * entered-in-error are excluded, an uncertain record errs toward monitoring); active periods per E3;
 * medications identified per E7. Administrations starting after `asOf` are ignored (replay). Only
 * administrations of a listed drug are reported as data-quality notes (a saline bag without a time is not).
 */
import type { MedicationAdministration, Period, Reference, Resource } from 'fhir/r4.js';
import type { CodeLists, GradingConfig, TreatmentConfig } from '../config/types.js';
import { asRecord, asString, asText } from './fhir-shape.js';
import { MINUTE_MS, parseFhirStart } from './fhir-time.js';
import { identifyMedication, indexMedications, matchConcepts, type MedicationIdentity } from './match-medication.js';
import type { MedicationEvent, TimedNote } from './types.js';

/** E2: statuses that count for grading and treatment limits. */
const COUNTED: ReadonlySet<string> = new Set(['completed', 'in-progress', 'on-hold', 'stopped']);
/** S1: statuses that never count toward monitoring. */
const SCOPE_EXCLUDED: ReadonlySet<string> = new Set(['not-done', 'entered-in-error']);
/** E3: a period without end is still running only in these statuses. */
const RUNNING: ReadonlySet<string> = new Set(['in-progress', 'on-hold']);

/** A CRS-associated therapy administration (S1). */
export interface TherapyEvent extends MedicationEvent {
  readonly category: 'car-t' | 't-cell-engager';
  /** S1: the time that must lie in the monitoring window (point time, period end, or asOf while running). */
  readonly countsAt: number;
}

/** Medication facts of one patient. */
export interface MedicationFacts {
  /** H2: vasopressors, and inotropes when `countInotropes`. */
  readonly vasopressors: readonly MedicationEvent[];
  /** F2: anti-cytokines, systemic corticosteroids, antipyretics. */
  readonly maskingAgents: readonly MedicationEvent[];
  /** T-L */
  readonly tocilizumab: readonly MedicationEvent[];
  /** T-S */
  readonly corticosteroids: readonly MedicationEvent[];
  /** S1 */
  readonly therapies: readonly TherapyEvent[];
  readonly notes: readonly TimedNote[];
}

/** The concept keys one medication identity matched, per list. */
interface Matched {
  readonly carT: readonly string[];
  readonly tCellEngagers: readonly string[];
  readonly pressors: readonly string[];
  readonly masking: readonly string[];
  readonly corticosteroids: readonly string[];
}

interface Activity {
  readonly start: number;
  readonly end: number;
  /** S1 */
  readonly countsAt: number;
}

/** True when the drug is on one of the configured lists (therapies, pressors, masking agents, steroids). */
function isListed(matched: Matched): boolean {
  return [matched.carT, matched.tCellEngagers, matched.pressors, matched.masking, matched.corticosteroids].some((keys) => keys.length > 0);
}

/** E3 activity of one administration; undefined when it has no usable start. */
function activityOf(ma: MedicationAdministration, asOf: number, pointMs: number): Activity | undefined {
  // effective[x] of the wrong kind (a number, an object) is read as absent.
  if (typeof ma.effectiveDateTime === 'string') {
    const at = parseFhirStart(ma.effectiveDateTime);
    return at === undefined ? undefined : { start: at, end: at + pointMs, countsAt: at };
  }
  const period = asRecord<Period>(ma.effectivePeriod);
  const start = parseFhirStart(period?.start);
  if (start === undefined) return undefined;
  const end = parseFhirStart(period?.end);
  if (end !== undefined && end > start) return { start, end, countsAt: Math.min(end, asOf) };
  if (end === undefined && RUNNING.has(ma.status)) return { start, end: Number.POSITIVE_INFINITY, countsAt: asOf };
  // A completed/stopped period without end (or with end ≤ start) is a point at its start (E3).
  return { start, end: start + pointMs, countsAt: start };
}

/** E7 identity; for an unresolvable reference, the name it carries as charted (rather than lose the drug). */
function identify(
  ma: MedicationAdministration,
  medications: ReturnType<typeof indexMedications>,
): { readonly identity: MedicationIdentity | undefined; readonly resolved: boolean } {
  const identity = identifyMedication(ma, medications);
  if (identity !== undefined) return { identity, resolved: true };
  const display = asText(asRecord<Reference>(ma.medicationReference)?.display);
  return { identity: display === undefined ? undefined : { codings: [], texts: [display] }, resolved: false };
}

/**
 * Extracts medication facts up to `asOf`.
 * @param resources - the patient's resources (MedicationAdministrations and Medications are read)
 * @param asOf - evaluation time, ms
 * @param config - grading options, code lists, treatment concepts
 */
export function extractMedications(
  resources: readonly Resource[],
  asOf: number,
  config: { readonly grading: GradingConfig; readonly codeLists: CodeLists; readonly treatment: TreatmentConfig },
): MedicationFacts {
  const { grading, codeLists, treatment } = config;
  const medications = indexMedications(resources);
  const pointMs = grading.pointAdministrationActiveMinutes * MINUTE_MS;
  const pressors = grading.countInotropes ? { ...codeLists.vasopressors, ...codeLists.inotropes } : codeLists.vasopressors;
  const masking = { ...codeLists.antiCytokines, ...codeLists.corticosteroids, ...codeLists.antipyretics };
  const names = grading.matchNames;
  // A record repeats few distinct drugs many times: match each distinct identity once.
  const cache = new Map<string, Matched>();
  const classify = (identity: MedicationIdentity): Matched => {
    const key = `${identity.codings.map((c) => `${c.system ?? ''}|${c.code ?? ''}|${c.display ?? ''}`).join('\u0001')}#${identity.texts.join('\u0001')}`;
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = {
        // S1 (6.4 "match by name"): therapies are always matched by name as well, whatever matchNames says.
        carT: matchConcepts(identity, codeLists.crsTherapies.carT, true),
        tCellEngagers: matchConcepts(identity, codeLists.crsTherapies.tCellEngagers, true),
        pressors: matchConcepts(identity, pressors, names),
        masking: matchConcepts(identity, masking, names),
        corticosteroids: matchConcepts(identity, codeLists.corticosteroids, names),
      };
      cache.set(key, hit);
    }
    return hit;
  };
  const facts = {
    vasopressors: [] as MedicationEvent[],
    maskingAgents: [] as MedicationEvent[],
    tocilizumab: [] as MedicationEvent[],
    corticosteroids: [] as MedicationEvent[],
    therapies: [] as TherapyEvent[],
    notes: [] as TimedNote[],
  };

  for (const resource of resources) {
    if (resource.resourceType !== 'MedicationAdministration') continue;
    const ma = resource as MedicationAdministration;
    if (SCOPE_EXCLUDED.has(ma.status)) continue;
    const id = asString(ma.id);
    const base = id === undefined ? {} : { id };
    // Identify first: a time missing on a drug no list names (saline) is no gap in CRS evidence.
    const { identity, resolved } = identify(ma, medications);
    const matched = identity === undefined ? undefined : classify(identity);
    const activity = activityOf(ma, asOf, pointMs);
    if (activity !== undefined && activity.start > asOf) continue;
    // An unresolved drug may be a listed one, so it is reported whether or not it has a time.
    if (!resolved) {
      const note = { resourceType: 'MedicationAdministration', ...base, code: 'unresolved-medication' } as const;
      facts.notes.push(activity === undefined ? { note } : { note, at: activity.start });
    }
    if (activity === undefined) {
      if (matched !== undefined && isListed(matched)) {
        facts.notes.push({ note: { resourceType: 'MedicationAdministration', ...base, code: 'missing-time' } });
      }
      continue;
    }
    if (identity === undefined || matched === undefined) continue;
    const display = identity.texts[0];
    const event = (concept: string): MedicationEvent => ({
      ...base,
      concept,
      start: activity.start,
      end: activity.end,
      ...(display === undefined ? {} : { display }),
    });

    for (const concept of matched.carT) {
      facts.therapies.push({ ...event(concept), category: 'car-t', countsAt: activity.countsAt });
    }
    for (const concept of matched.tCellEngagers) {
      facts.therapies.push({ ...event(concept), category: 't-cell-engager', countsAt: activity.countsAt });
    }
    if (!COUNTED.has(ma.status)) continue;
    for (const concept of matched.pressors) facts.vasopressors.push(event(concept));
    for (const concept of matched.masking) {
      facts.maskingAgents.push(event(concept));
      if (concept === treatment.tocilizumab.concept) facts.tocilizumab.push(event(concept));
    }
    for (const concept of matched.corticosteroids) facts.corticosteroids.push(event(concept));
  }
  return facts;
}
