/**
 * Published FHIR shapes (test/fixtures/real-shapes/, modelled on HL7 US Core, FHIR core and Cerner R4
 * examples; each file's $comment names its source). One test per shape: exactly what is read, what is
 * ignored and what is reported.
 */
import { readFileSync } from 'node:fs';
import type { Bundle, Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { extractMedications } from '../../src/evidence/extract-medications.js';
import { extractVitals } from '../../src/evidence/extract-vitals.js';
import { AS_OF, AS_OF_DATE, carT, hoursFrom } from '../fixtures/grading/builders.js';

const asOf = Date.parse(AS_OF); // 2026-11-21T10:00:00Z
const t = (iso: string): number => Date.parse(iso);

function shape(name: string): Resource {
  const body = JSON.parse(readFileSync(new URL(`../fixtures/real-shapes/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  delete body['$comment'];
  return body as unknown as Resource;
}

const vitals = (...names: string[]) => extractVitals(names.map(shape), asOf, DEFAULT_CONFIG);
const values = (readings: readonly { readonly value: number }[]): number[] => readings.map((r) => r.value);
const notes = (facts: { readonly notes: readonly { readonly note: unknown }[] }): unknown[] => facts.notes.map((n) => n.note);

describe('US Core shapes', () => {
  test('body temperature: read (38.55556 °C over the whole charted day); nothing else; no note', () => {
    const facts = vitals('us-core-body-temperature');
    expect(facts.temperatures).toEqual([{ id: 'uscore-temp', start: t('2026-11-21T00:00:00Z'), end: t('2026-11-22T00:00:00Z') - 1, value: 38.55556 }]);
    expect([facts.sbp, facts.map, facts.spo2, facts.flows, facts.fio2, facts.weights, facts.devices]).toEqual([[], [], [], [], [], [], []]);
    expect(notes(facts)).toEqual([]);
  });

  test('blood pressure panel: SBP 84 read from its component; the diastolic with a dataAbsentReason ignored; no MAP computed; no note', () => {
    const facts = vitals('us-core-blood-pressure');
    expect(facts.sbp).toEqual([{ id: 'uscore-bp', start: t('2026-11-21T07:30:00Z'), end: t('2026-11-21T07:30:00Z'), value: 84 }]);
    expect(facts.map).toEqual([]);
    expect(notes(facts)).toEqual([]);
  });

  test('average blood pressure over days: codes not on the H1 lists, so nothing is read and nothing reported (it is not a temperature)', () => {
    const facts = vitals('us-core-average-blood-pressure');
    expect([facts.sbp, facts.map, facts.temperatures]).toEqual([[], [], []]);
    expect(notes(facts)).toEqual([]);
  });

  test('pulse oximetry: SpO2 93 %, the flow component 6 L/min (low-flow) and the FiO2 component 40 % read; the ISO 11073 code, device and reference range ignored', () => {
    const facts = vitals('us-core-pulse-oximetry');
    expect(values(facts.spo2)).toEqual([93]);
    expect(values(facts.flows)).toEqual([6]);
    expect(values(facts.fio2)).toEqual([40]);
    expect(facts.spo2[0]?.start).toBe(t('2026-11-21T08:30:10Z'));
    expect(notes(facts)).toEqual([]);
  });

  test('body weight: 71.09414 kg read; no note', () => {
    const facts = vitals('us-core-body-weight');
    expect(values(facts.weights)).toEqual([71.09414]);
    expect(notes(facts)).toEqual([]);
  });
});

describe('FHIR core MedicationAdministration shapes', () => {
  test('in-progress with a contained NDC-coded Medication and an open period: a running norepinephrine (by the display name), the Provenance ignored', () => {
    const facts = extractMedications([shape('fhir-medadmin-contained-open-period')], asOf, DEFAULT_CONFIG);
    expect(facts.vasopressors).toEqual([
      {
        id: 'fhir-ne-open',
        concept: 'norepinephrine',
        start: t('2026-11-21T06:30:00Z'),
        end: Number.POSITIVE_INFINITY,
        display: 'Norepinephrine Bitartrate in Dextrose (NOREPINEPHRINE BITARTRATE)',
        doseMg: 4,
      },
    ]);
    expect([facts.maskingAgents, facts.corticosteroids, facts.tocilizumab, facts.therapies, notes(facts)]).toEqual([[], [], [], [], []]);
  });

  test('completed with a contained SNOMED-coded product and a closed period: an oral antipyretic (F2 systemic), its dose in tablets not a mass', () => {
    const facts = extractMedications([shape('fhir-medadmin-contained-completed-period')], asOf, DEFAULT_CONFIG);
    expect(facts.maskingAgents).toEqual([
      { id: 'fhir-apap-period', concept: 'acetaminophen', start: t('2026-11-21T03:30:00Z'), end: t('2026-11-21T03:35:00Z'), display: 'Acetaminophen 500 mg oral tablet' },
    ]);
    expect([facts.vasopressors, facts.corticosteroids, notes(facts)]).toEqual([[], [], []]);
  });
});

describe('Cerner R4 shapes', () => {
  test('axillary temperature 27 degC under a site code, 8328-7 and 8310-5: implausible (E6), not graded, reported', () => {
    const facts = vitals('cerner-temperature-axillary');
    expect(facts.temperatures).toEqual([]);
    expect(notes(facts)).toEqual([{ resourceType: 'Observation', id: 'cerner-temp-ax', code: 'implausible-value', value: 27, unit: 'Cel', kind: 'temperature' }]);
    expect(facts.ignoredTemperatureTimes).toEqual([t('2026-11-21T06:11:00Z')]);
  });

  test('oral temperature coded 8331-1 only: read (6.5 revision 2), 38.9 °C', () => {
    const facts = vitals('cerner-temperature-oral');
    expect(facts.temperatures).toEqual([{ id: 'cerner-temp-oral', start: t('2026-11-21T08:21:00Z'), end: t('2026-11-21T08:21:00Z'), value: 38.9 }]);
    expect(notes(facts)).toEqual([]);
  });

  test('SpO2 with flow and FIO2 components under site codes: SpO2 95, flow 7 L/min (high-flow), FiO2 21 % (room air, adds nothing)', () => {
    const facts = vitals('cerner-spo2-components');
    expect([values(facts.spo2), values(facts.flows), values(facts.fio2)]).toEqual([[95], [7], [21]]);
    const a = assessPatient([carT(hoursFrom(AS_OF, -72)), shape('cerner-temperature-oral'), shape('cerner-spo2-components')], AS_OF_DATE, DEFAULT_CONFIG);
    expect(a?.oxygen.evidence?.map((e) => [e.kind, e.value])).toEqual([['o2-flow', 7]]);
    expect(a?.grade).toBe(3);
  });

  test('drips charted as rate point records: norepinephrine superseded by its rate change, epinephrine by name (tall-man lettering), the not-done record ignored; grade 4 with concurrency inferred', () => {
    const bundle = shape('cerner-drips') as Bundle;
    const drips = (bundle.entry ?? []).map((e) => e.resource as Resource);
    const facts = extractMedications(drips, asOf, DEFAULT_CONFIG);
    expect(facts.vasopressors.map((e) => [e.id, e.concept, new Date(e.start).toISOString(), new Date(e.end).toISOString(), e.rateInferred])).toEqual([
      ['cerner-ne-1', 'norepinephrine', '2026-11-21T04:00:00.000Z', '2026-11-21T07:00:00.000Z', true],
      ['cerner-ne-2', 'norepinephrine', '2026-11-21T07:00:00.000Z', '2026-11-21T13:00:00.000Z', true],
      ['cerner-epi-1', 'epinephrine', '2026-11-21T08:00:00.000Z', '2026-11-21T14:00:00.000Z', true],
    ]);
    // The doses are in mL (not a mass): no doseMg; no note for any record.
    expect(facts.vasopressors.every((e) => e.doseMg === undefined)).toBe(true);
    expect(notes(facts)).toEqual([]);
    const a = assessPatient([carT(hoursFrom(AS_OF, -72)), shape('cerner-temperature-oral'), ...drips], AS_OF_DATE, DEFAULT_CONFIG);
    expect(a?.grade).toBe(4);
    expect(a?.hypotension.concurrencyInferredFromRates).toBe(true);
  });
});
