/**
 * OS1 `update` (crs-rules.md section 5): the corrected draft must be a coherent order. Rates that follow
 * from the dose are scaled with it (the infusion time the physician chose is kept), rates that cannot be
 * derived from the dose are dropped; nothing keeps describing the old dose.
 */
import type { Dosage, MedicationRequest } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { withCorrectedDose } from '../../src/recommend/medication-request.js';
import { recordEmittedResource } from '../support/emitted-resources.js';

const UCUM = 'http://unitsofmeasure.org';
const ingredient = { rxnorm: '612865', display: 'tocilizumab' };
const sig = 'tocilizumab 560 mg IV over 60 min, single dose';
type DoseAndRate = NonNullable<Dosage['doseAndRate']>[number];

const q = (value: number, code: string) => ({ value, unit: code, system: UCUM, code });

function draft(doseAndRate: DoseAndRate[], extra: Dosage = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: 'draft-toci',
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/pat-1' },
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' }] },
    dosageInstruction: [{ text: 'tocilizumab 700 mg IV over 60 min', ...extra, doseAndRate }],
  };
}

/** The corrected draft's first dosage (and the draft recorded for the end-of-run FHIR validation). */
function corrected(order: MedicationRequest, doseMg = 560): Dosage {
  const updated = withCorrectedDose(order, { doseMg, sig }, ingredient);
  recordEmittedResource(updated, 'withCorrectedDose');
  return updated?.dosageInstruction?.[0] as Dosage;
}

describe('withCorrectedDose keeps the order coherent (OS1 update)', () => {
  test('700 mg at 700 mg/h becomes 560 mg at 560 mg/h: the 60-minute infusion is kept', () => {
    const dosage = corrected(draft([{ doseQuantity: q(700, 'mg'), rateQuantity: q(700, 'mg/h') }]));
    expect(dosage.doseAndRate).toEqual([{ doseQuantity: q(560, 'mg'), rateQuantity: q(560, 'mg/h') }]);
    expect(dosage.text).toBe(sig);
  });

  test('a rate in its own dose-and-rate entry, in g/h over a dose in g, is scaled too', () => {
    const dosage = corrected(draft([{ doseQuantity: q(0.9, 'g') }, { rateQuantity: q(1.8, 'g/h') }]), 558);
    expect(dosage.doseAndRate).toEqual([{ doseQuantity: q(558, 'mg') }, { rateQuantity: q(1.116, 'g/h') }]);
  });

  test('a rate given as a ratio of mass over time is scaled: 700 mg per 1 h becomes 560 mg per 1 h', () => {
    const ratio = { numerator: q(700, 'mg'), denominator: q(1, 'h') };
    const dosage = corrected(draft([{ doseQuantity: q(700, 'mg'), rateRatio: ratio }]));
    expect(dosage.doseAndRate).toEqual([{ doseQuantity: q(560, 'mg'), rateRatio: { numerator: q(560, 'mg'), denominator: q(1, 'h') } }]);
  });

  test.each([
    ['a volume rate (mL/h depends on the dilution)', { rateQuantity: q(100, 'mL/h') }],
    ['a rate range', { rateRange: { low: q(600, 'mg/h'), high: q(800, 'mg/h') } }],
    ['a ratio of volume over time', { rateRatio: { numerator: q(100, 'mL'), denominator: q(1, 'h') } }],
    ['a rate without units', { rateQuantity: { value: 700 } }],
  ])('%s cannot be derived from the new dose and is dropped', (_name, rate) => {
    const dosage = corrected(draft([{ doseQuantity: q(700, 'mg'), ...rate }]));
    expect(dosage.doseAndRate).toEqual([{ doseQuantity: q(560, 'mg') }]);
  });

  test('every rate is dropped when the old dose is not a mass (nothing to scale from)', () => {
    const dosage = corrected(draft([{ doseQuantity: { value: 700, unit: 'milligram' }, rateQuantity: q(700, 'mg/h') }]));
    expect(dosage.doseAndRate).toEqual([{ doseQuantity: q(560, 'mg') }]);
  });

  test('the timing (infusion duration) is kept, so dose over rate still equals it', () => {
    const timing = { repeat: { count: 1, duration: 60, durationUnit: 'min' as const } };
    const dosage = corrected(draft([{ doseQuantity: q(700, 'mg'), rateQuantity: q(700, 'mg/h') }], { timing }));
    expect(dosage.timing).toEqual(timing);
    const rate = dosage.doseAndRate?.[0];
    expect((rate?.doseQuantity?.value ?? 0) / (rate?.rateQuantity?.value ?? 1)).toBe(1); // hours
  });

  test('a draft without a rate gets none', () => {
    expect(corrected(draft([{ doseQuantity: q(700, 'mg') }])).doseAndRate).toEqual([{ doseQuantity: q(560, 'mg') }]);
  });
});
