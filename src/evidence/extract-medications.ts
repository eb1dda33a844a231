/**
 * MedicationAdministration evidence: vasopressors (H2), fever-masking agents (F2), tocilizumab (T-L),
 * corticosteroids (T-S) and CRS-associated therapies (S1). Statuses per E2 (S1 is wider: only not-done and
 * entered-in-error are excluded, an uncertain record errs toward monitoring); active periods per E3 and
 * E3-R (rate-charted point records); medications identified per E7; corticosteroids and antipyretics given
 * by a non-systemic route or form neither mask fever nor count toward T-S (F2). Administrations starting
 * after `asOf` are ignored (replay). Only administrations of a listed drug are reported as data-quality
 * notes (a saline bag without a time is not).
 */
import type { MedicationAdministration, Period, Resource } from 'fhir/r4.js';
import type { CodeLists, GradingConfig, TreatmentConfig } from '../config/types.js';
import { quantityMg } from './dose-mg.js';
import { asRecord, asText } from './fhir-shape.js';
import { HOUR_MS, MINUTE_MS, parseFhirStart } from './fhir-time.js';
import { identifyOrDisplay, indexMedications, matchConcepts, type MedicationIdentity } from './match-medication.js';
import { chartedRate, rateRecordEnd, recordTimesByConcept } from './rate-records.js';
import { isNonSystemic } from './systemic-route.js';
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
  /** F2: anti-cytokines, systemic corticosteroids, systemic antipyretics. */
  readonly maskingAgents: readonly MedicationEvent[];
  /** T-L */
  readonly tocilizumab: readonly MedicationEvent[];
  /** T-S: systemic corticosteroids, with their charted dose. */
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
  readonly antiCytokines: readonly string[];
  readonly corticosteroids: readonly string[];
  readonly antipyretics: readonly string[];
}

interface Activity {
  readonly start: number;
  readonly end: number;
  /** S1 */
  readonly countsAt: number;
  /** E3-R: a point record with a charted rate (> 0 running, 0 stopped). */
  readonly rate?: number;
}

/** A record with everything E2/E3/E7 decided, before E3-R. */
export interface ParsedAdministration {
  /** The administration's status, as charted. */
  readonly status: MedicationAdministration['status'];
  /** Counted toward H2, F2, T-L and T-S (E2 statuses). */
  readonly counted: boolean;
  /** The charted dose, mg (T-S), read once: a trajectory limits the record at every hour. */
  readonly doseMg: number | undefined;
  readonly id?: string;
  readonly identity: MedicationIdentity;
  readonly matched: Matched;
  /** Every concept key it matched (E3-R supersedes by ingredient). */
  readonly concepts: readonly string[];
  readonly activity: Activity;
  /** F2: a corticosteroid or antipyretic given by a non-systemic route or form (a cream, an inhaler). */
  readonly nonSystemic: boolean;
}

function conceptsOf(m: Matched): string[] {
  return [...m.carT, ...m.tCellEngagers, ...m.pressors, ...m.antiCytokines, ...m.corticosteroids, ...m.antipyretics];
}

/**
 * E3 activity of one administration; undefined when it has no usable start. `countsAt` is the time at
 * an unlimited evaluation time (a running infusion: Infinity); `medicationsAt` caps it at asOf (S1).
 */
function activityOf(ma: MedicationAdministration, pointMs: number): Activity | undefined {
  // effective[x] of the wrong kind (a number, an object) is read as absent.
  if (typeof ma.effectiveDateTime === 'string') {
    const at = parseFhirStart(ma.effectiveDateTime);
    if (at === undefined) return undefined;
    const rate = chartedRate(ma);
    return { start: at, end: at + pointMs, countsAt: at, ...(rate === undefined ? {} : { rate }) };
  }
  const period = asRecord<Period>(ma.effectivePeriod);
  const start = parseFhirStart(period?.start);
  if (start === undefined) return undefined;
  const end = parseFhirStart(period?.end);
  if (end !== undefined && end > start) return { start, end, countsAt: end };
  if (end === undefined && RUNNING.has(ma.status)) return { start, end: Number.POSITIVE_INFINITY, countsAt: Number.POSITIVE_INFINITY };
  // A completed/stopped period without end (or with end ≤ start) is a point at its start (E3).
  return { start, end: start + pointMs, countsAt: start };
}

type MedicationConfig = { readonly grading: GradingConfig; readonly codeLists: CodeLists; readonly treatment: TreatmentConfig };

/** Matches each distinct identity once: a record repeats few distinct drugs many times. */
function createMatcher(config: MedicationConfig): (identity: MedicationIdentity) => Matched {
  const { grading, codeLists } = config;
  const pressors = grading.countInotropes ? { ...codeLists.vasopressors, ...codeLists.inotropes } : codeLists.vasopressors;
  const names = grading.matchNames;
  const cache = new Map<string, Matched>();
  return (identity) => {
    const key = `${identity.codings.map((c) => `${c.system ?? ''}|${c.code ?? ''}|${c.display ?? ''}`).join('\u0001')}#${identity.texts.join('\u0001')}`;
    let hit = cache.get(key);
    if (hit === undefined) {
      hit = {
        // S1 (6.4 "match by name"): therapies are always matched by name as well, whatever matchNames says.
        carT: matchConcepts(identity, codeLists.crsTherapies.carT, true),
        tCellEngagers: matchConcepts(identity, codeLists.crsTherapies.tCellEngagers, true),
        pressors: matchConcepts(identity, pressors, names),
        antiCytokines: matchConcepts(identity, codeLists.antiCytokines, names),
        corticosteroids: matchConcepts(identity, codeLists.corticosteroids, names),
        antipyretics: matchConcepts(identity, codeLists.antipyretics, names),
      };
      if (cache.size < 10_000) cache.set(key, hit);
    }
    return hit;
  };
}

/**
 * Every administration read once, whatever the evaluation time: identity, concepts, E3 activity, notes
 * for what cannot be used (timed by the administration's start, so later evaluation times can drop them).
 */
export interface AdministrationRecords {
  readonly parsed: readonly ParsedAdministration[];
  readonly notes: readonly TimedNote[];
}

/**
 * Reads every administration once (identity, concepts, E3 activity); `medicationsAt` then gives the
 * facts at any evaluation time without reading them again.
 * @param resources - the patient's resources (MedicationAdministrations and Medications are read)
 * @param config - grading options, code lists, treatment concepts
 */
export function readAdministrations(resources: readonly Resource[], config: MedicationConfig): AdministrationRecords {
  const medications = indexMedications(resources);
  const pointMs = config.grading.pointAdministrationActiveMinutes * MINUTE_MS;
  const match = createMatcher(config);
  const parsed: ParsedAdministration[] = [];
  const notes: TimedNote[] = [];
  for (const resource of resources) {
    if (resource.resourceType !== 'MedicationAdministration') continue;
    const ma = resource as MedicationAdministration;
    if (SCOPE_EXCLUDED.has(ma.status)) continue;
    // A blank id is no id (the assessment never carries an empty string).
    const id = asText(ma.id);
    const base = id === undefined ? {} : { id };
    // Identify first: a time missing on a drug no list names (saline) is no gap in CRS evidence.
    const { identity, resolved } = identifyOrDisplay(ma, medications);
    const matched = identity === undefined ? undefined : match(identity);
    const activity = activityOf(ma, pointMs);
    // An unresolved drug may be a listed one, so it is reported whether or not it has a time.
    if (!resolved) {
      const note = { resourceType: 'MedicationAdministration', ...base, code: 'unresolved-medication' } as const;
      notes.push(activity === undefined ? { note } : { note, at: activity.start });
    }
    const concepts = matched === undefined ? [] : conceptsOf(matched);
    if (activity === undefined) {
      if (concepts.length > 0) notes.push({ note: { resourceType: 'MedicationAdministration', ...base, code: 'missing-time' } });
      continue;
    }
    if (identity === undefined || matched === undefined || concepts.length === 0) continue;
    const steroidOrAntipyretic = matched.corticosteroids.length > 0 || matched.antipyretics.length > 0;
    const nonSystemic = steroidOrAntipyretic && isNonSystemic(asRecord(ma.dosage)?.['route'], identity, config.codeLists, config.grading.matchNames);
    const status = ma.status;
    const doseMg = quantityMg(asRecord(ma.dosage)?.['dose']);
    parsed.push({ ...base, status, counted: COUNTED.has(status), doseMg, identity, matched, concepts, activity, nonSystemic });
  }
  return { parsed, notes };
}

/**
 * E3-R: the activity of a rate-charted point record (superseded, stopped or expired); other records keep E3.
 */
function withRateActivity(p: ParsedAdministration, times: ReadonlyMap<string, readonly number[]>, maxMs: number): { end: number; inferred: boolean } {
  const { activity } = p;
  if (activity.rate === undefined) return { end: activity.end, inferred: false };
  if (activity.rate <= 0 || p.status === 'stopped') return { end: activity.start, inferred: false };
  return { end: rateRecordEnd(activity.start, p.concepts, times, maxMs), inferred: true };
}

/**
 * Extracts medication facts up to `asOf`.
 * @param resources - the patient's resources (MedicationAdministrations and Medications are read)
 * @param asOf - evaluation time, ms
 * @param config - grading options, code lists, treatment concepts
 */
export function extractMedications(resources: readonly Resource[], asOf: number, config: MedicationConfig): MedicationFacts {
  return medicationsAt(readAdministrations(resources, config), asOf, config);
}

/**
 * One administration as an event of one concept, up to an evaluation time (`end` as E3-R decided it then).
 * One object shape for every event (absent members undefined): spreads of optional members were the hot
 * spot of a 2,000-administration record. Events are internal; the assessment omits undefined.
 */
function eventOf(p: ParsedAdministration, concept: string, end: number, inferred: boolean): MedicationEvent {
  return {
    id: p.id,
    concept,
    start: p.activity.start,
    end,
    display: p.identity.texts[0],
    rateInferred: inferred ? true : undefined,
    onHold: p.status === 'on-hold' ? true : undefined,
    doseMg: p.doseMg,
  };
}

/** The same as a CRS-associated therapy (S1). */
function therapyOf(p: ParsedAdministration, concept: string, category: TherapyEvent['category'], end: number, inferred: boolean): TherapyEvent {
  return Object.assign(eventOf(p, concept, end, inferred), { category, countsAt: p.activity.countsAt });
}

/**
 * The medication facts at `asOf` from administrations read once: those started by asOf, a running or
 * later-ending administration counting at asOf (S1), E3-R against the records charted by asOf.
 * @param records - from {@link readAdministrations}
 * @param asOf - evaluation time, ms
 * @param config - grading options, code lists, treatment concepts
 */
export function medicationsAt(records: AdministrationRecords, asOf: number, config: MedicationConfig): MedicationFacts {
  const { grading, treatment } = config;
  const parsed = records.parsed
    .filter((p) => p.activity.start <= asOf)
    .map((p) => (p.activity.countsAt <= asOf ? p : { ...p, activity: { ...p.activity, countsAt: asOf } }));
  const notes = records.notes.filter((n) => n.at === undefined || n.at <= asOf);
  // E3-R needs every counted record's time per ingredient, only when some record carries a rate.
  const rated = parsed.some((p) => p.activity.rate !== undefined);
  const counted = rated ? parsed.filter((p) => p.counted) : [];
  const times = recordTimesByConcept(counted.map((p) => ({ start: p.activity.start, concepts: p.concepts })));
  const rateMaxMs = grading.rateRecordActiveHours * HOUR_MS;
  const facts = {
    vasopressors: [] as MedicationEvent[],
    maskingAgents: [] as MedicationEvent[],
    tocilizumab: [] as MedicationEvent[],
    corticosteroids: [] as MedicationEvent[],
    therapies: [] as TherapyEvent[],
    notes,
  };
  for (const p of parsed) {
    const { activity, matched } = p;
    const isCounted = p.counted;
    const { end, inferred } = isCounted ? withRateActivity(p, times, rateMaxMs) : { end: activity.end, inferred: false };
    for (const concept of matched.carT) facts.therapies.push(therapyOf(p, concept, 'car-t', end, inferred));
    for (const concept of matched.tCellEngagers) facts.therapies.push(therapyOf(p, concept, 't-cell-engager', end, inferred));
    if (!isCounted) continue;
    for (const concept of matched.pressors) facts.vasopressors.push(eventOf(p, concept, end, inferred));
    for (const concept of matched.antiCytokines) {
      facts.maskingAgents.push(eventOf(p, concept, end, inferred));
      if (concept === treatment.tocilizumab.concept) facts.tocilizumab.push(eventOf(p, concept, end, inferred));
    }
    // F2 "systemic": a cream, inhaler or eye drop neither masks fever nor counts toward T-S.
    if (p.nonSystemic) continue;
    for (const concept of matched.corticosteroids) {
      facts.maskingAgents.push(eventOf(p, concept, end, inferred));
      facts.corticosteroids.push(eventOf(p, concept, end, inferred));
    }
    for (const concept of matched.antipyretics) facts.maskingAgents.push(eventOf(p, concept, end, inferred));
  }
  return facts;
}
