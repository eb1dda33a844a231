import { describe, expect, test } from 'vitest';
import { normaliseQuantity } from '../../src/evidence/units.js';

describe('normaliseQuantity (E5)', () => {
  test.each([
    ['°F by UCUM code [degF]', { value: 100.4, code: '[degF]', system: 'http://unitsofmeasure.org' }, 'temperature', 38],
    ['°C by UCUM code Cel', { value: 38.1, code: 'Cel' }, 'temperature', 38.1],
    ['mL/min converted to L/min', { value: 500, code: 'mL/min' }, 'flow', 0.5],
    ['grams converted to kg', { value: 70500, code: 'g' }, 'weight', 70.5],
    ['[lb_av] converted to kg', { value: 100, code: '[lb_av]' }, 'weight', 45.359237],
    ['unit text "°F" used when the code is absent', { value: 212, unit: '°F' }, 'temperature', 100],
    ['unit text "LPM" used when the code is absent', { value: 4, unit: 'LPM' }, 'flow', 4],
    ['unit text "lbs" used when the code is absent', { value: 10, unit: 'lbs' }, 'weight', 4.5359237],
    ['unit text "mmHg" used when the code is absent', { value: 88, unit: 'mmHg' }, 'pressure', 88],
  ] as const)('%s', (_title, quantity, kind, expected) => {
    expect(normaliseQuantity(quantity, kind)).toBeCloseTo(expected, 6);
  });

  test('F1 with E5: 100.4 °F is exactly 38.0 °C, so it is a fever', () => {
    expect(normaliseQuantity({ value: 100.4, code: '[degF]' }, 'temperature')).toBe(38);
  });

  test('the UCUM code is authoritative: an unknown code is not rescued by a readable unit text', () => {
    expect(normaliseQuantity({ value: 38, code: 'K', unit: '°C' }, 'temperature')).toBeUndefined();
  });

  test.each(['valueOf', 'constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a unit named like a JavaScript object property (%s) is not understood, as code or as text (E5)',
    (name) => {
      expect(normaliseQuantity({ value: 39, code: name, system: 'http://unitsofmeasure.org' }, 'temperature')).toBeUndefined();
      expect(normaliseQuantity({ value: 39, unit: name }, 'temperature')).toBeUndefined();
    },
  );

  test('a malformed (non-string) code or unit is no unit, not a crash (E5)', () => {
    expect(normaliseQuantity({ value: 39, code: 5 as unknown as string }, 'temperature')).toBeUndefined();
    expect(normaliseQuantity({ value: 39, unit: { text: '°C' } as unknown as string }, 'temperature')).toBeUndefined();
  });

  test('a code from another system is not UCUM, so the unit text is tried', () => {
    expect(normaliseQuantity({ value: 38, system: 'http://example.org/units', code: 'XC', unit: 'degC' }, 'temperature')).toBe(38);
  });

  test('an unknown unit text, or none at all, is not understood (never guessed)', () => {
    expect(normaliseQuantity({ value: 38, unit: 'degrees' }, 'temperature')).toBeUndefined();
    expect(normaliseQuantity({ value: 38 }, 'temperature')).toBeUndefined();
  });
});
