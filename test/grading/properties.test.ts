import type { Resource } from 'fhir/r4.js';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import {
  ACETAMINOPHEN,
  administration,
  AS_OF,
  AS_OF_DATE,
  carT,
  EPINEPHRINE,
  fio2,
  HYDROCORTISONE,
  hoursFrom,
  NOREPINEPHRINE,
  o2Device,
  o2Flow,
  sbp,
  temperature,
  TOCILIZUMAB,
  VASOPRESSIN,
} from '../fixtures/grading/builders.js';

const EPISODE_HOURS = -5 * 24;
const infusion = carT(hoursFrom(AS_OF, EPISODE_HOURS), { id: 'cart' });
const DEVICE_CODES = ['336623009', '426854004', '47545007'] as const; // low-flow, high-flow, positive pressure

/** A random datum at a given hour offset from AS_OF; `n` makes ids unique. */
const datum = (offset: number, n: number): fc.Arbitrary<Resource> => {
  const at = hoursFrom(AS_OF, offset);
  const id = `r${n}`;
  return fc.oneof(
    fc.integer({ min: 360, max: 405 }).map((v) => temperature(at, v / 10, { id })),
    fc.integer({ min: 60, max: 140 }).map((v) => sbp(at, v, { id })),
    fc.integer({ min: 0, max: 15 }).map((v) => o2Flow(at, v, { id })),
    fc.constantFrom(...DEVICE_CODES).map((code) => o2Device(at, { code }, { id })),
    fc.constantFrom(NOREPINEPHRINE, EPINEPHRINE, VASOPRESSIN).chain((med) =>
      fc.integer({ min: 0, max: 6 }).map((len) =>
        len === 0 ? administration(med, at, { id }) : administration(med, at, { id, end: hoursFrom(at, len) }),
      ),
    ),
    fc.constantFrom(ACETAMINOPHEN, TOCILIZUMAB).map((med) => administration(med, at, { id })),
    // Revision 2: FiO2 (O1), rate-charted drips (E3-R), a systemic or topical corticosteroid (F2).
    fc.integer({ min: 21, max: 60 }).map((v) => fio2(at, v, { id })),
    fc.constantFrom(NOREPINEPHRINE, EPINEPHRINE).chain((med) => fc.integer({ min: 0, max: 20 }).map((rate) => administration(med, at, { id, rate }))),
    fc.constantFrom(undefined, '6064005').map((code) => administration(HYDROCORTISONE, at, { id, ...(code === undefined ? {} : { route: { code } }) })),
  );
};

/** A record of data inside the episode (between the infusion and asOf). */
const record = fc
  .array(fc.integer({ min: EPISODE_HOURS * 4, max: 0 }), { maxLength: 25 })
  .chain((offsets) => fc.tuple(...offsets.map((q, n) => datum(q / 4, n))));

/** H1-P: the record is a 6-year-old's, so the age-based threshold is in play too. */
const child = { resourceType: 'Patient', id: 'p1', birthDate: '2020-06-01' } as Resource;
const assess = (resources: readonly Resource[]) => assessPatient([infusion, child, ...resources], AS_OF_DATE, DEFAULT_CONFIG);

describe('grading properties', () => {
  test('data dated before the episode (activity over before it starts) or after asOf never changes the current grade', () => {
    const outside = fc.oneof(
      fc.integer({ min: EPISODE_HOURS - 20 * 24, max: EPISODE_HOURS - 8 }),
      fc.integer({ min: 1, max: 48 }),
    );
    fc.assert(
      fc.property(record, outside.chain((o) => datum(o, 999)), (data, extra) => {
        const before = assess(data);
        const after = assess([...data, extra]);
        expect(after?.grade).toBe(before?.grade);
        expect(after?.episodeMaxGrade).toBe(before?.episodeMaxGrade);
      }),
      { numRuns: 200 },
    );
  });

  test('raising the oxygen tier never lowers the grade', () => {
    fc.assert(
      fc.property(record, fc.integer({ min: -24, max: 0 }), (data, offset) => {
        const at = hoursFrom(AS_OF, offset);
        const grades = DEVICE_CODES.map((code) => assess([...data, o2Device(at, { code }, { id: 'dev' })])?.grade ?? null);
        const base = assess(data)?.grade ?? null;
        for (const [i, g] of [base, ...grades].entries()) {
          const next = grades[i];
          if (next === undefined) continue;
          // Indeterminate is not a low grade: more support may keep F2 masking on (no resolution) and grade it.
          if (next === null) expect(g).toBeNull();
          else if (g !== null) expect(next).toBeGreaterThanOrEqual(g);
        }
      }),
      { numRuns: 150 },
    );
  });

  test('permuting the input order never changes the result', () => {
    fc.assert(
      fc.property(
        record.chain((data) => fc.tuple(fc.constant(data), fc.shuffledSubarray([...data], { minLength: data.length }))),
        ([data, shuffled]) => {
          expect(assessPatient([...shuffled, child, infusion], AS_OF_DATE, DEFAULT_CONFIG)).toStrictEqual(assess(data));
        },
      ),
      { numRuns: 150 },
    );
  });

  test('the episode maximum is never below the current grade', () => {
    fc.assert(
      fc.property(record, (data) => {
        const a = assess(data);
        if (a?.grade !== undefined) expect(a.episodeMaxGrade).toBeGreaterThanOrEqual(a.grade);
      }),
      { numRuns: 150 },
    );
  });
});
