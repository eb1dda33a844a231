/**
 * Treatment decisions of revision 2: T-S (exposure in dexamethasone equivalents, at or above the grade's
 * regimen: no second corticosteroid), T-E (below it: escalate), T-P (early steroids per product, option),
 * S2-T (no section 4 suggestions for condition-only patients unless the site turns them on).
 */
import { describe, expect, test } from 'vitest';
import type { Assessment } from '../../src/grading/assessment.js';
import { planSteroid, planTreatment, regimenDexamethasoneMg } from '../../src/recommend/treatment-plan.js';
import { assessmentWith, configWith, hoursFromEval } from './assessment-fixture.js';

const config = configWith();
const steroids = config.treatment.steroids;
const exposure = (dexamethasoneMg: number, unknownDose = false): Assessment['corticosteroids'] => ({
  windowHours: 24,
  dexamethasoneMg,
  ...(unknownDose ? { unknownDose: true as const } : {}),
  doses: [{ concept: 'dexamethasone', time: hoursFromEval(-2), ...(unknownDose ? {} : { doseMg: dexamethasoneMg, dexamethasoneMg }) }],
});

describe('T-S: daily dexamethasone equivalent of each regimen', () => {
  test.each([
    ['T2 dexamethasone 10 mg q12h', steroids.grade2Refractory, 20],
    ['grade 3 dexamethasone 10 mg q6h', steroids.grade3, 40],
    ['grade 4 methylprednisolone 1000 mg daily', steroids.grade4, 187.5],
    ['T-P dexamethasone 10 mg once', steroids.grade2Early, 10],
  ])('%s is %s mg', (_label, regimen, mg) => {
    expect(regimenDexamethasoneMg(regimen, config)).toBe(mg);
  });
});

describe('T-S / T-E at the boundary', () => {
  test.each([
    [0, undefined, 'give'],
    [39.999, 'escalate', 'give'],
    [40, undefined, 'continue'],
    [187.5, undefined, 'continue'],
  ] as const)('grade 3 with %s mg dexamethasone equivalent in 24 h: %s', (mg, escalate, status) => {
    const a = assessmentWith({ grade: 3, ...(mg === 0 ? {} : { corticosteroids: exposure(mg) }) });
    const plan = planSteroid(a, steroids.grade3, config);
    expect(plan.status).toBe(status);
    expect(plan.status === 'give' && plan.escalateFrom !== undefined).toBe(escalate === 'escalate');
  });

  test('grade 4 after dexamethasone 40 mg/day escalates to methylprednisolone (40 < 187.5)', () => {
    const plan = planSteroid(assessmentWith({ grade: 4, corticosteroids: exposure(40) }), steroids.grade4, config);
    expect(plan).toMatchObject({ status: 'give', regimen: { concept: 'methylprednisolone' }, escalateFrom: { concept: 'dexamethasone' } });
  });

  test('a corticosteroid of unknown dose: no second one is suggested (the safer reading)', () => {
    expect(planSteroid(assessmentWith({ grade: 3, corticosteroids: exposure(0, true) }), steroids.grade3, config).status).toBe('unknown-dose');
  });
});

describe('T-P early steroids per product (option, default off)', () => {
  const early = configWith({ treatment: { earlySteroidProducts: ['axicabtagene-ciloleucel'] } });

  test('off by default: grade 2 without two tocilizumab doses gets no corticosteroid', () => {
    expect(planTreatment(assessmentWith(), config).steroid).toBeUndefined();
  });

  test('listed product: grade 2 suggests dexamethasone 10 mg IV once, without T2\'s two-dose condition', () => {
    expect(planTreatment(assessmentWith(), early).steroid).toEqual({ status: 'give', regimen: steroids.grade2Early });
  });

  test('an unlisted product, or grade 1, gets none', () => {
    const other = assessmentWith({ monitoring: { indexTherapy: { concept: 'tisagenlecleucel', category: 'car-t', display: 'Kymriah', start: hoursFromEval(-72) } } });
    expect(planTreatment(other, early).steroid).toBeUndefined();
    expect(planTreatment(assessmentWith({ grade: 1 }), early).steroid).toBeUndefined();
  });
});

describe('S2-T condition-only patients', () => {
  const conditionOnly = assessmentWith({
    grade: 3,
    monitoring: { basis: 'condition', episodeStart: hoursFromEval(-30), indexTherapy: undefined, dayPlus: undefined, conditionIds: ['c-1'] },
  });

  test('no tocilizumab and no corticosteroid suggestion, and the plan says why', () => {
    const plan = planTreatment(conditionOnly, config);
    expect(plan).toMatchObject({ conditionOnly: true });
    expect(plan.tocilizumab).toBeUndefined();
    expect(plan.steroid).toBeUndefined();
  });

  test('treatment.conditionOnlySuggestions true turns the section 4 suggestions back on', () => {
    const plan = planTreatment(conditionOnly, configWith({ treatment: { conditionOnlySuggestions: true } }));
    expect(plan.conditionOnly).toBe(false);
    expect(plan.tocilizumab?.status).toBe('give');
    expect(plan.steroid?.status).toBe('give');
  });
});
