/**
 * A synthetic 14-day CAR-T course with hourly vitals (no real person), for the timeline app's browser
 * test, its benchmark and the README screenshot. Deterministic: the same `end` gives the same resources.
 *
 * Day 0 09:00 axicabtagene ciloleucel; fever from day 2; hypotension on day 3 (grade 2) and tocilizumab;
 * norepinephrine and high-flow oxygen on day 4 (grade 3) with dexamethasone; epinephrine added for six
 * hours on day 5 (grade 4, two concurrent vasopressors); weaned by day 7; afebrile and on room air
 * afterwards. One implausible temperature and one temperature with an unknown unit (data-quality notes).
 */
import type { Resource } from 'fhir/r4.js';

export const TIMELINE_PATIENT_ID = 'timeline-synthetic-1';
const HOUR = 3_600_000;
const subject = { reference: `Patient/${TIMELINE_PATIENT_ID}` };
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const vitalSigns = [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }];
const quantity = (value: number, code: string) => ({ value, unit: code, system: UCUM, code });
const loinc = (code: string) => ({ coding: [{ system: LOINC, code }] });

/** A smooth, repeatable wobble in [-1, 1] (no Math.random: the course must be the same every run). */
const wobble = (hour: number, period: number): number => Math.sin((hour * 2 * Math.PI) / period);

interface Course {
  temp: number;
  sbp: number;
  map: number;
  spo2: number;
  /** O2 device text and flow, or none. */
  oxygen?: { device: string; code: string; flow: number };
}

/** The course at hour h after the infusion. */
function courseAt(h: number): Course {
  const base = { temp: 36.8 + 0.2 * wobble(h, 24), sbp: 122 + 4 * wobble(h, 12), map: 86 + 3 * wobble(h, 12), spo2: 97 };
  if (h < 48) return base;
  if (h < 72) return { ...base, temp: 38.6 + 0.4 * wobble(h, 8) };
  if (h < 96) return { ...base, temp: 39.2 + 0.3 * wobble(h, 6), sbp: 86 + 2 * wobble(h, 5), map: 62 };
  if (h < 168) {
    // Vasopressors and oxygen from day 4: afebrile after tocilizumab and dexamethasone (F2).
    const oxygen = h < 108
      ? { device: 'Nasal cannula', code: '336623009', flow: 4 }
      : { device: 'High flow nasal cannula', code: '426854004', flow: 30 };
    return { ...base, temp: 37.4 + 0.3 * wobble(h, 10), sbp: 96 + 3 * wobble(h, 6), map: 70, spo2: 93, oxygen };
  }
  if (h < 192) return { ...base, temp: 37.2, oxygen: { device: 'Nasal cannula', code: '336623009', flow: 2 } };
  return base;
}

/**
 * The patient's resources over the 14 days before `end`.
 * @param end - the evaluation time the course ends at (the infusion is 14 days before, at the hour)
 */
export function timelinePatient(end: Date): Resource[] {
  const start = Math.floor(end.getTime() / HOUR) * HOUR - 14 * 24 * HOUR;
  const at = (h: number, minutes = 0): string => new Date(start + h * HOUR + minutes * 60_000).toISOString();
  const observation = (id: string, code: string, h: number, minutes: number, extra: Record<string, unknown>): Resource =>
    ({ resourceType: 'Observation', id, status: 'final', subject, code: loinc(code), effectiveDateTime: at(h, minutes), ...extra }) as Resource;
  const administration = (id: string, code: string, display: string, time: { h: number; endH?: number }, status = 'completed'): Resource =>
    ({
      resourceType: 'MedicationAdministration',
      id,
      status,
      subject,
      medicationCodeableConcept: { coding: [{ system: RXNORM, code, display }], text: display },
      ...(time.endH === undefined ? { effectiveDateTime: at(time.h) } : { effectivePeriod: { start: at(time.h), end: at(time.endH) } }),
    }) as unknown as Resource;

  const resources: Resource[] = [
    { resourceType: 'Patient', id: TIMELINE_PATIENT_ID, birthDate: '1968-04-02' } as Resource,
    { resourceType: 'Medication', id: 'axi-cel', code: { text: 'axicabtagene ciloleucel (Yescarta)' } } as Resource,
    {
      resourceType: 'MedicationAdministration',
      id: 'car-t-infusion',
      status: 'completed',
      subject,
      medicationReference: { reference: 'Medication/axi-cel' },
      effectiveDateTime: at(0),
    } as Resource,
    observation('weight-day0', '29463-7', 0, 0, { category: vitalSigns, valueQuantity: quantity(78.4, 'kg') }),
  ];
  for (let h = 1; h <= 14 * 24 - 1; h += 1) {
    const c = courseAt(h);
    resources.push(
      observation(`temp-${h}`, '8310-5', h, 0, { category: vitalSigns, valueQuantity: quantity(Math.round(c.temp * 10) / 10, 'Cel') }),
      observation(`bp-${h}`, '85354-9', h, 5, {
        category: vitalSigns,
        component: [
          { code: loinc('8480-6'), valueQuantity: quantity(Math.round(c.sbp), 'mm[Hg]') },
          { code: loinc('8462-4'), valueQuantity: quantity(Math.round(c.sbp * 0.6), 'mm[Hg]') },
        ],
      }),
      observation(`map-${h}`, '8478-0', h, 5, { category: vitalSigns, valueQuantity: quantity(Math.round(c.map), 'mm[Hg]') }),
      observation(`spo2-${h}`, '59408-5', h, 10, { category: vitalSigns, valueQuantity: quantity(c.spo2, '%') }),
    );
    if (c.oxygen !== undefined) {
      resources.push(
        observation(`o2-device-${h}`, '107117-4', h, 12, {
          valueCodeableConcept: { coding: [{ system: SNOMED, code: c.oxygen.code }], text: c.oxygen.device },
        }),
        observation(`o2-flow-${h}`, '3151-8', h, 12, { valueQuantity: quantity(c.oxygen.flow, 'L/min') }),
      );
    }
  }
  resources.push(
    // Data-quality notes (E5, E6): ignored and reported, never graded.
    observation('temp-implausible', '8310-5', 60, 30, { valueQuantity: quantity(52, 'Cel') }),
    observation('temp-unknown-unit', '8310-5', 61, 30, { valueQuantity: { value: 38.9, unit: 'degrees' } }),
    administration('tocilizumab-1', '612865', 'tocilizumab', { h: 80, endH: 81 }),
    administration('tocilizumab-2', '612865', 'tocilizumab', { h: 98, endH: 99 }),
    administration('acetaminophen-1', '161', 'acetaminophen', { h: 52 }),
    administration('acetaminophen-2', '161', 'acetaminophen', { h: 66 }),
    administration('norepinephrine-1', '7512', 'norepinephrine', { h: 96, endH: 150 }),
    administration('epinephrine-1', '3992', 'epinephrine', { h: 120, endH: 126 }),
  );
  for (let h = 100; h < 160; h += 6) resources.push(administration(`dexamethasone-${h}`, '3264', 'dexamethasone', { h }));
  return resources;
}

/**
 * The same resources as a FHIR collection Bundle (what `crs-cds grade` reads).
 * @param end - see timelinePatient
 */
export function timelineBundle(end: Date): { resourceType: 'Bundle'; type: 'collection'; entry: { resource: Resource }[] } {
  return { resourceType: 'Bundle', type: 'collection', entry: timelinePatient(end).map((resource) => ({ resource })) };
}
