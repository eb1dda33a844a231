import type { Medication, MedicationRequest } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import type { Assessment } from '../../src/grading/assessment.js';
import { adviseOrderSelect } from '../../src/recommend/advise-order-select.js';
import type { Card } from '../../src/recommend/card-types.js';
import type { DraftOrder } from '../../src/recommend/draft-order.js';
import { loadCardTemplates } from '../../src/recommend/templates.js';
import { assertValidCdsCard, assertValidResponse } from '../support/card-invariants.js';
import { assessmentWith, configWith, hoursFromEval, sequentialIds } from './assessment-fixture.js';

const templates = loadCardTemplates();

function request(id: string, doseMg: number, text?: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    subject: { reference: 'Patient/pat-1' },
    medicationCodeableConcept: { text: 'tocilizumab 20 mg/mL injection' },
    dosageInstruction: [
      {
        ...(text === undefined ? {} : { text }),
        doseAndRate: [{ doseQuantity: { value: doseMg, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }],
      },
    ],
  };
}

const tocilizumab = (doseMg: number, id = 'mr-1'): DraftOrder => ({ id, kind: 'tocilizumab', concept: 'tocilizumab', doseMg, resource: request(id, doseMg) });
const steroid = (concept: string): DraftOrder => ({ id: 'mr-s', kind: 'corticosteroid', concept, doseMg: 10, resource: request('mr-s', 10) });
const pressor: DraftOrder = { id: 'mr-v', kind: 'vasopressor', concept: 'norepinephrine', resource: request('mr-v', 1) };
const other: DraftOrder = { id: 'mr-o', kind: 'other', resource: request('mr-o', 500) };

/** Runs order-select and checks the CDS Hooks invariants on every card. */
function advise(a: Assessment | null, drafts: DraftOrder[], config = configWith()): Card[] {
  const cards = adviseOrderSelect(a, drafts, 'pat-1', config, templates, sequentialIds());
  cards.forEach(assertValidCdsCard);
  assertValidResponse({ cards });
  return cards;
}

const doses = (...hoursAgo: number[]) => ({
  doseTimes: hoursAgo.map((h) => hoursFromEval(-h)),
  dosesLast24h: hoursAgo.filter((h) => h < 24).length,
  dosesInEpisode: hoursAgo.length,
});

describe('adviseOrderSelect OS1: tocilizumab dose', () => {
  test('a dose above the weight-based dose by more than 10% gets a warning and an update to the T-D dose', () => {
    const [card, ...rest] = advise(assessmentWith(), [tocilizumab(700)]);
    expect(rest).toEqual([]);
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toBe('Tocilizumab 700 mg is above the recommended dose: 560 mg');
    expect(card?.selectionBehavior).toBe('at-most-one');
    const action = card?.suggestions?.[0]?.actions?.[0];
    expect(action?.type).toBe('update');
    const updated = action?.resource as MedicationRequest;
    expect(updated.id).toBe('mr-1');
    expect(updated.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity).toEqual({ value: 560, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' });
    expect(updated.status).toBe('draft');
    // Contract "Order suggestions": the RxNorm ingredient coding is added, the draft's own text kept.
    expect(updated.medicationCodeableConcept).toEqual({
      text: 'tocilizumab 20 mg/mL injection',
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865', display: 'tocilizumab' }],
    });
  });

  test('the update keeps the product codings of the draft and adds the ingredient coding only when missing', () => {
    const product = { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1657979', display: 'tocilizumab 20 MG/ML Injectable Solution' };
    const ndc = { system: 'http://hl7.org/fhir/sid/ndc', code: '50242-135-01' };
    const coded = (coding: MedicationRequest['medicationCodeableConcept']): DraftOrder => ({
      ...tocilizumab(900),
      resource: { ...request('mr-1', 900), status: 'active', medicationCodeableConcept: coding },
    });
    const [card] = advise(assessmentWith(), [coded({ coding: [product, ndc] })]);
    const updated = card?.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;
    expect(updated.status).toBe('draft');
    expect(updated.medicationCodeableConcept?.coding).toEqual([product, ndc, { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865', display: 'tocilizumab' }]);

    const ingredient = { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865' };
    const [again] = advise(assessmentWith(), [coded({ coding: [ingredient] })]);
    const same = again?.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;
    expect(same.medicationCodeableConcept?.coding).toEqual([ingredient]);
  });

  test('a draft naming a contained Medication keeps its reference; the contained Medication gets the coding', () => {
    const { medicationCodeableConcept: _dropped, ...rest } = request('mr-1', 900);
    const medication: Medication = { resourceType: 'Medication', id: 'med', code: { text: 'Actemra 20 mg/mL' } };
    const resource: MedicationRequest = {
      ...rest,
      contained: [medication],
      medicationReference: { reference: '#med' },
    };
    const [card] = advise(assessmentWith(), [{ ...tocilizumab(900), resource }]);
    const updated = card?.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;
    expect(updated.medicationReference).toEqual({ reference: '#med' });
    expect(updated.medicationCodeableConcept).toBeUndefined();
    expect(updated.contained?.[0]).toEqual({
      resourceType: 'Medication',
      id: 'med',
      code: { text: 'Actemra 20 mg/mL', coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '612865', display: 'tocilizumab' }] },
    });
  });

  test('a draft naming an external Medication gets the warning and the correct dose but no uncoded update', () => {
    const { medicationCodeableConcept: _dropped, ...rest } = request('mr-1', 900);
    const resource: MedicationRequest = { ...rest, medicationReference: { reference: 'Medication/actemra' } };
    const [card] = advise(assessmentWith(), [{ ...tocilizumab(900), resource }]);
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toBe('Tocilizumab 900 mg is above the recommended dose: 560 mg');
    expect(card?.suggestions).toBeUndefined();
  });

  test('a dose within 10% of the weight-based dose is accepted (616 mg for 560 mg)', () => {
    expect(advise(assessmentWith(), [tocilizumab(616)])).toEqual([]);
  });

  test('OS1 tolerance is measured from the unrounded dose: 72.4 kg (579.2 mg) accepts 637 mg, flags 638 mg', () => {
    const a = assessmentWith({ weight: { kg: 72.4, at: hoursFromEval(-5) } });
    expect(advise(a, [tocilizumab(637)])).toEqual([]);
    const [card] = advise(a, [tocilizumab(638)]);
    // The suggested correction stays the rounded T-D dose.
    expect(card?.summary).toBe('Tocilizumab 638 mg is above the recommended dose: 579 mg');
  });

  test('a decimal rounding step suggests a clean dose (0.1 mg: 578.8 mg for 72.35 kg)', () => {
    const a = assessmentWith({ weight: { kg: 72.35, at: hoursFromEval(-5) } });
    const [card] = advise(a, [tocilizumab(700)], configWith({ grading: { doseRoundingMg: 0.1 } }));
    expect(card?.summary).toBe('Tocilizumab 700 mg is above the recommended dose: 578.8 mg');
    const updated = card?.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;
    expect(updated.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value).toBe(578.8);
  });

  test('a dose above 800 mg is flagged even for a heavy patient, corrected to 800 mg', () => {
    const [card] = advise(assessmentWith({ weight: { kg: 120, at: hoursFromEval(-5) } }), [tocilizumab(960)]);
    expect(card?.summary).toBe('Tocilizumab 960 mg is above the recommended dose: 800 mg');
    expect(card?.detail).toContain('maximum dose 800 mg; 120 kg');
  });

  test('the corrected draft replaces its free-text instruction so it cannot contradict the dose', () => {
    const draft: DraftOrder = { ...tocilizumab(900), resource: request('mr-1', 900, 'tocilizumab 900 mg IV') };
    const [card] = advise(assessmentWith(), [draft]);
    const updated = card?.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;
    expect(updated.dosageInstruction?.[0]?.text).toBe('tocilizumab 560 mg IV over 60 min, single dose');
  });

  test('without a weight only the 800 mg cap is checked; the card says the weight is missing and offers no dose', () => {
    const a = assessmentWith({ weight: null });
    expect(advise(a, [tocilizumab(700)])).toEqual([]);
    const [card] = advise(a, [tocilizumab(1000)]);
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toBe('Tocilizumab 1000 mg exceeds the 800 mg maximum per dose; no weight on file');
    expect(card?.detail).toContain('No body weight in the last 30 days');
    expect(card?.suggestions).toBeUndefined();
  });

  test('a draft whose dose is not in mass units is not dose-checked', () => {
    const { doseMg: _ignored, ...noDose } = tocilizumab(2000);
    expect(advise(assessmentWith(), [noDose])).toEqual([]);
  });
});

describe('adviseOrderSelect OS2: tocilizumab limits', () => {
  test('a 4th dose in 24 h is critical, with the next allowed time', () => {
    const [card] = advise(assessmentWith({ tocilizumab: doses(20, 12, 9) }), [tocilizumab(560)]);
    expect(card?.indicator).toBe('critical');
    expect(card?.summary).toBe('Tocilizumab now would exceed the dose limits. Next dose allowed from 2026-11-21 14:00 UTC');
    expect(card?.detail).toContain('3 doses in the last 24 h (max 3)');
  });

  test('a 5th dose in the episode is critical with no next time', () => {
    const [card] = advise(assessmentWith({ tocilizumab: doses(60, 50, 40, 30) }), [tocilizumab(560)]);
    expect(card?.indicator).toBe('critical');
    expect(card?.detail).toContain('No further tocilizumab this episode');
    expect(card?.detail).toContain('4 doses this episode (max 4)');
  });

  test('a dose less than 8 h after the last is critical; exactly 8 h is fine', () => {
    expect(advise(assessmentWith({ tocilizumab: doses(7.5) }), [tocilizumab(560)]).map((c) => c.indicator)).toEqual(['critical']);
    expect(advise(assessmentWith({ tocilizumab: doses(8) }), [tocilizumab(560)])).toEqual([]);
  });

  test('a second selected tocilizumab draft counts the first as the dose before it', () => {
    const cards = advise(assessmentWith(), [tocilizumab(560, 'mr-1'), tocilizumab(560, 'mr-2')]);
    expect(cards.map((c) => c.indicator)).toEqual(['critical']);
    expect(cards[0]?.detail).toContain('Draft order mr-2');
  });

  test('a limit set by another selected draft names it as a selected order counted now, never as given', () => {
    const [card] = advise(assessmentWith(), [tocilizumab(560, 'mr-1'), tocilizumab(560, 'mr-2')]);
    expect(card?.detail).toContain('selected tocilizumab order mr-1 counts as a dose now, less than 8 h apart');
    expect(card?.detail).toContain('Also counted as a dose now: selected tocilizumab order mr-1 (not yet signed).');
    expect(card?.detail).not.toMatch(/given|last dose/i);
  });

  test('with a given dose and another selected draft, the history separates the two', () => {
    const [card] = advise(assessmentWith({ tocilizumab: doses(20) }), [tocilizumab(560, 'mr-1'), tocilizumab(560, 'mr-2')]);
    expect(card?.detail).toContain(
      'Tocilizumab doses charted: 1 dose in the last 24 h, 1 dose this episode, last 2026-11-20 14:00 UTC. Also counted as a dose now: selected tocilizumab order mr-1 (not yet signed).',
    );
  });

  test('a wrong dose that also breaks the limits gets both cards', () => {
    const cards = advise(assessmentWith({ tocilizumab: doses(2) }), [tocilizumab(1200)]);
    expect(cards.map((c) => c.indicator)).toEqual(['warning', 'critical']);
  });
});

describe('adviseOrderSelect OS3: not indicated at this grade', () => {
  test.each([
    { grade: 0 as const, label: '0' },
    { grade: 1 as const, label: '1' },
  ])('tocilizumab at grade $label gets an info card with the grade and the CAR-T reminder', ({ grade, label }) => {
    const [card] = advise(assessmentWith({ grade }), [tocilizumab(560)]);
    expect(card?.indicator).toBe('info');
    expect(card?.summary).toBe(`Tocilizumab selected at CRS grade ${label} (ASTCT): not indicated for CRS at this grade`);
    expect(card?.detail).toContain('Corticosteroids may blunt CAR-T efficacy');
    expect(card?.detail).toContain('**Evidence**');
  });

  test('at an indeterminate grade the card says the grade cannot be determined and asks to confirm the indication', () => {
    const a = assessmentWith({
      grade: undefined,
      indeterminate: true,
      fever: { present: false, max: undefined },
      dataGaps: [{ code: 'no-usable-temperature' }],
      dataQuality: [{ resourceType: 'Observation', id: 't-1', code: 'status-not-counted', value: 39, unit: 'Cel', kind: 'temperature', status: 'entered-in-error' }],
    });
    const [card] = advise(a, [steroid('dexamethasone')]);
    expect(card?.indicator).toBe('info');
    expect(card?.summary).toBe('Dexamethasone selected while the CRS grade cannot be determined (ASTCT): confirm the indication');
    expect(card?.detail).toContain('The CRS grade cannot be determined: no countable temperature in the last 24 h (status entered-in-error).');
    expect(card?.detail).toContain('confirm the indication');
    expect(card?.detail).not.toContain('not indicated');
    expect(card?.detail).toContain('Corticosteroids may blunt CAR-T efficacy');
  });

  test('at an indeterminate grade with nothing charted the gap says no temperature was charted', () => {
    const a = assessmentWith({ grade: undefined, indeterminate: true, fever: { present: false, max: undefined }, dataGaps: [{ code: 'no-temperature' }] });
    const [card] = advise(a, [tocilizumab(560)]);
    expect(card?.detail).toContain('The CRS grade cannot be determined: no temperature charted in the last 24 h.');
  });

  test.each([
    {
      name: 'a T-cell-engager index therapy',
      monitoring: { indexTherapy: { concept: 'teclistamab', category: 't-cell-engager' as const, display: 'Tecvayli', start: '2026-11-18T09:00:00Z' } },
    },
    { name: 'a patient monitored for a CRS diagnosis only (S2)', monitoring: { basis: 'condition' as const, indexTherapy: undefined, dayPlus: undefined, conditionIds: ['c-1'] } },
  ])('OS3: the CAR-T efficacy reminder is left out for $name', ({ monitoring }) => {
    const a = assessmentWith({ grade: 1, monitoring });
    const [card] = advise(a, [steroid('dexamethasone')]);
    expect(card?.summary).toBe('Dexamethasone selected at CRS grade 1 (ASTCT): not indicated for CRS at this grade');
    expect(card?.detail).not.toContain('CAR-T');
    const { grade: _grade, ...indeterminate } = a;
    const [unknown] = advise({ ...indeterminate, indeterminate: true, dataGaps: [{ code: 'no-temperature' }] }, [steroid('dexamethasone')]);
    expect(unknown?.detail).not.toContain('CAR-T');
  });

  test('dexamethasone at grade 1 gets the info card', () => {
    const [card] = advise(assessmentWith({ grade: 1 }), [steroid('dexamethasone')]);
    expect(card?.summary).toBe('Dexamethasone selected at CRS grade 1 (ASTCT): not indicated for CRS at this grade');
  });

  test('tocilizumab at grade 1 with T1 (fever > 72 h) gets no OS3 card', () => {
    const a = assessmentWith({ grade: 1, fever: { firstFeverAt: hoursFromEval(-80) } });
    expect(advise(a, [tocilizumab(560)])).toEqual([]);
  });

  test('a corticosteroid at grade 1 with T1 still gets the card: T1 calls for tocilizumab only', () => {
    const a = assessmentWith({ grade: 1, fever: { firstFeverAt: hoursFromEval(-80) } });
    expect(advise(a, [steroid('methylprednisolone')]).map((c) => c.indicator)).toEqual(['info']);
  });

  test('tocilizumab or a steroid at grade 2 or more gets no OS3 card', () => {
    expect(advise(assessmentWith({ grade: 2 }), [tocilizumab(560), steroid('dexamethasone')])).toEqual([]);
    expect(advise(assessmentWith({ grade: 3 }), [steroid('dexamethasone')])).toEqual([]);
  });
});

describe('adviseOrderSelect OS4 and OS5', () => {
  test.each([1, 2, 3] as const)('a vasopressor for a febrile patient at grade %i gets an info card with the grade-3 plan', (grade) => {
    const [card] = advise(assessmentWith({ grade }), [pressor]);
    expect(card?.indicator).toBe('info');
    expect(card?.summary).toBe('Starting norepinephrine makes CRS grade ≥ 3 (ASTCT): grade 3 management applies');
    expect(card?.detail).toContain(`Current CRS grade: **${grade}** (38.9 °C, SBP 84).`);
    expect(card?.detail).toContain('**Grade 3 management**');
    expect(card?.detail).toContain('- **Tocilizumab 560 mg IV**');
    expect(card?.detail).toContain('- **Dexamethasone 10 mg IV every 6 h**');
    expect(card?.detail).toContain('- ICU-level monitoring, vasopressor and oxygen support, echocardiogram.');
    expect(card?.detail).not.toMatch(/methylprednisolone/i);
    expect(card?.suggestions).toBeUndefined();
  });

  test('a vasopressor for a patient already at grade 4 gets the grade-4 bundle: methylprednisolone, not dexamethasone', () => {
    const a = assessmentWith({ grade: 4, oxygen: { tier: 'positive-pressure', evidence: [{ resourceType: 'Observation', time: hoursFromEval(-1), kind: 'o2-device', display: 'BiPAP' }] } });
    const [card] = advise(a, [pressor]);
    expect(card?.summary).toBe('Starting norepinephrine makes CRS grade ≥ 3 (ASTCT): grade 4 management applies');
    expect(card?.detail).toContain('**Grade 4 management**');
    expect(card?.detail).toContain('- **Methylprednisolone 1000 mg IV once daily for 3 days**');
    expect(card?.detail).toContain('- ICU care; mechanical ventilation as needed.');
    // C3: the refractory options once.
    expect(card?.detail?.match(/siltuximab 11 mg\/kg IV or anakinra per institutional protocol/g)).toHaveLength(1);
    expect(card?.detail).not.toMatch(/dexamethasone|grade 3 management/i);
  });

  test('a vasopressor for a fever-masked patient gets the card, worded for masking', () => {
    const a = assessmentWith({ fever: { present: false, masked: true, maskedBy: { resourceType: 'MedicationAdministration', time: hoursFromEval(-20), kind: 'acetaminophen' } } });
    const [card, ...rest] = advise(a, [pressor]);
    expect(rest).toEqual([]);
    expect(card?.indicator).toBe('info');
    expect(card?.detail).toContain(
      'Current CRS grade: **2** (afebrile after acetaminophen, SBP 84). With fever, or with fever masked by treatment, any vasopressor makes CRS grade 3 or higher.',
    );
    expect(card?.detail).not.toContain('With fever (');
  });

  test('a vasopressor for an afebrile, unmasked patient gets no card', () => {
    expect(advise(assessmentWith({ grade: 0, fever: { present: false, masked: false } }), [pressor])).toEqual([]);
  });

  test('an unmonitored patient (no assessment) gets no card for any order', () => {
    expect(advise(null, [tocilizumab(2000), steroid('dexamethasone'), pressor])).toEqual([]);
  });

  test('an unrelated drug gets no card', () => {
    expect(advise(assessmentWith({ grade: 0 }), [other])).toEqual([]);
  });
});

describe('order-select with T-S (revision 2)', () => {
  const pulse = {
    windowHours: 24,
    dexamethasoneMg: 187.5,
    doses: [{ concept: 'methylprednisolone', time: hoursFromEval(-1), doseMg: 1000, dexamethasoneMg: 187.5 }],
  };

  test('a corticosteroid selected on top of pulse methylprednisolone at grade 3 is flagged: no second corticosteroid', () => {
    const [card, ...rest] = advise(assessmentWith({ grade: 3, corticosteroids: pulse }), [steroid('dexamethasone')]);
    expect(rest).toEqual([]);
    expect(card?.indicator).toBe('warning');
    expect(card?.summary).toBe('Dexamethasone selected on top of methylprednisolone 1000 mg at 2026-11-21 09:00 UTC: no second corticosteroid');
    expect(card?.detail).toContain('CRS grade 3 calls for dexamethasone 10 mg IV every 6 h, which this already covers');
    expect(card?.links?.map((l) => l.url)).toContain('https://doi.org/10.1200/JCO.21.01992');
  });

  test('T-E: a corticosteroid selected while the exposure is below the grade\'s regimen is the escalation: no card', () => {
    const low = { windowHours: 24, dexamethasoneMg: 20, doses: [{ concept: 'dexamethasone', time: hoursFromEval(-4), doseMg: 10, dexamethasoneMg: 10 }] };
    expect(advise(assessmentWith({ grade: 3, corticosteroids: low }), [steroid('dexamethasone')])).toEqual([]);
  });

  test('at grade 2 without a regimen, any corticosteroid already given is flagged; a dose of unknown strength too', () => {
    expect(advise(assessmentWith({ grade: 2, corticosteroids: pulse }), [steroid('dexamethasone')]).map((c) => c.indicator)).toEqual(['warning']);
    const unknown = { windowHours: 24, dexamethasoneMg: 0, unknownDose: true as const, doses: [{ concept: 'hydrocortisone', time: hoursFromEval(-2) }] };
    const [card] = advise(assessmentWith({ grade: 4, corticosteroids: unknown }), [steroid('methylprednisolone')]);
    expect(card?.summary).toBe('Methylprednisolone selected on top of hydrocortisone (dose not charted) at 2026-11-21 08:00 UTC: no second corticosteroid');
  });

  test('at grade ≤ 1 the OS3 card alone, its evidence listing the current corticosteroids', () => {
    const cards = advise(assessmentWith({ grade: 1, corticosteroids: pulse }), [steroid('dexamethasone')]);
    expect(cards.map((c) => c.summary)).toEqual(['Dexamethasone selected at CRS grade 1 (ASTCT): not indicated for CRS at this grade']);
    expect(cards[0]?.detail).toContain('- Corticosteroids in the last 24 h: methylprednisolone 1000 mg at 2026-11-21 09:00 UTC (dexamethasone equivalent 187.5 mg)');
  });

  test('OS4 applies T-S to the bundle: on pulse methylprednisolone the grade-3 bundle continues it rather than adding dexamethasone', () => {
    const [card] = advise(assessmentWith({ grade: 2, corticosteroids: pulse }), [pressor]);
    expect(card?.detail).toContain('- Continue methylprednisolone (1000 mg at 2026-11-21 09:00 UTC) — no second corticosteroid.');
    expect(card?.detail).not.toContain('**Dexamethasone');
  });

  test('S2-T: OS4 for a condition-only patient shows no CAR-T bundle orders', () => {
    const a = assessmentWith({ monitoring: { basis: 'condition', episodeStart: hoursFromEval(-30), indexTherapy: undefined, dayPlus: undefined, conditionIds: ['c-1'] } });
    const [card] = advise(a, [pressor]);
    expect(card?.detail).toContain('no CAR-T CRS orders are suggested');
    expect(card?.detail).not.toMatch(/\*\*Tocilizumab|\*\*Dexamethasone/);
  });
});
