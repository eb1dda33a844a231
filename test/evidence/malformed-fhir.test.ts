/**
 * Schema-valid JSON with wrongly shaped FHIR content (reviewer findings and the crash sites the hook fuzz
 * test found): each malformed field is read as absent, never a crash, and the well-formed data beside it
 * still counts.
 */
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, ICD10CM } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { classifyDraftOrders } from '../../src/evidence/classify-draft-orders.js';
import { classifyDevice } from '../../src/evidence/extract-oxygen.js';
import { extractMedications } from '../../src/evidence/extract-medications.js';
import { extractVitals } from '../../src/evidence/extract-vitals.js';
import { codingMatches, conceptHasCode, createCodeIndex } from '../../src/evidence/match-code.js';
import { identifyMedication, indexMedications } from '../../src/evidence/match-medication.js';
import { compareIds, partitionResources } from '../../src/evidence/partition-resources.js';
import { isApplicableCrsCondition } from '../../src/evidence/scope.js';
import {
  AS_OF,
  AS_OF_DATE,
  carT,
  condition,
  hoursFrom,
  LOINC,
  NOREPINEPHRINE,
  o2Device,
  RXNORM,
  temperature,
} from '../fixtures/grading/builders.js';

const asOf = Date.parse(AS_OF);
const at = hoursFrom(AS_OF, -3);
/** A resource as the wire may carry it: any JSON. */
const raw = (value: unknown): Resource => value as Resource;
const TEMPERATURE_CODE = [{ system: LOINC, code: '8310-5' }];

describe('partitionResources with malformed entries', () => {
  test('skips null, numbers and arrays among the resources and keeps the rest', () => {
    const obs = temperature(at, 38.5);
    const parts = partitionResources([raw(null), raw(5), raw([obs]), obs]);
    expect(parts.observations).toEqual([obs]);
  });

  test('compareIds reads a non-string id as absent', () => {
    expect(compareIds(raw(5) as unknown as string, undefined)).toBe(0);
    expect(compareIds(undefined, 'a')).toBe(-1);
  });
});

describe('code matching with malformed codings', () => {
  test.each([[[null]], [{}], ['8310-5'], [[5]], [[{ code: 5, system: LOINC }]]])('code.coding %j matches nothing', (coding) => {
    const concept = raw({ coding }) as never;
    expect(conceptHasCode(concept, TEMPERATURE_CODE)).toBe(false);
    expect(createCodeIndex([[TEMPERATURE_CODE, 'temp']])(concept)).toBeUndefined();
  });

  test('a well-formed coding beside a malformed one still matches', () => {
    const concept = raw({ coding: [null, { code: 7 }, { system: LOINC, code: '8310-5' }] }) as never;
    expect(conceptHasCode(concept, TEMPERATURE_CODE)).toBe(true);
    expect(createCodeIndex([[TEMPERATURE_CODE, 'temp']])(concept)).toBe('temp');
  });

  test('codingMatches refuses a null coding and reads a non-string system as none (E7: never RxNorm)', () => {
    expect(codingMatches(raw(null) as never, TEMPERATURE_CODE[0] as never)).toBe(false);
    expect(codingMatches(raw({ system: 5, code: '8310-5' }) as never, { system: LOINC, code: '8310-5' })).toBe(true);
    expect(codingMatches(raw({ system: 5, code: '7512' }) as never, { system: RXNORM, code: '7512' })).toBe(false);
  });
});

describe('medication identity with malformed fields (E7)', () => {
  test('non-string text and display are no names; well-formed codings still identify', () => {
    const ma = raw({
      resourceType: 'MedicationAdministration',
      medicationCodeableConcept: { text: 5, coding: [null, { system: RXNORM, code: '7512', display: {} }] },
    }) as never;
    expect(identifyMedication(ma, new Map())).toEqual({ codings: [{ system: RXNORM, code: '7512' }], texts: [] });
  });

  test('a medicationCodeableConcept of the wrong kind is absent, so the reference is used', () => {
    const med = raw({ resourceType: 'Medication', id: 'm1', code: { text: 'norepinephrine' } });
    const ma = raw({ resourceType: 'MedicationAdministration', medicationCodeableConcept: 'x', medicationReference: { reference: 'Medication/m1' } });
    expect(identifyMedication(ma as never, indexMedications([med]))?.texts).toEqual(['norepinephrine']);
  });

  test('malformed references, contained lists and ingredients resolve to nothing rather than crash', () => {
    const byNumber = raw({ resourceType: 'MedicationAdministration', medicationReference: { reference: 5 } });
    const badContained = raw({ resourceType: 'MedicationAdministration', medicationReference: { reference: '#m1' }, contained: { id: 'm1' } });
    const badIngredients = raw({
      resourceType: 'MedicationAdministration',
      medicationReference: { reference: '#m1' },
      contained: [null, { resourceType: 'Medication', id: 'm1', code: { coding: {} }, ingredient: [null, { itemReference: 'x' }], contained: 5 }],
    });
    expect(identifyMedication(byNumber as never, new Map())).toBeUndefined();
    expect(identifyMedication(badContained as never, new Map())).toBeUndefined();
    expect(identifyMedication(badIngredients as never, new Map())).toEqual({ codings: [], texts: [] });
  });

  test('indexMedications skips Medications whose id is not a string', () => {
    expect([...indexMedications([raw({ resourceType: 'Medication', id: 5 }), raw(null)]).keys()]).toEqual([]);
  });
});

describe('extractors with malformed fields', () => {
  test('an Observation whose effectiveDateTime is a number has no time (missing-time), not a crash', () => {
    const obs = { ...temperature(at, 38.5, { id: 't1' }), effectiveDateTime: 12345 };
    const facts = extractVitals([raw(obs)], asOf, DEFAULT_CONFIG);
    expect(facts.temperatures).toEqual([]);
    expect(facts.notes.map((n) => n.note)).toEqual([{ resourceType: 'Observation', id: 't1', code: 'missing-time' }]);
  });

  test('malformed components, quantities and periods are read as absent', () => {
    const obs = [
      { ...temperature(at, 38.5), component: {} },
      { ...temperature(at, 38.5), component: [null, 5] },
      { ...temperature(at, 38.5), valueQuantity: { value: '39', code: 'Cel' } },
      { ...temperature(at, 38.5), valueQuantity: [] },
      { ...temperature(at, 38.5), effectiveDateTime: undefined, effectivePeriod: { start: at, end: 5 } },
    ];
    const facts = extractVitals(obs.map(raw), asOf, DEFAULT_CONFIG);
    // The first two keep their own valid value; a string value or an array quantity is no reading; the
    // period with a malformed end is read as open-ended.
    expect(facts.temperatures.map((r) => r.value)).toEqual([38.5, 38.5, 38.5]);
    expect(facts.temperatures[2]?.end).toBe(Number.POSITIVE_INFINITY);
  });

  test('a unit of the wrong kind is left out of the data-quality note', () => {
    const obs = { ...temperature(at, 38.5, { id: 'u1' }), valueQuantity: { value: 38.5, code: 5, unit: {} } };
    const [note] = extractVitals([raw(obs)], asOf, DEFAULT_CONFIG).notes;
    expect(note?.note).toEqual({ resourceType: 'Observation', id: 'u1', code: 'unknown-unit', value: 38.5, kind: 'temperature' });
  });

  test('O1: a device with malformed text and codings is unrecognised, a valueString of the wrong kind is absent', () => {
    expect(classifyDevice(raw({ text: 5, coding: [null, { display: 7 }] }) as never, DEFAULT_CONFIG.codeLists.oxygenDevices)).toBeUndefined();
    const device = { ...o2Device(at, { text: 'nasal cannula' }), valueCodeableConcept: undefined, valueString: 12 };
    expect(extractVitals([raw(device)], asOf, DEFAULT_CONFIG).devices).toEqual([]);
  });

  test('E3: an administration whose effectiveDateTime is an object falls back to its effectivePeriod', () => {
    const ma = { ...carT(at, { id: 'c1' }), effectiveDateTime: {}, effectivePeriod: { start: at, end: hoursFrom(at, 1) } };
    const [therapy] = extractMedications([raw(ma)], asOf, DEFAULT_CONFIG).therapies;
    expect(therapy?.start).toBe(Date.parse(at));
  });

  test('S2: Condition statuses of the wrong shape are read as absent (applies), a malformed onsetPeriod as no onset', () => {
    const crs = condition('D89.83');
    const malformed = raw({ ...crs, clinicalStatus: { coding: {} }, verificationStatus: { coding: [null] }, onsetPeriod: 5 });
    expect(isApplicableCrsCondition(malformed as never, DEFAULT_CONFIG.codeLists.crsConditions)).toBe(true);
    expect(isApplicableCrsCondition(raw({ ...crs, code: { coding: [null] } }) as never, DEFAULT_CONFIG.codeLists.crsConditions)).toBe(false);
    expect(assessPatient([malformed], AS_OF_DATE, DEFAULT_CONFIG)?.monitoring).toMatchObject({ basis: 'condition' });
  });
});

describe('classifyDraftOrders with malformed dosage (section 5)', () => {
  const draft = (extra: Record<string, unknown>): Record<string, unknown> => ({
    selections: ['MedicationRequest/d1'],
    draftOrders: {
      resourceType: 'Bundle',
      entry: [{ resource: { resourceType: 'MedicationRequest', id: 'd1', medicationCodeableConcept: NOREPINEPHRINE, ...extra } }],
    },
  });

  test.each([
    { dosageInstruction: {} },
    { dosageInstruction: [null] },
    { dosageInstruction: [{ doseAndRate: {} }] },
    { dosageInstruction: [{ doseAndRate: [null, { doseQuantity: 5 }] }] },
    { dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: '8', code: 'mg' } }] }] },
  ])('%j gives the order no dose but keeps its kind', (extra) => {
    const [order] = classifyDraftOrders(draft(extra), [], DEFAULT_CONFIG);
    expect(order?.kind).toBe('vasopressor');
    expect(order?.doseMg).toBeUndefined();
  });

  test('a well-formed dose after a malformed dosage is still read', () => {
    const [order] = classifyDraftOrders(
      draft({ dosageInstruction: [null, { doseAndRate: [5, { doseQuantity: { value: 8, code: 'mg', system: 'http://unitsofmeasure.org' } }] }] }),
      [],
      DEFAULT_CONFIG,
    );
    expect(order?.doseMg).toBe(8);
  });

  test('a draft MedicationRequest with a non-string id cannot be selected', () => {
    const context = draft({});
    const entry = (context['draftOrders'] as { entry: { resource: Record<string, unknown> }[] }).entry[0];
    if (entry !== undefined) entry.resource['id'] = 5;
    expect(classifyDraftOrders({ ...context, selections: ['MedicationRequest/5'] }, [], DEFAULT_CONFIG)).toEqual([]);
  });

  test('medicationCodeableConcept.text of the wrong kind is no name: the order is "other"', () => {
    const [order] = classifyDraftOrders(draft({ medicationCodeableConcept: { text: 5 } }), [], DEFAULT_CONFIG);
    expect(order?.kind).toBe('other');
  });
});

describe('assessPatient over malformed resources', () => {
  test('a monitored patient with malformed resources beside valid ones is still graded from the valid ones', () => {
    const resources = [
      carT(hoursFrom(AS_OF, -48)),
      raw(null),
      raw({ resourceType: 'Observation', status: 'final', code: { coding: [null] } }),
      raw({ resourceType: 'Observation', status: 'final', code: { coding: {} } }),
      raw({ resourceType: 'MedicationAdministration', status: 'completed', medicationCodeableConcept: { text: 5 }, dosage: [] }),
      raw({ resourceType: 'Condition', code: { coding: [{ system: ICD10CM, code: 5 }] }, onsetDateTime: [] }),
      temperature(at, 38.6),
    ];
    const assessment = assessPatient(resources, AS_OF_DATE, DEFAULT_CONFIG);
    expect(assessment?.grade).toBe(1);
    expect(assessment?.monitoring.basis).toBe('therapy');
  });
});
