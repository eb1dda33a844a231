/**
 * The prefetch templates both CRS services share, built from the code lists (crs-rules.md 6.5, 6.6)
 * so that a code a site adds to its configuration is also fetched. CDS Hooks 2.0 legal: only
 * `{{context.patientId}}` (no FHIRPath, no date tokens), so the time window is applied inside the
 * engine and each search is bounded by `_sort` newest first plus `_count`. `patient=Patient/{id}`
 * (not a bare id) and codes with their system work on every FHIR server we tested, medplum's
 * included. Observations are searched by code, not category: O2 flow and device observations are
 * not always `vital-signs`.
 */
import type { CodeLists, CodeRef } from '../src/config/types.js';
import type { PrefetchTemplate } from './types.js';

const PATIENT = 'Patient/{{context.patientId}}';

const tokens = (codes: readonly CodeRef[]): string => [...new Set(codes.map(({ system, code }) => `${system}|${code}`))].join(',');

const observations = (codes: readonly CodeRef[], count: number): PrefetchTemplate => ({
  query: `Observation?patient=${PATIENT}&code=${tokens(codes)}&_sort=-date&_count=${count}`,
  onFailure: 'fail',
});

/** S2: the dot and the system are optional, so each code is searched with and without its dot, no system. */
const conditionCodes = (codes: readonly CodeRef[]): string =>
  [...new Set(codes.flatMap(({ code }) => [code, code.replace('.', '')]))].join(',');

/**
 * Every prefetch key of the CRS services. Missing clinical data must never read as "no CRS", so every
 * key is 'fail' (412 when it can be neither prefetched nor fetched).
 * @param codeLists - the effective code lists (`config.codeLists`)
 */
export function crsPrefetch(codeLists: CodeLists): Readonly<Record<string, PrefetchTemplate>> {
  const o = codeLists.observations;
  return {
    patient: { query: PATIENT, onFailure: 'fail' },
    temperature: observations(o.bodyTemperature, 500), // F1
    bloodPressure: observations([...o.systolicBp, ...o.bpPanel, ...o.meanArterialPressure], 500), // H1, E4
    oxygen: observations([...o.spo2, ...o.o2FlowRate, ...o.fio2, ...o.o2DeliveryMethod], 500), // O1
    weight: observations(o.bodyWeight, 10), // T-D
    // S1, H2, F2, T-L, T-S; Medications included where the server can, otherwise read one by one (E7).
    medicationAdministrations: {
      query: `MedicationAdministration?patient=${PATIENT}&_include=MedicationAdministration:medication&_sort=-effective-time&_count=1000`,
      onFailure: 'fail',
    },
    crsConditions: {
      query: `Condition?patient=${PATIENT}&code=${conditionCodes(codeLists.crsConditions.codes)}&_count=100`,
      onFailure: 'fail',
    },
  };
}
