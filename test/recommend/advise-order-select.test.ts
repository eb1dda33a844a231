import type { MedicationRequest } from 'fhir/r4.js';
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
    expect(updated.medicationCodeableConcept).toEqual({ text: 'tocilizumab 20 mg/mL injection' });
  });

  test('a dose within 10% of the weight-based dose is accepted (616 mg for 560 mg)', () => {
    expect(advise(assessmentWith(), [tocilizumab(616)])).toEqual([]);
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

  test('a wrong dose that also breaks the limits gets both cards', () => {
    const cards = advise(assessmentWith({ tocilizumab: doses(2) }), [tocilizumab(1200)]);
    expect(cards.map((c) => c.indicator)).toEqual(['warning', 'critical']);
  });
});

describe('adviseOrderSelect OS3: not indicated at this grade', () => {
  test.each([
    { grade: 0 as const, label: '0' },
    { grade: 1 as const, label: '1' },
    { grade: null, label: 'indeterminate' },
  ])('tocilizumab at grade $label gets an info card with the grade and the CAR-T reminder', ({ grade, label }) => {
    const [card] = advise(assessmentWith({ grade }), [tocilizumab(560)]);
    expect(card?.indicator).toBe('info');
    expect(card?.summary).toBe(`Tocilizumab selected at CRS grade ${label} (ASTCT): not indicated for CRS at this grade`);
    expect(card?.detail).toContain('Corticosteroids may blunt CAR-T efficacy');
    expect(card?.detail).toContain('**Evidence**');
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
  test('a vasopressor for a febrile patient gets an info card with the grade-3 plan', () => {
    const [card] = advise(assessmentWith({ grade: 1 }), [pressor]);
    expect(card?.indicator).toBe('info');
    expect(card?.summary).toBe('Starting norepinephrine makes CRS grade ≥ 3 (ASTCT): grade 3 management applies');
    expect(card?.detail).toContain('**Tocilizumab 560 mg IV**');
    expect(card?.detail).toContain('**dexamethasone 10 mg IV every 6 h**');
    expect(card?.suggestions).toBeUndefined();
  });

  test('a vasopressor for a fever-masked patient gets the card too', () => {
    const a = assessmentWith({ fever: { present: false, masked: true, maskedBy: { resourceType: 'MedicationAdministration', time: hoursFromEval(-20), kind: 'acetaminophen' } } });
    expect(advise(a, [pressor]).map((c) => c.indicator)).toEqual(['info']);
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
