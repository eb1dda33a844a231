import type { Bundle, Medication, MedicationRequest, Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { classifyDraftOrders } from '../../src/evidence/classify-draft-orders.js';
import { configWith } from './assessment-fixture.js';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const UCUM = 'http://unitsofmeasure.org';

function draft(id: string, medication: Partial<MedicationRequest>, dose?: { value: number; code?: string; unit?: string; system?: string }): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/pat-1' },
    ...medication,
    ...(dose === undefined ? {} : { dosageInstruction: [{ doseAndRate: [{ doseQuantity: dose }] }] }),
  };
}

const rx = (code: string, display?: string) => ({ medicationCodeableConcept: { coding: [{ system: RXNORM, code, ...(display ? { display } : {}) }] } });
const bundle = (...resources: Resource[]): Bundle => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) });

describe('classifyDraftOrders', () => {
  test('classifies selected drafts as tocilizumab, corticosteroid, vasopressor or other, in selection order', () => {
    const draftOrders = bundle(
      draft('a', rx('612865'), { value: 560, code: 'mg', system: UCUM }),
      draft('b', rx('3264'), { value: 10, code: 'mg', system: UCUM }),
      draft('c', rx('7512')),
      draft('d', rx('161')),
    );
    const selections = ['MedicationRequest/d', 'MedicationRequest/c', 'MedicationRequest/b', 'MedicationRequest/a'];
    const out = classifyDraftOrders({ draftOrders, selections }, [], DEFAULT_CONFIG);
    expect(out.map((d) => [d.id, d.kind, d.concept, d.doseMg])).toEqual([
      ['d', 'other', undefined, undefined],
      ['c', 'vasopressor', 'norepinephrine', undefined],
      ['b', 'corticosteroid', 'dexamethasone', 10],
      ['a', 'tocilizumab', 'tocilizumab', 560],
    ]);
  });

  test('ignores drafts that are not selected', () => {
    const draftOrders = bundle(draft('a', rx('612865')), draft('b', rx('3264')));
    expect(classifyDraftOrders({ draftOrders, selections: ['MedicationRequest/b'] }, [], DEFAULT_CONFIG).map((d) => d.id)).toEqual(['b']);
    expect(classifyDraftOrders({ draftOrders }, [], DEFAULT_CONFIG)).toEqual([]);
  });

  test('reads doses in grams as mg, and ignores doses in other units', () => {
    const draftOrders = bundle(
      draft('g', rx('6902'), { value: 1, code: 'g', system: UCUM }),
      draft('text', rx('6902'), { value: 500, unit: 'mg' }),
      draft('perkg', rx('612865'), { value: 8, code: 'mg/kg', system: UCUM }),
    );
    const out = classifyDraftOrders({ draftOrders, selections: ['MedicationRequest/g', 'MedicationRequest/text', 'MedicationRequest/perkg'] }, [], DEFAULT_CONFIG);
    expect(out.map((d) => d.doseMg)).toEqual([1000, 500, undefined]);
  });

  test('identifies a drug by name (whole word) and by a referenced Medication', () => {
    const medication: Medication = { resourceType: 'Medication', id: 'm1', code: { text: 'Actemra (tocilizumab) 20 mg/mL' } };
    const draftOrders = bundle(
      draft('ref', { medicationReference: { reference: 'Medication/m1' } }),
      draft('epi', { medicationCodeableConcept: { text: 'Norepinephrine 4 mg in 250 mL' } }),
    );
    const out = classifyDraftOrders({ draftOrders, selections: ['MedicationRequest/ref', 'MedicationRequest/epi'] }, [medication], DEFAULT_CONFIG);
    expect(out.map((d) => [d.kind, d.concept])).toEqual([
      ['tocilizumab', 'tocilizumab'],
      ['vasopressor', 'norepinephrine'],
    ]);
  });

  test('an unresolvable medication reference is "other"', () => {
    const draftOrders = bundle(draft('x', { medicationReference: { reference: 'Medication/missing' } }));
    expect(classifyDraftOrders({ draftOrders, selections: ['MedicationRequest/x'] }, [], DEFAULT_CONFIG)[0]?.kind).toBe('other');
  });

  test('inotropes are vasopressors only when the site counts them', () => {
    const draftOrders = bundle(draft('dob', rx('3616')));
    const context = { draftOrders, selections: ['MedicationRequest/dob'] };
    expect(classifyDraftOrders(context, [], DEFAULT_CONFIG)[0]?.kind).toBe('other');
    expect(classifyDraftOrders(context, [], configWith({ grading: { countInotropes: true } }))[0]?.kind).toBe('vasopressor');
  });

  test('tolerates a malformed draftOrders value', () => {
    expect(classifyDraftOrders({ draftOrders: 'nonsense', selections: ['MedicationRequest/a'] }, [], DEFAULT_CONFIG)).toEqual([]);
    expect(classifyDraftOrders({ draftOrders: { resourceType: 'Bundle', entry: [null, 5] }, selections: ['MedicationRequest/a'] }, [], DEFAULT_CONFIG)).toEqual([]);
  });
});

describe('6.3 tocilizumab names on draft orders (revision 2)', () => {
  const NDC = 'http://hl7.org/fhir/sid/ndc';
  const classify = (request: MedicationRequest, resources: Resource[] = []) =>
    classifyDraftOrders({ draftOrders: bundle(request), selections: [`MedicationRequest/${String(request.id)}`] }, resources, DEFAULT_CONFIG)[0];

  test.each(['Actemra', 'RoActemra', 'Tofidence', 'Tyenne', 'Avtozma', 'tocilizumab-aazg', 'Tocilizumab-bavi 20 mg/mL'])(
    'a draft coded by NDC with text "%s" is tocilizumab, dose read',
    (text) => {
      const d = classify(draft('t', { medicationCodeableConcept: { coding: [{ system: NDC, code: '50242-0135-01' }], text } }, { value: 900, code: 'mg', system: UCUM }));
      expect([d?.kind, d?.doseMg]).toEqual(['tocilizumab', 900]);
    },
  );

  test('a medicationReference that cannot be resolved counts by its display ("tocilizumab")', () => {
    const d = classify(draft('t', { medicationReference: { reference: 'Medication/not-here', display: 'tocilizumab' } }, { value: 900, code: 'mg', system: UCUM }));
    expect([d?.kind, d?.doseMg]).toEqual(['tocilizumab', 900]);
  });

  test('F2 route rule: a topical or inhaled corticosteroid draft is not a corticosteroid here (OS5)', () => {
    const topical = draft('s', { ...rx('5492'), dosageInstruction: [{ route: { coding: [{ system: 'http://snomed.info/sct', code: '6064005' }] } }] });
    expect(classify(topical)?.kind).toBe('other');
    expect(classify(draft('s', { medicationCodeableConcept: { text: 'budesonide inhaler' } }))?.kind).toBe('other');
    expect(classify(draft('s', { medicationCodeableConcept: { text: 'hydrocortisone 1% cream' } }))?.kind).toBe('other');
    expect(classify(draft('s', rx('5492')))?.kind).toBe('corticosteroid');
  });
});
