/**
 * T-S inputs: every systemic corticosteroid of the last 24 h, in dexamethasone equivalents
 * (dexamethasone 0.75 mg = methylprednisolone 4 mg = prednisone 5 mg = hydrocortisone 20 mg).
 */
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import {
  administration,
  AS_OF,
  AS_OF_DATE,
  carT,
  DEXAMETHASONE,
  HYDROCORTISONE,
  hoursFrom,
  METHYLPREDNISOLONE,
  namedMed,
  PREDNISONE,
  temperature,
} from '../fixtures/grading/builders.js';

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const exposure = (config = DEFAULT_CONFIG, ...resources: Resource[]) =>
  assessPatient([carT(h(-72), { id: 'cart' }), temperature(h(-1), 37), ...resources], AS_OF_DATE, config)?.corticosteroids;

describe('T-S corticosteroid exposure', () => {
  test.each([
    ['methylprednisolone 1000 mg', METHYLPREDNISOLONE, 1000, 187.5],
    ['prednisone 50 mg', PREDNISONE, 50, 7.5],
    ['hydrocortisone 100 mg', HYDROCORTISONE, 100, 3.75],
    ['dexamethasone 16 mg', DEXAMETHASONE, 16, 16],
  ])('%s is %s mg dexamethasone equivalent', (_label, drug, mg, dex) => {
    expect(exposure(DEFAULT_CONFIG, administration(drug, h(-2), { doseMg: mg }))?.dexamethasoneMg).toBe(dex);
  });

  test('every systemic corticosteroid is summed, not only the one the grade suggests; newest first', () => {
    const e = exposure(DEFAULT_CONFIG, administration(DEXAMETHASONE, h(-20), { doseMg: 10, id: 'd' }), administration(METHYLPREDNISOLONE, h(-1), { doseMg: 1000, id: 'm' }));
    expect(e?.dexamethasoneMg).toBe(197.5);
    expect(e?.doses.map((d) => d.id)).toEqual(['m', 'd']);
  });

  test('the window is (asOf − 24 h, asOf]: exactly 24 h ago is out, 1 ms later is in', () => {
    expect(exposure(DEFAULT_CONFIG, administration(DEXAMETHASONE, h(-24), { doseMg: 10 }))).toBeUndefined();
    expect(exposure(DEFAULT_CONFIG, administration(DEXAMETHASONE, new Date(Date.parse(h(-24)) + 1).toISOString(), { doseMg: 10 }))?.dexamethasoneMg).toBe(10);
  });

  test('a dose in grams is converted; a dose not in mass units is unknown', () => {
    const grams = administration(METHYLPREDNISOLONE, h(-2));
    grams.dosage = { dose: { value: 1, unit: 'g', system: 'http://unitsofmeasure.org', code: 'g' } };
    expect(exposure(DEFAULT_CONFIG, grams)?.dexamethasoneMg).toBe(187.5);
    const tablets = administration(PREDNISONE, h(-2));
    tablets.dosage = { dose: { value: 2, unit: 'TAB' } };
    expect(exposure(DEFAULT_CONFIG, tablets)).toMatchObject({ dexamethasoneMg: 0, unknownDose: true });
  });

  test('a site corticosteroid without an equivalent counts as an unknown dose', () => {
    const site = parseConfig({ codeLists: { corticosteroids: { budesonide: { addNames: ['budesonide'] } } } });
    expect(exposure(site, administration(namedMed('budesonide'), h(-2), { doseMg: 6 }))).toMatchObject({ unknownDose: true, doses: [{ concept: 'budesonide', doseMg: 6 }] });
  });
});
