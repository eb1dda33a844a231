/**
 * Card content of revision 2 (C1–C6, T-B, T-C, T-E, S2-T, O1, F2, E3-R, T-L on hold), read as a
 * physician reads it: the summary and the detail text.
 */
import { describe, expect, test } from 'vitest';
import type { Assessment, EvidenceItem } from '../../src/grading/assessment.js';
import type { Card } from '../../src/recommend/card-types.js';
import { recommendPatientView } from '../../src/recommend/recommend-patient-view.js';
import { loadCardTemplates } from '../../src/recommend/templates.js';
import { assertValidResponse } from '../support/card-invariants.js';
import { assessmentWith, configWith, hoursFromEval, sequentialIds } from './assessment-fixture.js';

const templates = loadCardTemplates();

function card(a: Assessment, config = configWith()): Card {
  const cards = recommendPatientView(a, 'pat-1', config, templates, sequentialIds());
  assertValidResponse({ cards });
  expect(cards).toHaveLength(1);
  return cards[0] as Card;
}

const device = (display: string, extra: Partial<EvidenceItem> = {}): EvidenceItem => ({
  resourceType: 'Observation',
  time: hoursFromEval(-1),
  kind: 'o2-device',
  display,
  ...extra,
});
const pressor = (kind: string): EvidenceItem => ({ resourceType: 'MedicationAdministration', time: hoursFromEval(-2), kind });

describe('C1: the summary names the finding that set the grade; a long plan is shortened, never the finding', () => {
  test('the oxygen device is named', () => {
    const c = card(assessmentWith({ grade: 3, hypotension: { tier: 'none', lowestSbp: undefined }, oxygen: { tier: 'high-flow', evidence: [device('Vapotherm')] } }));
    expect(c.summary).toBe('CRS grade 3 (ASTCT): 38.9 °C, high-flow O2 (Vapotherm) — tocilizumab 560 mg + dexamethasone 10 mg IV every 6 h recommended');
  });

  test('a plan too long for 140 characters is shortened to drug names before any finding is dropped', () => {
    const c = card(
      assessmentWith({
        grade: 3,
        hypotension: { tier: 'one-vasopressor', vasopressors: [pressor('norepinephrine')], maxConcurrentVasopressors: 1 },
        oxygen: { tier: 'high-flow', evidence: [device('High-flow nasal cannula 40 L/min')] },
      }),
    );
    expect(c.summary).toBe('CRS grade 3 (ASTCT): 38.9 °C, on norepinephrine, high-flow O2 (High-flow nasal cannula 40 L/min) — tocilizumab + dexamethasone recommended');
  });

  test('when even the short plan does not fit, the findings that did not set the grade go first', () => {
    const c = card(
      assessmentWith({
        grade: 4,
        hypotension: { tier: 'multiple-vasopressors', vasopressors: [pressor('norepinephrine'), pressor('epinephrine'), pressor('phenylephrine')], maxConcurrentVasopressors: 3 },
        oxygen: { tier: 'high-flow', evidence: [device('High-flow nasal cannula with humidifier 60 L/min')] },
      }),
    );
    expect(c.summary).toBe('CRS grade 4 (ASTCT): on norepinephrine + epinephrine + phenylephrine — tocilizumab + methylprednisolone recommended');
  });

  test('O1/C1: low SpO2 without documented support is named in the summary and raises the card to a warning', () => {
    const spo2: EvidenceItem = { resourceType: 'Observation', time: hoursFromEval(-1), kind: 'spo2', value: 86, unit: '%' };
    const c = card(assessmentWith({ grade: 1, hypotension: { tier: 'none', lowestSbp: undefined }, findings: [{ code: 'low-spo2-without-oxygen', evidence: [spo2] }] }));
    expect(c.summary).toBe('CRS grade 1 (ASTCT): 38.9 °C, SpO2 86% without O2 support — supportive care');
    expect(c.indicator).toBe('warning');
  });
});

describe('O1 on the card', () => {
  test('an unrecognised device: "not recognised: grade may be underestimated", never "no support documented"', () => {
    const mask = device('Mask', { unrecognised: true });
    const c = card(assessmentWith({ oxygen: { tier: 'low-flow', evidence: [mask], unrecognisedDevices: [mask] }, hypotension: { tier: 'none', lowestSbp: undefined } }));
    expect(c.summary).toBe("CRS grade 2 (ASTCT): 38.9 °C, O2 device 'Mask' not recognised — tocilizumab 560 mg recommended");
    expect(c.detail).toContain("- Oxygen device 'Mask' at 2026-11-21 09:00 UTC not recognised: grade may be underestimated");
    expect(c.detail).not.toContain('no support documented');
  });

  test('room air charted reads as room air, not as "no support documented"', () => {
    const c = card(assessmentWith({ oxygen: { tier: 'none', roomAir: device('Room air') } }));
    expect(c.detail).toContain('- Oxygen: room air (Room air at 2026-11-21 09:00 UTC)');
    expect(c.detail).not.toContain('no support documented');
  });

  test('FiO2 and flows are named with their values', () => {
    const fio2: EvidenceItem = { resourceType: 'Observation', time: hoursFromEval(-1), kind: 'fio2', value: 50, unit: '%' };
    const c = card(assessmentWith({ grade: 3, hypotension: { tier: 'none', lowestSbp: undefined }, oxygen: { tier: 'high-flow', evidence: [fio2] } }));
    expect(c.summary).toContain('high-flow O2 (FiO2 50%)');
    expect(c.detail).toContain('- Oxygen: high-flow (FiO2 50% at 2026-11-21 09:00 UTC)');
  });
});

describe('C2, C4, C5', () => {
  test('C5: the latest temperature is listed beside the maximum when they differ', () => {
    const latest: EvidenceItem = { resourceType: 'Observation', time: hoursFromEval(-0.5), kind: 'temperature', value: 37.1, unit: 'Cel' };
    expect(card(assessmentWith({ fever: { latest } })).detail).toContain('- Fever: 38.9 °C at 2026-11-21 08:00 UTC; latest 37.1 °C at 2026-11-21 09:30 UTC');
  });

  test('C4: charted but uncountable temperatures say "no countable temperature" and why (E1, E8)', () => {
    const c = card(
      assessmentWith({
        grade: undefined,
        indeterminate: true,
        fever: { present: false, max: undefined },
        hypotension: { tier: 'none', lowestSbp: undefined },
        dataGaps: [{ code: 'no-usable-temperature' }],
        dataQuality: [
          { resourceType: 'Observation', id: 't1', code: 'status-not-counted', value: 39.1, unit: 'Cel', kind: 'temperature', status: 'entered-in-error' },
          { resourceType: 'Observation', id: 't2', code: 'unlisted-temperature-code', value: 38.9, unit: 'Cel', kind: 'temperature', observationCode: 'http://loinc.org|8334-5' },
        ],
      }),
    );
    expect(c.summary).toBe('CRS grade indeterminate: no countable temperature in 24 h: chart a temperature now');
    expect(c.detail).toContain('no countable temperature in the last 24 h (status entered-in-error, coded LOINC 8334-5, not on the temperature list)');
    expect(c.detail).toContain('- Temperature coded LOINC 8334-5 (38.9 Cel) is not on codeLists.observations.bodyTemperature: not graded');
    expect(c.detail).toContain('- Ignored temperature 39.1 Cel: status entered-in-error');
  });

  test('C2: an indeterminate card names a vasopressor and oxygen need', () => {
    const c = card(
      assessmentWith({
        grade: undefined,
        indeterminate: true,
        fever: { present: false, max: undefined },
        hypotension: { tier: 'one-vasopressor', vasopressors: [pressor('norepinephrine')], maxConcurrentVasopressors: 1 },
        oxygen: { tier: 'low-flow', evidence: [device('NC')] },
        dataGaps: [{ code: 'no-temperature' }],
      }),
    );
    expect(c.summary).toBe('CRS grade indeterminate: no temperature in 24 h — on norepinephrine, low-flow O2 (NC): chart a temperature now');
  });
});

describe('C6 counts, T-L on hold', () => {
  test.each([
    [1, '1 dose'],
    [2, '2 doses'],
  ])('%s tocilizumab dose(s) read "%s"', (n, text) => {
    const times = [30, 20].slice(0, n).map((x) => hoursFromEval(-x));
    const c = card(assessmentWith({ tocilizumab: { doseTimes: times, dosesLast24h: n === 2 ? 1 : 0, dosesInEpisode: n, lastDoseAt: times[times.length - 1] } }));
    expect(c.detail).toContain(`- Tocilizumab this episode: ${text}, last`);
    expect(c.detail).not.toContain('dose(s)');
  });

  test('an on-hold dose counts and is called "on hold", not "given"', () => {
    const at = hoursFromEval(-3);
    const c = card(assessmentWith({ tocilizumab: { doseTimes: [at], onHoldDoseTimes: [at], dosesLast24h: 1, dosesInEpisode: 1, lastDoseAt: at } }));
    expect(c.detail).toContain('- Tocilizumab this episode: 1 dose, last 2026-11-21 07:00 UTC (on hold)');
    expect(c.detail).toContain('last dose 2026-11-21 07:00 UTC (on hold), less than 8 h ago');
    expect(c.suggestions).toBeUndefined();
  });
});

describe('T-E, T-C, T-B, S2-T, F2, E3-R lines', () => {
  test('T-E: dexamethasone 10 mg q12h (20 mg/day) at grade 3 is escalated to q6h, replacing the current order', () => {
    const c = card(
      assessmentWith({
        grade: 3,
        corticosteroids: {
          windowHours: 24,
          dexamethasoneMg: 20,
          doses: [
            { concept: 'dexamethasone', time: hoursFromEval(-4), doseMg: 10, dexamethasoneMg: 10 },
            { concept: 'dexamethasone', time: hoursFromEval(-16), doseMg: 10, dexamethasoneMg: 10 },
          ],
        },
      }),
    );
    expect(c.summary).toContain('increase to dexamethasone 10 mg IV every 6 h');
    expect(c.detail).toContain('- **Increase to dexamethasone 10 mg IV every 6 h**; replaces the current corticosteroid order (last: dexamethasone 10 mg at 2026-11-21 06:00 UTC)');
    expect(c.suggestions?.map((s) => s.label)).toContain('Increase to dexamethasone 10 mg IV every 6 h (replaces the current corticosteroid order)');
  });

  test('T-C: every steroid suggestion says how it ends', () => {
    const c = card(assessmentWith({ grade: 3 }));
    const steroid = c.suggestions?.[1];
    expect(steroid?.label).toBe('Order dexamethasone 10 mg IV every 6 h; review daily, taper once CRS grade ≤ 1');
    expect(steroid?.actions?.[0]?.description).toBe('Create a draft order: dexamethasone 10 mg IV every 6 h; review daily, taper rapidly once CRS grade ≤ 1');
    expect(c.detail).toContain('consider antifungal prophylaxis while on steroids');
  });

  test('T-B: after a T-cell engager, grade ≥ 1 cards say to hold the next dose', () => {
    const a = assessmentWith({
      grade: 1,
      hypotension: { tier: 'none', lowestSbp: undefined },
      monitoring: { indexTherapy: { concept: 'teclistamab', category: 't-cell-engager', display: 'Tecvayli', start: hoursFromEval(-50) } },
    });
    expect(card(a).detail).toContain('- Hold the next dose of teclistamab until CRS resolves; see its label for re-dosing or permanent discontinuation by grade.');
    expect(card(assessmentWith({ grade: 1 })).detail).not.toContain('Hold the next dose');
  });

  test('S2-T: a condition-only patient gets the grade and evidence, no orders, and one line why', () => {
    const a = assessmentWith({
      grade: 3,
      monitoring: { basis: 'condition', episodeStart: hoursFromEval(-30), indexTherapy: undefined, dayPlus: undefined, conditionIds: ['c-1'] },
    });
    const c = card(a);
    expect(c.indicator).toBe('critical');
    expect(c.suggestions).toBeUndefined();
    expect(c.summary).toBe('CRS grade 3 (ASTCT): 38.9 °C, SBP 84 — treat the cause; no CAR-T CRS orders');
    expect(c.detail?.match(/COVID-19/g)).toHaveLength(2);
    expect(c.detail).toContain('no CAR-T CRS orders are suggested; treat per the cause');
    expect(c.detail).not.toMatch(/Tocilizumab \d+ mg|siltuximab/);
  });

  test('F2: masking that ended says when and why', () => {
    const a = assessmentWith({
      grade: 0,
      fever: {
        present: false,
        maskingEnded: { at: hoursFromEval(-10), by: 'max-hours', agent: { resourceType: 'MedicationAdministration', time: hoursFromEval(-178), kind: 'acetaminophen' } },
      },
    });
    expect(card(a, configWith({ grading: { showGradeZero: true } })).detail).toContain(
      '- Fever masking by acetaminophen (given 2026-11-14 00:00 UTC) ended 2026-11-21 00:00 UTC, 168 h after the last masking agent: fever is required again',
    );
  });

  test('E3-R: concurrency resting on charted rates says so', () => {
    const a = assessmentWith({
      grade: 4,
      hypotension: { tier: 'multiple-vasopressors', vasopressors: [pressor('norepinephrine'), pressor('epinephrine')], maxConcurrentVasopressors: 2, concurrencyInferredFromRates: true },
    });
    expect(card(a).detail).toContain('- Vasopressors: norepinephrine + epinephrine (concurrency inferred from charted rates)');
  });

  test('H1-P: the card names the threshold used', () => {
    const a = assessmentWith({ hypotension: { lowestSbp: { resourceType: 'Observation', time: hoursFromEval(-1), kind: 'sbp', value: 80 }, sbpThreshold: { mmHg: 82, ageYears: 6 } } });
    const c = card(a);
    expect(c.summary).toContain('SBP 80 < 82 for age 6');
    expect(c.detail).toContain('- Lowest SBP: 80 mmHg at 2026-11-21 09:00 UTC (hypotension below 82 mmHg for age 6)');
  });
});
