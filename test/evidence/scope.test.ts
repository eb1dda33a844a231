import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { AS_OF, AS_OF_DATE, carT, condition, hoursFrom, namedMed, administration, temperature } from '../fixtures/grading/builders.js';

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const assess = (...resources: Resource[]) => assessPatient(resources, AS_OF_DATE, DEFAULT_CONFIG);

describe('scope and episode (S1, S1-E, S2, S3)', () => {
  test('S3: a patient without therapy or CRS diagnosis is not monitored', () => {
    expect(assess(temperature(h(-1), 39.5))).toBeNull();
  });

  test('S1: the most recent therapy is the index therapy and day +N counts whole 24 h periods', () => {
    const a = assess(carT(h(-10 * 24), { id: 'first' }), carT(h(-(3 * 24 + 23)), { id: 'second' }), temperature(h(-1), 37));
    expect(a?.monitoring.indexTherapy?.id).toBe('second');
    expect(a?.monitoring.dayPlus).toBe(3);
    expect(a?.monitoring.basis).toBe('therapy');
  });

  test('S1: day 0 is the first 24 h after the infusion', () => {
    expect(assess(carT(h(-23.9)), temperature(h(-1), 37))?.monitoring.dayPlus).toBe(0);
    expect(assess(carT(h(-24)), temperature(h(-1), 37))?.monitoring.dayPlus).toBe(1);
  });

  test('S1-E: step-up T-cell-engager doses extend one episode from the earliest dose', () => {
    const a = assess(
      administration(namedMed('teclistamab-cqyv 0.06 mg/kg step-up'), h(-7 * 24)),
      administration(namedMed('Tecvayli 1.5 mg/kg'), h(-2 * 24)),
      temperature(h(-1), 37),
    );
    expect(a?.monitoring.episodeStart).toBe(new Date(h(-7 * 24)).toISOString());
    expect(a?.monitoring.indexTherapy?.category).toBe('t-cell-engager');
  });

  test('S1-E: a fever before the infusion is not CRS', () => {
    const a = assess(carT(h(-6)), temperature(h(-8), 39), temperature(h(-1), 37.2));
    expect(a?.grade).toBe(0);
    expect(a?.episodeMaxGrade).toBe(0);
    expect(a?.fever.firstFeverAt).toBeUndefined();
  });

  test('S1: a running infusion started before the window counts while it runs', () => {
    const a = assess(carT(h(-40 * 24), { period: true, status: 'in-progress' }), temperature(h(-1), 38.1));
    expect(a?.grade).toBe(1);
  });

  test('S2: an active D89.832 (dot optional, no system) monitors without therapy; episode from onset, no day +N', () => {
    const a = assess(condition('D89832', { id: 'c1', system: null, onset: h(-48) }), temperature(h(-1), 38.3));
    expect(a?.monitoring).toEqual({ basis: 'condition', episodeStart: new Date(h(-48)).toISOString(), conditionIds: ['c1'] });
    expect(a?.grade).toBe(1);
  });

  test('S2: the episode never starts before the monitoring window', () => {
    const a = assess(condition('D89.839', { onset: h(-100 * 24) }), temperature(h(-1), 37));
    expect(a?.monitoring.episodeStart).toBe(new Date(h(-28 * 24)).toISOString());
  });

  test.each([
    ['resolved clinical status', { clinical: 'resolved' }],
    ['refuted verification', { verification: 'refuted' }],
    ['entered-in-error verification', { verification: 'entered-in-error' }],
    ['another system', { system: 'http://snomed.info/sct' }],
  ])('S2: a CRS Condition with %s does not monitor', (_t, options) => {
    expect(assess(condition('D89.83', options), temperature(h(-1), 38.3))).toBeNull();
  });

  test.each([
    ['recurrence', { clinical: 'recurrence' }],
    ['relapse', { clinical: 'relapse' }],
    ['no clinical status', { clinical: null }],
    ['a provisional verification', { verification: 'provisional' }],
  ])('S2: a CRS Condition with %s monitors', (_t, options) => {
    expect(assess(condition('D89.83', options), temperature(h(-1), 38.3))).not.toBeNull();
  });

  test('S1 and S2 both apply: the therapy defines the episode', () => {
    const a = assess(condition('D89.831', { id: 'c', onset: h(-20 * 24) }), carT(h(-5 * 24)), temperature(h(-1), 37));
    expect(a?.monitoring.basis).toBe('therapy');
    expect(a?.monitoring.episodeStart).toBe(new Date(h(-5 * 24)).toISOString());
    expect(a?.monitoring.conditionIds).toEqual(['c']);
  });
});
