/**
 * A synthetic CAR-T patient (no real person): Patient, vitals and oxygen observations (some not in
 * category vital-signs), a weight, a CAR-T administration referencing a Medication, a norepinephrine
 * infusion, a CRS Condition, plus data that must NOT be fetched (another patient, an unrelated code).
 */
import type { Resource } from 'fhir/r4.js';

export const SYNTHETIC_PATIENT_ID = 'synthetic-crs-1';
const subject = { reference: `Patient/${SYNTHETIC_PATIENT_ID}` };
const loinc = (code: string) => ({ coding: [{ system: 'http://loinc.org', code }] });
const vitalSigns = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];

const observation = (id: string, code: string, at: string, extra: Record<string, unknown> = {}): Resource =>
  ({ resourceType: 'Observation', id, status: 'final', subject, code: loinc(code), effectiveDateTime: at, ...extra }) as Resource;

/** The synthetic patient's resources. */
export function syntheticCrsPatient(): Resource[] {
  return [
    { resourceType: 'Patient', id: SYNTHETIC_PATIENT_ID, birthDate: '1970-01-01' } as Resource,
    observation('temp-1', '8310-5', '2026-11-21T08:00:00Z', { category: vitalSigns, valueQuantity: { value: 39.1, unit: 'Cel', code: 'Cel', system: 'http://unitsofmeasure.org' } }),
    observation('bp-1', '85354-9', '2026-11-21T08:05:00Z', {
      category: vitalSigns,
      component: [{ code: loinc('8480-6'), valueQuantity: { value: 84, unit: 'mm[Hg]', code: 'mm[Hg]', system: 'http://unitsofmeasure.org' } }],
    }),
    observation('map-1', '8478-0', '2026-11-21T08:05:00Z', { valueQuantity: { value: 60, code: 'mm[Hg]', system: 'http://unitsofmeasure.org' } }),
    observation('spo2-1', '59408-5', '2026-11-21T08:10:00Z', {
      category: vitalSigns,
      valueQuantity: { value: 93, code: '%', system: 'http://unitsofmeasure.org' },
      component: [{ code: loinc('3151-8'), valueQuantity: { value: 4, code: 'L/min', system: 'http://unitsofmeasure.org' } }],
    }),
    observation('flow-1', '3151-8', '2026-11-21T08:12:00Z', { valueQuantity: { value: 8, code: 'L/min', system: 'http://unitsofmeasure.org' } }),
    observation('device-1', '107117-4', '2026-11-21T08:12:00Z', { valueCodeableConcept: { text: 'high flow nasal cannula' } }),
    observation('weight-1', '29463-7', '2026-11-20T07:00:00Z', { category: vitalSigns, valueQuantity: { value: 72, code: 'kg', system: 'http://unitsofmeasure.org' } }),
    observation('unrelated-obs', '2345-7', '2026-11-21T08:00:00Z', { valueQuantity: { value: 5.1 } }),
    { resourceType: 'Medication', id: 'kymriah', code: { text: 'tisagenlecleucel (Kymriah)' } } as Resource,
    {
      resourceType: 'MedicationAdministration',
      id: 'cart-1',
      status: 'completed',
      subject,
      medicationReference: { reference: 'Medication/kymriah' },
      effectiveDateTime: '2026-11-18T09:00:00Z',
    } as Resource,
    {
      resourceType: 'MedicationAdministration',
      id: 'norepi-1',
      status: 'in-progress',
      subject,
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '7512', display: 'norepinephrine' }] },
      effectivePeriod: { start: '2026-11-21T08:30:00Z' },
    } as Resource,
    {
      resourceType: 'Condition',
      id: 'crs-dx',
      subject,
      code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'D89.832' }] },
    } as Resource,
    observation('other-patient', '8310-5', '2026-11-21T08:00:00Z', { subject: { reference: 'Patient/someone-else' } }),
  ];
}
