import type { MedicationRequest } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import type { Assessment } from '../../src/grading/assessment.js';
import type { Card } from '../../src/recommend/card-types.js';
import { recommendPatientView } from '../../src/recommend/recommend-patient-view.js';
import { loadCardTemplates } from '../../src/recommend/templates.js';
import { assertValidCdsCard, assertValidResponse } from '../support/card-invariants.js';
import { assessmentWith, configWith, hoursFromEval, readFixture, sequentialIds } from './assessment-fixture.js';

const templates = loadCardTemplates();
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';

/** Runs patient-view and checks the CDS Hooks invariants on every card it returns. */
function view(a: Assessment, config = configWith()): Card[] {
  const cards = recommendPatientView(a, 'pat-1', config, templates, sequentialIds());
  cards.forEach(assertValidCdsCard);
  assertValidResponse({ cards });
  return cards;
}

function only(cards: Card[]): Card {
  expect(cards).toHaveLength(1);
  return cards[0] as Card;
}

function orders(card: Card): MedicationRequest[] {
  return (card.suggestions ?? []).flatMap((s) => (s.actions ?? []).map((a) => a.resource as MedicationRequest));
}

function rxcui(request: MedicationRequest): string | undefined {
  return request.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM)?.code;
}

function doseOf(request: MedicationRequest): number | undefined {
  return request.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value;
}

const vasopressor = (kind: string) => ({ resourceType: 'MedicationAdministration' as const, time: hoursFromEval(-2), kind });
/** T-S inputs: [concept, hours ago, mg, dexamethasone-equivalent mg] per dose, newest first. */
const steroids = (...doses: [string, number, number | undefined, number | undefined][]) => ({
  windowHours: 24,
  dexamethasoneMg: doses.reduce((sum, [, , , dex]) => sum + (dex ?? 0), 0),
  ...(doses.some(([, , , dex]) => dex === undefined) ? { unknownDose: true as const } : {}),
  doses: doses.map(([concept, h, mg, dex]) => ({
    concept,
    time: hoursFromEval(-h),
    ...(mg === undefined ? {} : { doseMg: mg }),
    ...(dex === undefined ? {} : { dexamethasoneMg: dex }),
  })),
});
const toci = (...hoursAgo: number[]) => ({
  doseTimes: hoursAgo.map((h) => hoursFromEval(-h)),
  dosesLast24h: hoursAgo.filter((h) => h < 24).length,
  dosesInEpisode: hoursAgo.length,
  ...(hoursAgo.length > 0 ? { lastDoseAt: hoursFromEval(-Math.min(...hoursAgo)) } : {}),
});

describe('recommendPatientView: grade table', () => {
  test('grade 0 gives no card by default', () => {
    expect(view(assessmentWith({ grade: 0, fever: { present: false } }))).toEqual([]);
  });

  test('grade 0 gives an info status card with showGradeZero, showing findings not attributable to CRS', () => {
    const a = assessmentWith({
      grade: 0,
      fever: { present: false, max: { resourceType: 'Observation', time: hoursFromEval(-3), kind: 'temperature', value: 37.2 } },
      findings: [{ code: 'not-attributable-without-fever', evidence: [] }],
    });
    const card = only(view(a, configWith({ grading: { showGradeZero: true } })));
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('CRS grade 0 (ASTCT): no fever in 24 h, SBP 84 — no CRS treatment indicated');
    expect(card.detail).toContain('not attributable to CRS by ASTCT; consider other causes');
    expect(card.suggestions).toBeUndefined();
  });

  test('grade 1 is info with the supportive-care bundle and no suggestion when fever is recent', () => {
    const a = assessmentWith({ grade: 1, hypotension: { tier: 'none', lowestSbp: undefined } });
    const card = only(view(a));
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('CRS grade 1 (ASTCT): 38.9 °C — supportive care');
    expect(card.detail).toContain('acetaminophen, maintenance IV fluids, infection work-up');
    expect(card.suggestions).toBeUndefined();
    expect(card.overrideReasons?.length).toBeGreaterThan(0);
  });

  test('shows a temperature at the fever threshold with its decimal (38.0 °C, not 38 °C)', () => {
    const a = assessmentWith({
      grade: 1,
      hypotension: { tier: 'none', lowestSbp: undefined },
      fever: { max: { resourceType: 'Observation', id: 'temp-1', time: hoursFromEval(-2), kind: 'temperature', value: 38, unit: 'Cel' } },
    });
    const card = only(view(a));
    expect(card.summary).toBe('CRS grade 1 (ASTCT): 38.0 °C — supportive care');
    expect(card.detail).toContain('38.0 °C at');
  });

  test('grade 2 is a warning recommending tocilizumab 560 mg for 70 kg', () => {
    const card = only(view(assessmentWith()));
    expect(card.indicator).toBe('warning');
    expect(card.summary).toBe('CRS grade 2 (ASTCT): 38.9 °C, SBP 84 — tocilizumab 560 mg recommended');
    expect(card.detail).toContain('**Tocilizumab 560 mg IV** over 60 min (8 mg/kg × 70 kg, weighed 2026-11-20 07:00 UTC)');
    expect(card.detail).toContain('No improvement within 24 h of anti-IL-6 therapy: manage as grade 3.');
    expect(orders(card).map(rxcui)).toEqual(['612865']);
    expect(card.selectionBehavior).toBe('any');
  });

  test('grade 3 is critical with tocilizumab and dexamethasone 10 mg IV every 6 h, independent', () => {
    const a = assessmentWith({ grade: 3, hypotension: { tier: 'one-vasopressor', vasopressors: [vasopressor('norepinephrine')], maxConcurrentVasopressors: 1 } });
    const card = only(view(a));
    expect(card.indicator).toBe('critical');
    expect(card.summary).toBe('CRS grade 3 (ASTCT): 38.9 °C, on norepinephrine — tocilizumab 560 mg + dexamethasone 10 mg IV every 6 h recommended');
    const [tocilizumab, dexamethasone] = orders(card);
    expect(rxcui(tocilizumab as MedicationRequest)).toBe('612865');
    expect(rxcui(dexamethasone as MedicationRequest)).toBe('3264');
    expect(dexamethasone?.dosageInstruction?.[0]?.timing?.repeat).toEqual({ frequency: 1, period: 6, periodUnit: 'h' });
    expect(doseOf(dexamethasone as MedicationRequest)).toBe(10);
    // Order lines open with a capital, steroid as tocilizumab.
    expect(card.detail).toContain('- **Tocilizumab 560 mg IV**');
    expect(card.detail).toContain('- **Dexamethasone 10 mg IV every 6 h**');
    expect(card.selectionBehavior).toBe('any');
    expect(card.suggestions?.every((s) => s.isRecommended === true)).toBe(true);
  });

  test('grade 4 is critical with tocilizumab and methylprednisolone 1000 mg IV daily for 3 days', () => {
    const a = assessmentWith({
      grade: 4,
      oxygen: { tier: 'positive-pressure', evidence: [{ resourceType: 'Observation', time: hoursFromEval(-1), kind: 'o2-device', display: 'BiPAP' }] },
    });
    const card = only(view(a));
    expect(card.indicator).toBe('critical');
    const steroid = orders(card)[1] as MedicationRequest;
    expect(rxcui(steroid)).toBe('6902');
    expect(doseOf(steroid)).toBe(1000);
    expect(steroid.dosageInstruction?.[0]?.timing?.repeat).toEqual({
      frequency: 1,
      period: 24,
      periodUnit: 'h',
      boundsDuration: { value: 3, unit: 'd', system: 'http://unitsofmeasure.org', code: 'd' },
    });
    expect(card.suggestions?.map((s) => s.label)).toEqual([
      'Order tocilizumab 560 mg IV over 60 min',
      'Order methylprednisolone 1000 mg IV once daily for 3 days, then taper',
    ]);
    expect(steroid.dosageInstruction?.[0]?.text).toBe('methylprednisolone 1000 mg IV once daily for 3 days, then taper per institutional protocol');
    expect(card.summary).toBe('CRS grade 4 (ASTCT): 38.9 °C, SBP 84, positive pressure (BiPAP) — tocilizumab 560 mg + methylprednisolone 1000 mg IV once daily recommended');
    expect(card.detail).toContain('- Oxygen: positive pressure (BiPAP at 2026-11-21 09:00 UTC)');
    expect(card.detail).toContain('- **Methylprednisolone 1000 mg IV once daily for 3 days**');
    // T-C: how the course ends; C3: the refractory options once.
    expect(card.detail).toContain('- Corticosteroids: review daily and taper rapidly once CRS is grade ≤ 1; consider antifungal prophylaxis while on steroids.');
    expect(card.detail).toContain('taper per institutional protocol (methylprednisolone e.g. 250 mg every 12 h × 2 days, 125 mg every 12 h × 2 days, 60 mg every 12 h × 2 days)');
    expect(card.detail?.match(/siltuximab/g)).toHaveLength(1);
    expect(card.detail?.match(/[Mm]ethylprednisolone 1000/g)).toHaveLength(1);
  });
});

describe('recommendPatientView: order suggestions (contract "Order suggestions")', () => {
  test('a tocilizumab suggestion creates a complete draft MedicationRequest for the patient', () => {
    const suggestion = only(view(assessmentWith())).suggestions?.[0];
    expect(suggestion?.isRecommended).toBe(true);
    expect(suggestion?.actions?.[0]?.type).toBe('create');
    expect(suggestion?.actions?.[0]?.resource).toEqual({
      resourceType: 'MedicationRequest',
      status: 'draft',
      intent: 'proposal',
      subject: { reference: 'Patient/pat-1' },
      medicationCodeableConcept: { coding: [{ system: RXNORM, code: '612865', display: 'tocilizumab' }], text: 'tocilizumab' },
      dosageInstruction: [
        {
          text: 'tocilizumab 560 mg IV over 60 min, single dose',
          timing: { repeat: { count: 1, duration: 60, durationUnit: 'min' } },
          route: { coding: [{ system: 'http://snomed.info/sct', code: '47625008', display: 'Intravenous route' }], text: 'IV' },
          doseAndRate: [{ doseQuantity: { value: 560, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } }],
        },
      ],
    });
  });

  test('the card links to the ASTCT grading source and the dose sources (tocilizumab label, ASCO 2021), and names the scale', () => {
    const card = only(view(assessmentWith()));
    expect(card.links?.map((l) => l.url)).toEqual([
      'https://doi.org/10.1016/j.bbmt.2018.12.758',
      'https://www.gene.com/download/pdf/actemra_prescribing.pdf',
      'https://doi.org/10.1200/JCO.21.01992',
    ]);
    expect(card.source.label).toBe('crs-cds · ASTCT 2019 CRS grading');
    expect(card.overrideReasons?.map((r) => r.code)).toEqual(['alternative-cause', 'already-treated', 'goals-of-care', 'clinical-judgement']);
    expect(card.overrideReasons?.every((r) => r.system === 'urn:uuid:254860d8-983d-417f-96ad-48bab59e9b20')).toBe(true);
  });
});

describe('recommendPatientView: T-D doses', () => {
  test.each([
    { kg: 18, dose: 216 },
    { kg: 70, dose: 560 },
    { kg: 120, dose: 800 },
  ])('suggests $dose mg for $kg kg', ({ kg, dose }) => {
    const card = only(view(assessmentWith({ weight: { kg, at: hoursFromEval(-20) } })));
    expect(doseOf(orders(card)[0] as MedicationRequest)).toBe(dose);
    expect(card.summary).toContain(`tocilizumab ${dose} mg recommended`);
  });

  test('says the dose is capped for 120 kg', () => {
    const card = only(view(assessmentWith({ weight: { kg: 120, at: hoursFromEval(-20) } })));
    expect(card.detail).toContain('(maximum dose 800 mg; 120 kg, weighed 2026-11-20 14:00 UTC)');
  });

  test('a weight charted in pounds (154 lb = 69.853 kg) gives 558 mg, rounded down', () => {
    const a = assessmentWith(readFixture('assessment-weight-lb.json'));
    const card = only(view(a));
    expect(doseOf(orders(card)[0] as MedicationRequest)).toBe(558);
    expect(card.detail).toContain('8 mg/kg × 69.9 kg');
  });

  test('without a usable weight there is no tocilizumab suggestion and the card says why', () => {
    const card = only(view(assessmentWith({ weight: null, dataGaps: [{ code: 'no-weight' }] })));
    expect(card.suggestions).toBeUndefined();
    expect(card.summary).toBe('CRS grade 2 (ASTCT): 38.9 °C, SBP 84 — weigh patient to dose tocilizumab');
    expect(card.detail).toContain('**Tocilizumab dose not computed**: no body weight in the last 30 days.');
    expect(card.detail).not.toContain('**Data notes**');
  });
});

describe('recommendPatientView: T-L limits', () => {
  test('3 doses in 24 h: withheld, with the limit, the next allowed time (latest release) and the next line', () => {
    const card = only(view(assessmentWith({ tocilizumab: toci(20, 12, 3.5) })));
    expect(orders(card).map(rxcui)).not.toContain('612865');
    expect(card.summary).toContain('tocilizumab on hold until 2026-11-21 14:30 UTC');
    expect(card.detail).toContain('3 doses in the last 24 h (max 3); last dose 2026-11-21 06:30 UTC, less than 8 h ago');
    expect(card.detail).toContain('Next dose allowed from 2026-11-21 14:30 UTC');
    expect(card.detail).toContain('siltuximab 11 mg/kg IV or anakinra per institutional protocol');
  });

  test('4 doses in the episode: no next time, maximum reached', () => {
    const card = only(view(assessmentWith({ grade: 3, tocilizumab: toci(60, 50, 40, 30) })));
    expect(card.summary).toContain('tocilizumab maximum reached');
    expect(card.detail).toContain('**No further tocilizumab**: 4 doses this episode (max 4).');
    expect(card.detail).not.toContain('Next dose allowed');
    expect(orders(card).map(rxcui)).toEqual(['3264']);
  });

  test('only doses at or after the episode start count toward the episode maximum', () => {
    const card = only(view(assessmentWith({ tocilizumab: toci(100, 90, 80, 30) })));
    expect(orders(card).map(rxcui)).toEqual(['612865']);
    expect(card.detail).toContain('- Tocilizumab this episode: 1 dose, last'); // C6: never "dose(s)"
  });

  test('a dose 7 h ago blocks for spacing until 8 h after it', () => {
    const card = only(view(assessmentWith({ tocilizumab: toci(7) })));
    expect(card.suggestions).toBeUndefined();
    expect(card.detail).toContain('less than 8 h ago. Next dose allowed from 2026-11-21 11:00 UTC.');
  });

  test('a dose exactly 8 h ago does not block', () => {
    const card = only(view(assessmentWith({ tocilizumab: toci(8) })));
    expect(orders(card).map(rxcui)).toEqual(['612865']);
  });
});

describe('recommendPatientView: T1, T2, T-S', () => {
  test('T1: grade 1 with the first fever more than 72 h ago offers "consider tocilizumab" and stays info', () => {
    const a = assessmentWith({ grade: 1, hypotension: { tier: 'none', lowestSbp: undefined }, fever: { firstFeverAt: hoursFromEval(-73) } });
    const card = only(view(a));
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('CRS grade 1 (ASTCT): 38.9 °C — fever > 72 h: consider tocilizumab 560 mg');
    expect(card.suggestions?.[0]?.label).toBe('Consider tocilizumab 560 mg IV over 60 min');
    expect(card.suggestions?.[0]?.isRecommended).toBeUndefined();
  });

  test('T1 does not apply when the first fever is exactly 72 h old', () => {
    const a = assessmentWith({ grade: 1, fever: { firstFeverAt: hoursFromEval(-72) } });
    expect(only(view(a)).suggestions).toBeUndefined();
  });

  test('T1 applies T-L: a recent dose withholds the suggestion', () => {
    const a = assessmentWith({ grade: 1, fever: { firstFeverAt: hoursFromEval(-80) }, tocilizumab: toci(2) });
    const card = only(view(a));
    expect(card.suggestions).toBeUndefined();
    expect(card.detail).toContain('**Tocilizumab on hold**');
  });

  test('T2: grade 2 after 2 tocilizumab doses adds dexamethasone 10 mg IV every 12 h', () => {
    const card = only(view(assessmentWith({ tocilizumab: toci(30, 16) })));
    expect(orders(card).map(rxcui)).toEqual(['612865', '3264']);
    expect(orders(card)[1]?.dosageInstruction?.[0]?.timing?.repeat).toEqual({ frequency: 1, period: 12, periodUnit: 'h' });
    expect(card.detail).toContain('**Dexamethasone 10 mg IV every 12 h**: refractory grade 2 after 2 doses of tocilizumab this episode');
  });

  test('T2 does not apply after a single dose', () => {
    const card = only(view(assessmentWith({ tocilizumab: toci(16) })));
    expect(orders(card).map(rxcui)).toEqual(['612865']);
  });

  test('T-S: methylprednisolone 1 g an hour ago covers grade 3: no dexamethasone order, "continue … — no second corticosteroid"', () => {
    const a = assessmentWith({ grade: 3, corticosteroids: steroids(['methylprednisolone', 1, 1000, 187.5]) });
    const card = only(view(a));
    expect(orders(card).map(rxcui)).toEqual(['612865']);
    expect(card.detail).toContain('- Continue methylprednisolone (1000 mg at 2026-11-21 09:00 UTC) — no second corticosteroid.');
    expect(card.summary).toContain('continue methylprednisolone, no second corticosteroid');
    expect(card.summary).toBe('CRS grade 3 (ASTCT): 38.9 °C, SBP 84 — tocilizumab 560 mg recommended; continue methylprednisolone, no second corticosteroid');
  });
});

describe('recommendPatientView: indeterminate grade and evidence', () => {
  test('an indeterminate grade gives one info card naming the missing data (C4: not countable, and why) and the hypotension (C2)', () => {
    const a = assessmentWith({
      grade: undefined,
      indeterminate: true,
      fever: { present: false, max: undefined },
      dataGaps: [{ code: 'no-usable-temperature' }],
      dataQuality: [{ resourceType: 'Observation', id: 't-9', code: 'unknown-unit', value: 101, unit: 'degrees', kind: 'temperature' }],
    });
    const card = only(view(a));
    expect(card.indicator).toBe('info');
    expect(card.summary).toBe('CRS grade indeterminate: no countable temperature in 24 h — SBP 84: chart a temperature now');
    expect(card.detail).toContain('CRS cannot be graded: no countable temperature in the last 24 h (unit not understood).');
    expect(card.detail).toContain('- Temperature: none countable (unit not understood)');
    expect(card.detail).toContain('- Ignored temperature 101 degrees: unit not understood');
    expect(card.suggestions).toBeUndefined();
  });

  test('C4: names "no temperature charted" only when none was charted', () => {
    const a = assessmentWith({ grade: undefined, indeterminate: true, fever: { present: false, max: undefined }, dataGaps: [{ code: 'no-temperature' }] });
    const card = only(view(a));
    expect(card.summary).toBe('CRS grade indeterminate: no temperature in 24 h — SBP 84: chart a temperature now');
    expect(card.detail).toContain('CRS cannot be graded: no temperature charted in the last 24 h.');
    expect(card.detail).toContain('- Temperature: none charted');
  });

  test('the detail gives day +N, product, values with UTC times, episode maximum and tocilizumab doses', () => {
    const card = only(view(assessmentWith({ episodeMaxGrade: 3, episodeMaxGradeAt: hoursFromEval(-30), tocilizumab: toci(16) })));
    expect(card.detail).toContain('day +3 after axicabtagene ciloleucel, given 2026-11-18 09:00 UTC');
    expect(card.detail).toContain('- Fever: 38.9 °C at 2026-11-21 08:00 UTC');
    expect(card.detail).toContain('- Lowest SBP: 84 mmHg at 2026-11-21 09:00 UTC');
    expect(card.detail).toContain('- Episode maximum: grade 3 (first reached 2026-11-20 04:00 UTC)');
    expect(card.detail).toContain('- Tocilizumab this episode: 1 dose, last 2026-11-20 18:00 UTC');
  });

  test('masked fever: the card says which agent masked it', () => {
    const a = assessmentWith({
      fever: { present: false, max: undefined, masked: true, maskedBy: { resourceType: 'MedicationAdministration', time: hoursFromEval(-30), kind: 'tocilizumab' } },
      tocilizumab: toci(30),
    });
    const card = only(view(a));
    expect(card.summary).toMatch(/^CRS grade 2 \(ASTCT\): afebrile after tocilizumab, SBP 84/);
    // F2: a grade resting on masking adds: exclude other causes.
    expect(card.detail).toContain('- Afebrile after tocilizumab: exclude sepsis and other causes of hypotension or hypoxia.');
    expect(card.detail).toContain('- Fever masked: tocilizumab given 2026-11-20 04:00 UTC; graded on blood pressure and oxygen');
  });

  test('charted text cannot inject markdown into the detail', () => {
    const a = assessmentWith({
      grade: 3,
      oxygen: { tier: 'high-flow', evidence: [{ resourceType: 'Observation', time: hoursFromEval(-1), kind: 'o2-device', display: '[click](https://evil.example) {{x}}' }] },
    });
    const card = only(view(a));
    expect(card.detail).toContain('\\[click\\]\\(https://evil.example\\)');
    expect(card.detail).not.toContain('{{');
  });

  test('the summary stays under 140 characters when every column is filled and tocilizumab is held', () => {
    const a = assessmentWith({
      grade: 4,
      hypotension: { tier: 'multiple-vasopressors', vasopressors: [vasopressor('norepinephrine'), vasopressor('epinephrine'), vasopressor('vasopressin')], maxConcurrentVasopressors: 2 },
      oxygen: { tier: 'positive-pressure', evidence: [] },
      tocilizumab: toci(20, 12, 3.5),
      corticosteroids: steroids(['methylprednisolone', 3, 1000, 187.5]),
    });
    const card = only(view(a));
    expect(card.summary.length).toBeLessThan(140);
    // C1: the plan is shortened, never the findings that set the grade.
    expect(card.summary).toBe('CRS grade 4 (ASTCT): on norepinephrine + epinephrine + vasopressin, positive pressure O2 — tocilizumab on hold; continue methylprednisolone');
  });

  test('a patient monitored for a CRS diagnosis (S2) shows the episode start without day +N', () => {
    const a = assessmentWith({ monitoring: { basis: 'condition', episodeStart: hoursFromEval(-30), indexTherapy: undefined, dayPlus: undefined, conditionIds: ['c-1'] } });
    const card = only(view(a));
    expect(card.detail).toContain('CRS diagnosis on record, episode from 2026-11-20 04:00 UTC');
    expect(card.detail).not.toContain('day +');
  });

  test('an oxygen tier without listed devices or flows still names the tier', () => {
    const card = only(view(assessmentWith({ grade: 3, oxygen: { tier: 'high-flow', evidence: [] } })));
    expect(card.detail).toContain('- Oxygen: high-flow\n');
  });

  test('data-quality notes are capped at three plus a count', () => {
    const note = { resourceType: 'Observation', code: 'implausible-value' as const, value: 52, unit: 'Cel', kind: 'temperature' };
    const card = only(view(assessmentWith({ dataQuality: [note, note, note, note, note] })));
    expect(card.detail?.match(/implausible value/g)).toHaveLength(3);
    expect(card.detail).toContain('- and 2 more ignored records');
  });

  test('a low SpO2 without oxygen is shown as a finding', () => {
    const spo2 = { resourceType: 'Observation' as const, time: hoursFromEval(-1), kind: 'spo2', value: 87 };
    const card = only(view(assessmentWith({ findings: [{ code: 'low-spo2-without-oxygen', evidence: [spo2] }] })));
    expect(card.detail).toContain('- SpO2 87% at 2026-11-21 09:00 UTC with no oxygen support documented (not graded as hypoxia)');
  });

  test('uses crypto.randomUUID when no id source is given', () => {
    const [card] = recommendPatientView(assessmentWith(), 'pat-1', configWith(), templates);
    assertValidCdsCard(card);
    expect(card?.uuid).not.toBe(card?.suggestions?.[0]?.uuid);
  });
});
