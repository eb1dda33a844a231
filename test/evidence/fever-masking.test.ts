/**
 * F2 revision 2 through the engine: the systemic route rule and the end of masking, as the review's
 * scenario (an afebrile day +10 hypotension after a hydrocortisone cream or one acetaminophen dose on
 * day +1) and at the rule's boundaries.
 */
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import {
  ACETAMINOPHEN,
  administration,
  AS_OF,
  AS_OF_DATE,
  carT,
  HYDROCORTISONE,
  hoursFrom,
  namedMed,
  o2Device,
  sbp,
  temperature,
  TOCILIZUMAB,
} from '../fixtures/grading/builders.js';

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const day = (n: number): number => -(10 - n) * 24; // hours from AS_OF, which is day +10 after the infusion
const infusion = carT(h(day(0) - 1), { id: 'cart' });
const assess = (...resources: Resource[]) => assessPatient([infusion, ...resources], AS_OF_DATE, DEFAULT_CONFIG);
const dayOneFever = temperature(h(day(1)), 38.8, { id: 'fever-d1' });
const dayTenHypotension = [temperature(h(-2), 37.0), sbp(h(-1), 82)];

describe('F2 end of masking (b): maskingMaxHours after the last masking agent', () => {
  test('a single acetaminophen dose on day +1 no longer makes an afebrile day +10 hypotension CRS', () => {
    const a = assess(dayOneFever, administration(ACETAMINOPHEN, h(day(1) + 1), { id: 'apap' }), ...dayTenHypotension);
    expect(a?.grade).toBe(0);
    expect(a?.fever.masked).toBe(false);
    expect(a?.fever.maskingEnded).toEqual({
      at: new Date(Date.parse(h(day(1) + 1)) + 168 * 3_600_000).toISOString(),
      by: 'max-hours',
      agent: expect.objectContaining({ id: 'apap', kind: 'acetaminophen' }),
    });
    expect(a?.findings?.map((f) => f.code)).toEqual(['not-attributable-without-fever']);
  });

  test('boundary: masked 1 ms before maskingMaxHours after the agent, not at exactly maskingMaxHours', () => {
    // The agent is given exactly maskingMaxHours (168 h) before AS_OF.
    const data = [temperature(h(-170), 38.8), administration(ACETAMINOPHEN, h(-168)), temperature(h(-2), 37), sbp(h(-0.5), 82)];
    const gradeAt = (t: number) => assessPatient([infusion, ...data], new Date(t), DEFAULT_CONFIG)?.grade;
    expect(gradeAt(Date.parse(AS_OF) - 1)).toBe(2);
    expect(gradeAt(Date.parse(AS_OF))).toBe(0);
  });

  test('scheduled antipyretics keep masking on during an ongoing event', () => {
    const doses = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => administration(ACETAMINOPHEN, h(day(d) + 6)));
    const a = assess(dayOneFever, ...doses, o2Device(h(-30), { code: '336623009' }), ...dayTenHypotension);
    expect(a?.fever.masked).toBe(true);
    expect(a?.grade).toBe(2);
  });
});

describe('F2 end of masking (a): a resolution window', () => {
  test('exactly resolutionHours clean with a blood pressure ends masking at that instant; a new hypotension is then not CRS', () => {
    const agent = administration(TOCILIZUMAB, h(-48), { id: 'toci' });
    const data = [temperature(h(-49), 39), agent, sbp(h(-40), 118), temperature(h(-1), 36.8)];
    // Resolution ends at agent + 24 h = h(-24); a low SBP after that is graded 0 without fever.
    const a = assess(...data, sbp(h(-2), 80));
    expect(a?.fever.maskingEnded).toMatchObject({ at: new Date(h(-24)).toISOString(), by: 'resolution' });
    expect(a?.grade).toBe(0);
    const gradeAt = (iso: string) => assessPatient([infusion, ...data, sbp(hoursFrom(iso, -0.5), 80)], new Date(Date.parse(iso) - 1), DEFAULT_CONFIG);
    expect(gradeAt(h(-24))?.fever.masked).toBe(true);
  });

  test('hypotension inside the window keeps the event going: no resolution, still masked', () => {
    const a = assess(temperature(h(-49), 39), administration(TOCILIZUMAB, h(-48)), sbp(h(-40), 84), sbp(h(-20), 85), temperature(h(-1), 36.8), sbp(h(-2), 80));
    expect(a?.fever.masked).toBe(true);
    expect(a?.grade).toBe(2);
  });

  test('G-M keeps the grade reached while masked after masking ended', () => {
    const a = assess(temperature(h(-49), 39), administration(TOCILIZUMAB, h(-48)), sbp(h(-47), 82), sbp(h(-30), 118), temperature(h(-1), 36.8));
    expect(a?.grade).toBe(0);
    expect(a?.episodeMaxGrade).toBe(2);
  });
});

describe('F2 systemic route rule', () => {
  const asOfDayTwo = (...agent: Resource[]) =>
    assessPatient([infusion, dayOneFever, ...agent, temperature(h(day(2)), 37), sbp(h(day(2) + 1), 82)], new Date(h(day(2) + 3)), DEFAULT_CONFIG);

  test('a hydrocortisone cream does not mask (form named in the text): afebrile hypotension is grade 0', () => {
    const a = asOfDayTwo(administration(namedMed('hydrocortisone 1% cream'), h(day(1) + 1)));
    expect(a?.fever.masked).toBe(false);
    expect(a?.grade).toBe(0);
  });

  test.each([
    ['topical (6064005)', { code: '6064005' }],
    ['inhalation (447694001)', { code: '447694001' }],
    ['ophthalmic (54485002)', { code: '54485002' }],
    ['route text "Topical"', { text: 'Topical' }],
  ])('a corticosteroid by the %s route does not mask', (_label, route) => {
    expect(asOfDayTwo(administration(HYDROCORTISONE, h(day(1) + 1), { route }))?.fever.masked).toBe(false);
  });

  test('hydrocortisone without a route or form is systemic and masks; IV too', () => {
    expect(asOfDayTwo(administration(HYDROCORTISONE, h(day(1) + 1)))?.grade).toBe(2);
    expect(asOfDayTwo(administration(HYDROCORTISONE, h(day(1) + 1), { route: { code: '47625008' } }))?.fever.masked).toBe(true);
  });

  test('the same exclusions apply to antipyretics (eye drops of an NSAID do not mask)', () => {
    expect(asOfDayTwo(administration(namedMed('ibuprofen eye drops'), h(day(1) + 1)))?.fever.masked).toBe(false);
    expect(asOfDayTwo(administration(ACETAMINOPHEN, h(day(1) + 1)))?.fever.masked).toBe(true);
  });

  test('a non-systemic corticosteroid does not count toward T-S exposure either', () => {
    expect(asOfDayTwo(administration(namedMed('hydrocortisone 1% cream'), h(day(2)), { doseMg: 10 }))).not.toHaveProperty('corticosteroids');
    expect(asOfDayTwo(administration(HYDROCORTISONE, h(day(2)), { doseMg: 100 }))?.corticosteroids?.dexamethasoneMg).toBe(3.75);
  });
});
