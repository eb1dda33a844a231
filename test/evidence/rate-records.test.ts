/**
 * E3-R: rate-charted point records (Cerner-style drips) run until superseded by the next record of the
 * same ingredient, stopped (rate 0 or status stopped), or rateRecordActiveHours after their time.
 */
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { extractMedications } from '../../src/evidence/extract-medications.js';
import {
  administration,
  AS_OF,
  AS_OF_DATE,
  carT,
  EPINEPHRINE,
  hoursFrom,
  NOREPINEPHRINE,
  temperature,
} from '../fixtures/grading/builders.js';

const H = 3_600_000;
const asOf = Date.parse(AS_OF);
const h = (hours: number): string => hoursFrom(AS_OF, hours);
const at = (hours: number): number => asOf + hours * H;
const pressors = (...resources: Parameters<typeof extractMedications>[0]) =>
  extractMedications(resources, asOf, DEFAULT_CONFIG).vasopressors.map((e) => ({ id: e.id, end: e.end, inferred: e.rateInferred === true }));

describe('E3-R rate-bearing point records', () => {
  test('a record with a rate runs until the next record of the same ingredient supersedes it', () => {
    expect(pressors(administration(NOREPINEPHRINE, h(-5), { id: 'a', rate: 10 }), administration(NOREPINEPHRINE, h(-3), { id: 'b', rate: 20 }))).toEqual([
      { id: 'a', end: at(-3), inferred: true },
      { id: 'b', end: at(3), inferred: true },
    ]);
  });

  test('without a later record it expires exactly rateRecordActiveHours (6 h) after its time', () => {
    expect(pressors(administration(NOREPINEPHRINE, h(-10), { id: 'a', rate: 10 }))).toEqual([{ id: 'a', end: at(-4), inferred: true }]);
  });

  test('superseded versus expired: a next record 1 ms after the 6 h runs out does not extend the first', () => {
    const next = new Date(at(-4) + 1).toISOString();
    expect(pressors(administration(NOREPINEPHRINE, h(-10), { id: 'a', rate: 10 }), administration(NOREPINEPHRINE, next, { id: 'b', rate: 10 }))[0]).toEqual({
      id: 'a',
      end: at(-4),
      inferred: true,
    });
    expect(pressors(administration(NOREPINEPHRINE, h(-10), { id: 'a', rate: 10 }), administration(NOREPINEPHRINE, h(-5), { id: 'b', rate: 10 }))[0]?.end).toBe(at(-5));
  });

  test('a rate-0 record and a stopped record end the run and are not active themselves', () => {
    expect(pressors(administration(NOREPINEPHRINE, h(-5), { id: 'a', rate: 10 }), administration(NOREPINEPHRINE, h(-4), { id: 'z', rate: 0 }))).toEqual([
      { id: 'a', end: at(-4), inferred: true },
      { id: 'z', end: at(-4), inferred: false },
    ]);
    const stopped = pressors(administration(NOREPINEPHRINE, h(-5), { id: 'a', rate: 10 }), administration(NOREPINEPHRINE, h(-2), { id: 's', rate: 10, status: 'stopped' }));
    expect(stopped).toEqual([
      { id: 'a', end: at(-2), inferred: true },
      { id: 's', end: at(-2), inferred: false },
    ]);
  });

  test('a record of another ingredient does not supersede it; a record without a rate keeps E3 (60 min)', () => {
    expect(pressors(administration(NOREPINEPHRINE, h(-5), { id: 'a', rate: 10 }), administration(EPINEPHRINE, h(-4), { id: 'e' }))).toEqual([
      { id: 'a', end: at(1), inferred: true },
      { id: 'e', end: at(-3), inferred: false },
    ]);
  });

  test('a rate charted as a Ratio (dosage.rateRatio) counts too', () => {
    const ma = administration(NOREPINEPHRINE, h(-2), { id: 'r' });
    ma.dosage = { rateRatio: { numerator: { value: 8, code: 'ug' }, denominator: { value: 1, code: 'min' } } };
    expect(pressors(ma)).toEqual([{ id: 'r', end: at(4), inferred: true }]);
  });
});

describe('E3-R in grading (H2)', () => {
  const cart = carT(h(-4 * 24), { id: 'cart' });
  const fever = temperature(h(-1), 38.6);

  test('two pressors charted as running point records are concurrent: grade 4, "concurrency inferred from charted rates"', () => {
    const a = assessPatient(
      [
        cart,
        fever,
        administration(NOREPINEPHRINE, h(-5), { id: 'ne-1', rate: 12 }),
        administration(NOREPINEPHRINE, h(-3), { id: 'ne-2', rate: 15 }),
        administration(EPINEPHRINE, h(-2), { id: 'epi-1', rate: 5 }),
      ],
      AS_OF_DATE,
      DEFAULT_CONFIG,
    );
    expect(a?.grade).toBe(4);
    expect(a?.hypotension).toMatchObject({ tier: 'multiple-vasopressors', maxConcurrentVasopressors: 2, concurrencyInferredFromRates: true });
  });

  test('without E3-R the same records would be 60-minute points that never overlap (grade 3): the rule is what makes it 4', () => {
    const a = assessPatient(
      [cart, fever, administration(NOREPINEPHRINE, h(-5), { id: 'ne-1' }), administration(EPINEPHRINE, h(-2), { id: 'epi-1' })],
      AS_OF_DATE,
      DEFAULT_CONFIG,
    );
    expect(a?.grade).toBe(3);
    expect(a?.hypotension).not.toHaveProperty('concurrencyInferredFromRates');
  });

  test('norepinephrine stopped (rate 0) before epinephrine starts: one vasopressor at a time, grade 3', () => {
    const a = assessPatient(
      [
        cart,
        fever,
        administration(NOREPINEPHRINE, h(-5), { rate: 12 }),
        administration(NOREPINEPHRINE, h(-3), { rate: 0 }),
        administration(EPINEPHRINE, h(-3), { rate: 5 }),
      ],
      AS_OF_DATE,
      DEFAULT_CONFIG,
    );
    expect(a?.grade).toBe(3);
  });
});
