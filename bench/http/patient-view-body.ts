/**
 * A realistic crs-patient-view call for the HTTP benchmark: a CAR-T patient on day +4 with everything
 * prefetched, as an EHR sends it: 3 days of hourly vitals (temperature, BP panel, MAP, SpO2, O2 flow),
 * oxygen devices, weights, vasopressor infusions, tocilizumab, dexamethasone and antipyretic doses, the
 * CAR-T infusion and a CRS diagnosis: about 400 resources in seven searchset Bundles. Times are relative
 * to `now`, so the service (which grades at its wall clock) sees a current, febrile, hypotensive patient.
 */
import type { Resource } from 'fhir/r4.js';

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const HOUR = 3_600_000;
const PATIENT = 'bench-patient';
const subject = { reference: `Patient/${PATIENT}` };
const vitalSigns = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

const q = (value: number, code: string) => ({ value: Math.round(value * 10) / 10, unit: code, system: UCUM, code });
const loinc = (code: string, display: string) => ({ coding: [{ system: LOINC, code, display }], text: display });
const rx = (code: string, display: string) => ({ coding: [{ system: RXNORM, code, display }], text: display });
const iso = (ms: number): string => new Date(ms).toISOString();
const searchset = (resources: readonly Resource[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id ?? ''}`, resource })),
});

function observation(id: string, at: number, code: ReturnType<typeof loinc>, value: Record<string, unknown>): Resource {
  return { resourceType: 'Observation', id, status: 'final', category: vitalSigns, code, subject, effectiveDateTime: iso(at), issued: iso(at + 300_000), ...value } as Resource;
}

function administration(id: string, medication: ReturnType<typeof rx>, start: number, end?: number, dose?: { value: number; code: string }): Resource {
  return {
    resourceType: 'MedicationAdministration',
    id,
    status: 'completed',
    subject,
    medicationCodeableConcept: medication,
    ...(end === undefined ? { effectiveDateTime: iso(start) } : { effectivePeriod: { start: iso(start), end: iso(end) } }),
    ...(dose === undefined ? {} : { dosage: { route: { text: 'IV' }, dose: q(dose.value, dose.code) } }),
  } as unknown as Resource;
}

/** Vitals of hour `h` (0 = 72 h ago): a fever from day +3, blood pressure falling into pressors. */
function vitals(hour: number, at: number): Resource[] {
  const febrile = hour >= 40;
  const temperature = febrile ? 38.4 + (hour % 5) * 0.2 : 36.8 + (hour % 3) * 0.1;
  const sbp = hour >= 60 ? 82 + (hour % 4) : 118 - (hour % 6);
  return [
    observation(`t${hour}`, at, loinc('8310-5', 'Body temperature'), { valueQuantity: q(temperature, 'Cel') }),
    observation(`bp${hour}`, at, loinc('85354-9', 'Blood pressure panel'), {
      component: [
        { code: loinc('8480-6', 'Systolic blood pressure'), valueQuantity: q(sbp, 'mm[Hg]') },
        { code: loinc('8462-4', 'Diastolic blood pressure'), valueQuantity: q(sbp * 0.6, 'mm[Hg]') },
      ],
    }),
    observation(`map${hour}`, at, loinc('8478-0', 'Mean blood pressure'), { valueQuantity: q(sbp * 0.73, 'mm[Hg]') }),
    observation(`spo2${hour}`, at, loinc('59408-5', 'Oxygen saturation by pulse oximetry'), { valueQuantity: q(hour >= 50 ? 93 : 97, '%') }),
    observation(`flow${hour}`, at, loinc('3151-8', 'Inhaled oxygen flow rate'), { valueQuantity: q(hour >= 50 ? 4 : 0, 'L/min') }),
  ];
}

/**
 * The request body as JSON text.
 * @param now - the time the service will grade at (ms since epoch)
 */
export function patientViewBody(now: number): string {
  const start = now - 72 * HOUR;
  const observations: Resource[] = [];
  for (let hour = 0; hour < 72; hour += 1) observations.push(...vitals(hour, start + hour * HOUR));
  const devices = Array.from({ length: 12 }, (_, i) =>
    observation(`dev${i}`, start + (36 + i * 3) * HOUR, loinc('107117-4', 'Oxygen delivery device'), { valueCodeableConcept: { text: i < 6 ? 'room air' : 'nasal cannula' } }),
  );
  const weights = [0, 1, 2].map((day) => observation(`wt${day}`, start + day * 24 * HOUR, loinc('29463-7', 'Body weight'), { valueQuantity: q(71.5 - day * 0.3, 'kg') }));
  const norepinephrine = rx('7512', 'norepinephrine');
  const medications: Resource[] = [
    administration('cart', { text: 'axicabtagene ciloleucel (Yescarta)' } as ReturnType<typeof rx>, now - 4 * 24 * HOUR),
    ...Array.from({ length: 6 }, (_, i) => administration(`norepi${i}`, norepinephrine, now - (12 - i * 2) * HOUR, now - (11 - i * 2) * HOUR + 1_800_000)),
    administration('toci1', rx('612865', 'tocilizumab'), now - 20 * HOUR, undefined, { value: 560, code: 'mg' }),
    ...Array.from({ length: 4 }, (_, i) => administration(`dex${i}`, rx('3264', 'dexamethasone'), now - (60 - i * 6) * HOUR, undefined, { value: 10, code: 'mg' })),
    ...Array.from({ length: 10 }, (_, i) => administration(`apap${i}`, rx('161', 'acetaminophen'), now - (70 - i * 6) * HOUR, undefined, { value: 650, code: 'mg' })),
    ...Array.from({ length: 6 }, (_, i) => administration(`ondansetron${i}`, rx('26225', 'ondansetron'), now - (66 - i * 8) * HOUR, undefined, { value: 4, code: 'mg' })),
  ];
  const prefetch = {
    patient: { resourceType: 'Patient', id: PATIENT, birthDate: '1968-04-02', gender: 'female' },
    temperature: searchset(observations.filter((o) => o.id?.startsWith('t'))),
    bloodPressure: searchset(observations.filter((o) => o.id?.startsWith('bp') || o.id?.startsWith('map'))),
    oxygen: searchset([...observations.filter((o) => o.id?.startsWith('spo2') || o.id?.startsWith('flow')), ...devices]),
    weight: searchset(weights),
    medicationAdministrations: searchset(medications),
    crsConditions: searchset([
      { resourceType: 'Condition', id: 'crs', subject, clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'D89.832' }] } } as Resource,
    ]),
  };
  return JSON.stringify({
    hook: 'patient-view',
    hookInstance: 'b6f1f7a4-9c1e-4c5e-8f0a-3d2b1c0e9f8a',
    context: { userId: 'Practitioner/bench', patientId: PATIENT },
    prefetch,
  });
}

/** How many resources a body carries (for the report). */
export function resourceCount(body: string): number {
  const { prefetch } = JSON.parse(body) as { prefetch: Record<string, { entry?: unknown[] }> };
  return Object.values(prefetch).reduce((sum, value) => sum + (Array.isArray(value.entry) ? value.entry.length : 1), 0);
}
