/**
 * Who is monitored and the episode (S1, S1-E, S2, S3). S1: a CRS-associated therapy within the
 * monitoring window; the most recent is the index therapy and the earliest starts the episode. S2: an
 * applicable CRS diagnosis (ICD-10-CM D89.83x) monitors the patient too; without an index therapy the
 * episode starts at the earliest onset, never earlier than the monitoring window. S1 wins when both apply.
 */
import type { Condition, Period, Resource } from 'fhir/r4.js';
import type { Concept } from '../config/types.js';
import { asRecord, asString, codingsOf } from './fhir-shape.js';
import { DAY_MS, parseFhirStart } from './fhir-time.js';
import type { TherapyEvent } from './extract-medications.js';
import { conceptHasCode } from './match-code.js';
import { compareIds } from './partition-resources.js';

/** S2: clinical statuses under which a CRS diagnosis applies (absent also applies). */
const APPLICABLE_CLINICAL: ReadonlySet<string> = new Set(['active', 'recurrence', 'relapse']);
/** S2: verification statuses under which it does not. */
const EXCLUDED_VERIFICATION: ReadonlySet<string> = new Set(['refuted', 'entered-in-error']);

/** The outcome of S1/S2 for a monitored patient. */
export interface Scope {
  readonly basis: 'therapy' | 'condition';
  readonly episodeStart: number;
  readonly indexTherapy?: TherapyEvent;
  /** S2: applicable Conditions (ids may be absent). */
  readonly conditions: readonly Condition[];
}

/** The string codes of a status concept; a malformed concept or coding has none. */
function statusCodes(concept: Condition['clinicalStatus']): string[] {
  return codingsOf(concept)
    .map((c) => asString(c.code))
    .filter((c): c is string => c !== undefined);
}

/**
 * S2: the Condition is a CRS diagnosis that applies.
 * @param condition - a Condition
 * @param crsConditions - configured diagnosis codes (6.6)
 */
export function isApplicableCrsCondition(condition: Condition, crsConditions: Concept): boolean {
  if (!conceptHasCode(condition.code, crsConditions.codes)) return false;
  const clinical = statusCodes(condition.clinicalStatus);
  // No coded clinical status is read as "absent" (applies): the safer reading for scope.
  const clinicalApplies = clinical.length === 0 || clinical.some((c) => APPLICABLE_CLINICAL.has(c));
  const refuted = statusCodes(condition.verificationStatus).some((c) => EXCLUDED_VERIFICATION.has(c));
  return clinicalApplies && !refuted;
}

function onsetOf(condition: Condition): number | undefined {
  return (
    parseFhirStart(condition.onsetDateTime) ??
    parseFhirStart(asRecord<Period>(condition.onsetPeriod)?.start) ??
    parseFhirStart(condition.recordedDate)
  );
}

/**
 * S1/S2: the monitoring scope at `asOf`; undefined = not monitored (S3).
 * @param resources - the patient's resources (Conditions are read here)
 * @param therapies - CRS-associated therapy administrations up to asOf (S1 statuses)
 * @param asOf - evaluation time, ms
 * @param windowDays - monitoringWindowDays
 * @param crsConditions - configured diagnosis codes (6.6)
 */
export function determineScope(
  resources: readonly Resource[],
  therapies: readonly TherapyEvent[],
  asOf: number,
  windowDays: number,
  crsConditions: Concept,
): Scope | undefined {
  const windowStart = asOf - windowDays * DAY_MS;
  const conditions = resources
    .filter((r): r is Condition => r.resourceType === 'Condition')
    .filter((c) => isApplicableCrsCondition(c, crsConditions))
    .filter((c) => (onsetOf(c) ?? Number.NEGATIVE_INFINITY) <= asOf)
    .sort((a, b) => compareIds(a.id, b.id));

  const qualifying = therapies.filter((t) => t.start <= asOf && t.countsAt >= windowStart && t.countsAt <= asOf);
  if (qualifying.length > 0) {
    let earliest = qualifying[0] as TherapyEvent;
    let latest = earliest;
    for (const t of qualifying) {
      if (t.start < earliest.start) earliest = t;
      // Ties (same start) go to the larger id, so the result does not depend on input order.
      if (t.start > latest.start || (t.start === latest.start && compareIds(t.id, latest.id) > 0)) latest = t;
    }
    // S1-E: the episode starts at the earliest qualifying administration's start (a long infusion that
    // began before the window still starts the episode at its start).
    return { basis: 'therapy', episodeStart: earliest.start, indexTherapy: latest, conditions };
  }
  if (conditions.length === 0) return undefined;
  const onsets = conditions.map(onsetOf).filter((t): t is number => t !== undefined);
  const earliestOnset = onsets.length === 0 ? windowStart : Math.min(...onsets);
  return { basis: 'condition', episodeStart: Math.max(earliestOnset, windowStart), conditions };
}
