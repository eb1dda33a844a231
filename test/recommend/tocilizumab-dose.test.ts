import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { tocilizumabDose } from '../../src/recommend/tocilizumab-dose.js';

const dosing = DEFAULT_CONFIG.treatment.tocilizumab;

describe('tocilizumabDose (T-D)', () => {
  test.each([
    { weightKg: 18, rounding: 1, doseMg: 216, mgPerKg: 12, capped: false, why: '12 mg/kg below 30 kg' },
    { weightKg: 29.99, rounding: 1, doseMg: 359, mgPerKg: 12, capped: false, why: 'just below 30 kg, 359.88 rounded down' },
    { weightKg: 30, rounding: 1, doseMg: 240, mgPerKg: 8, capped: false, why: '8 mg/kg at exactly 30 kg' },
    { weightKg: 70, rounding: 1, doseMg: 560, mgPerKg: 8, capped: false, why: '8 mg/kg' },
    { weightKg: 69.853, rounding: 1, doseMg: 558, mgPerKg: 8, capped: false, why: '154 lb: 558.8 rounded DOWN' },
    { weightKg: 100, rounding: 1, doseMg: 800, mgPerKg: 8, capped: false, why: 'exactly the maximum is not capped' },
    { weightKg: 120, rounding: 1, doseMg: 800, mgPerKg: 8, capped: true, why: '960 capped at 800' },
    { weightKg: 70, rounding: 25, doseMg: 550, mgPerKg: 8, capped: false, why: 'rounded down to a multiple of 25' },
    { weightKg: 120, rounding: 30, doseMg: 780, mgPerKg: 8, capped: true, why: 'cap then round down: never above 800' },
  ])('gives $doseMg mg for $weightKg kg with $rounding mg rounding ($why)', ({ weightKg, rounding, doseMg, mgPerKg, capped }) => {
    expect(tocilizumabDose(weightKg, dosing, rounding)).toMatchObject({ doseMg, mgPerKg, capped });
  });

  test.each([
    { rounding: 0.1, doseMg: 578.8 },
    { rounding: 0.5, doseMg: 578.5 },
    { rounding: 25, doseMg: 575 },
    { rounding: 0.25, doseMg: 578.75 },
  ])('a $rounding mg step gives exactly $doseMg mg for 72.35 kg (578.8 mg), with no binary-fraction tail', ({ rounding, doseMg }) => {
    const dose = tocilizumabDose(72.35, dosing, rounding);
    expect(dose.doseMg).toBe(doseMg);
    expect(String(dose.doseMg)).toBe(String(doseMg));
  });

  test('reports the unrounded capped dose that OS1 measures its tolerance from', () => {
    expect(tocilizumabDose(72.4, dosing, 1)).toEqual({ doseMg: 579, mgPerKg: 8, capped: false, exactMg: expect.closeTo(579.2, 9) });
    expect(tocilizumabDose(120, dosing, 1).exactMg).toBe(800);
  });

  test('takes every number from configuration', () => {
    const site = { ...dosing, mgPerKg: 4, maxDoseMg: 400 };
    expect(tocilizumabDose(70, site, 1)).toMatchObject({ doseMg: 280, mgPerKg: 4, capped: false });
    expect(tocilizumabDose(120, site, 1)).toMatchObject({ doseMg: 400, mgPerKg: 4, capped: true });
  });
});
