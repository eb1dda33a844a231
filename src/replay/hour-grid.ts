/**
 * The replay's hour grid for one patient: every whole UTC hour from the hour at or before the earliest
 * clinical time in the patient's data to the hour at or after the latest, so every datum is seen by some
 * hour and the last hour sees them all. Clinical times are an Observation's effective time (start and
 * end of a period), an administration's start and end, and a Condition's onset or recorded date; the
 * engine itself decides at each hour whether the patient is monitored (S1–S3) and where the episode
 * starts (S1-E), so hours outside an episode simply give no assessment.
 */
import type { Resource } from 'fhir/r4.js';
import { parseFhirTime, HOUR_MS } from '../evidence/fhir-time.js';
import { isRecord } from '../is-record.js';

/** The clinical time members read per resource type (effective[x] choices, onset, recorded date). */
const TIME_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  Observation: ['effectiveDateTime', 'effectiveInstant', 'effectivePeriod'],
  MedicationAdministration: ['effectiveDateTime', 'effectivePeriod'],
  Condition: ['onsetDateTime', 'onsetPeriod', 'recordedDate'],
};

/**
 * @param resources - one patient's resources
 * @returns the whole hours (ms, ascending); empty when no datum has a clinical time
 */
export function hourGrid(resources: readonly Resource[]): number[] {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const see = (value: unknown): void => {
    const range = parseFhirTime(value);
    if (range === undefined) return;
    first = Math.min(first, range.start);
    last = Math.max(last, range.start, Number.isFinite(range.end) ? range.end : range.start);
  };
  for (const resource of resources) {
    const record = resource as unknown as Record<string, unknown>;
    for (const member of TIME_MEMBERS[resource.resourceType] ?? []) {
      const value = record[member];
      if (isRecord(value)) {
        see(value['start']);
        see(value['end']);
      } else see(value);
    }
  }
  const hours: number[] = [];
  if (!Number.isFinite(first)) return hours;
  for (let at = Math.floor(first / HOUR_MS) * HOUR_MS; at < last + HOUR_MS; at += HOUR_MS) hours.push(at);
  return hours;
}
