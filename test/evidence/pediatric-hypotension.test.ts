/**
 * H1-P: the SBP threshold from Patient.birthDate for children under 10 at the evaluation time:
 * 70 + 2 × age in whole years (1–9), 70 for infants (1–11 months), 60 under one month; sbpBelow from 10 on
 * and when pediatricHypotension is false. The episode maximum uses the threshold of each instant.
 */
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { sbpThresholds } from '../../src/evidence/patient-age.js';
import { AS_OF, AS_OF_DATE, carT, hoursFrom, patient, sbp, temperature } from '../fixtures/grading/builders.js';

const asOf = Date.parse(AS_OF); // 2026-11-21T10:00:00Z
const h = (hours: number): string => hoursFrom(AS_OF, hours);
const infusion = carT(h(-3 * 24), { id: 'cart' });
const fever = temperature(h(-1), 38.6);
const thresholdFor = (birthDate: string) => sbpThresholds([patient(birthDate)], asOf - 3 * 86_400_000, asOf, DEFAULT_CONFIG.grading).atAsOf;
const gradeWith = (birthDate: string, value: number, config = DEFAULT_CONFIG) =>
  assessPatient([infusion, patient(birthDate), fever, sbp(h(-1), value)], AS_OF_DATE, config);

describe('H1-P thresholds by age at the evaluation time', () => {
  test.each([
    ['2016-12-21', 'age 9 y 11 m', { mmHg: 88, ageYears: 9 }],
    ['2016-11-21', 'exactly 10 years', undefined],
    ['2016-11-22', '10 years minus a day', { mmHg: 88, ageYears: 9 }],
    ['2020-06-01', 'age 6', { mmHg: 82, ageYears: 6 }],
    ['2025-11-21', 'exactly 1 year', { mmHg: 72, ageYears: 1 }],
    ['2025-11-22', '11 months', { mmHg: 70, ageYears: 0, ageMonths: 11 }],
    ['2026-10-21', 'exactly 1 month', { mmHg: 70, ageYears: 0, ageMonths: 1 }],
    ['2026-10-22', '30 days (under one month)', { mmHg: 60, ageYears: 0, ageMonths: 0 }],
    ['2026-11-21', 'born today', { mmHg: 60, ageYears: 0, ageMonths: 0 }],
  ])('born %s (%s)', (birthDate, _label, expected) => {
    expect(thresholdFor(birthDate)).toEqual(expected);
  });

  test('a partial birth date reads as its earliest day (the oldest possible age: the higher threshold)', () => {
    expect(thresholdFor('2020')).toEqual({ mmHg: 82, ageYears: 6 });
    expect(thresholdFor('2016-11')).toBeUndefined();
  });

  test('no birth date, a future birth date, or pediatricHypotension false: sbpBelow for every age', () => {
    expect(sbpThresholds([], 0, asOf, DEFAULT_CONFIG.grading)).toEqual({ steps: [] });
    expect(thresholdFor('2027-01-01')).toBeUndefined();
    const off = { ...DEFAULT_CONFIG.grading, pediatricHypotension: false };
    expect(sbpThresholds([patient('2020-06-01')], 0, asOf, off)).toEqual({ steps: [] });
  });
});

describe('H1-P in grading', () => {
  test('a 6-year-old with SBP 86 is not hypotensive (threshold 82); SBP 81 is, and says the threshold used', () => {
    expect(gradeWith('2020-06-01', 86)?.grade).toBe(1);
    const a = gradeWith('2020-06-01', 81);
    expect(a?.grade).toBe(2);
    expect(a?.hypotension.sbpThreshold).toEqual({ mmHg: 82, ageYears: 6 });
  });

  test('boundary: SBP 82 at age 6 is not below 82; at age 9 y 11 m SBP 87 is below 88; at 10 SBP 89 is below 90', () => {
    expect(gradeWith('2020-06-01', 82)?.grade).toBe(1);
    expect(gradeWith('2016-12-21', 87)?.grade).toBe(2);
    expect(gradeWith('2016-12-21', 88)?.grade).toBe(1);
    expect(gradeWith('2016-11-21', 89)?.grade).toBe(2);
  });

  test('pediatricHypotension false grades a child by sbpBelow', () => {
    const off = { ...DEFAULT_CONFIG, grading: { ...DEFAULT_CONFIG.grading, pediatricHypotension: false } };
    expect(gradeWith('2020-06-01', 86, off)?.grade).toBe(2);
    expect(gradeWith('2020-06-01', 86, off)?.hypotension).not.toHaveProperty('sbpThreshold');
  });

  test('G-M: a 10th birthday in the episode raises the threshold from that instant (88 → 90)', () => {
    // Born 2016-11-20: 10 years old from 2026-11-20T00:00Z. SBP 89 charted the evening before, fever with it.
    const data: Resource[] = [infusion, patient('2016-11-20'), temperature(hoursFrom('2026-11-19T22:00:00Z', 0), 38.4), sbp('2026-11-19T22:00:00Z', 89)];
    const before = assessPatient(data, new Date('2026-11-19T23:00:00Z'), DEFAULT_CONFIG);
    expect(before?.grade).toBe(1);
    const after = assessPatient(data, new Date('2026-11-20T06:00:00Z'), DEFAULT_CONFIG);
    expect(after?.grade).toBe(2);
    expect(after?.episodeMaxGradeAt).toBe('2026-11-20T00:00:00.000Z');
  });
});
