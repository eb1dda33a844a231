import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { gradeCrs } from '../../src/grading/grade-crs.js';
import type { CrsFacts } from '../../src/grading/types.js';
import {
  AS_OF,
  AS_OF_DATE,
  bpPanel,
  carT,
  hoursFrom,
  map,
  o2Flow,
  sbp,
  temperature,
} from '../fixtures/grading/builders.js';

const thresholds = { feverCelsius: 38.0, sbpBelow: 90, mapBelow: 65, lowFlowMaxLpm: 6, fio2LowFlowAbovePercent: 21, fio2HighFlowFromPercent: 45 };
const afebrile: CrsFacts = {
  thresholds,
  maxTemperatureC: 37.0,
  masked: false,
  vasopressorActive: false,
  maxConcurrentVasopressors: 0,
  deviceTier: 'none',
};
const febrile: CrsFacts = { ...afebrile, maxTemperatureC: 38.5 };

describe('gradeCrs: one row per threshold edge (ASTCT 2019, crs-rules.md section 3)', () => {
  test.each([
    ['F1: 37.9 °C is not fever: grade 0', { ...afebrile, maxTemperatureC: 37.9 }, 0],
    ['F1: 38.0 °C is fever: grade 1', { ...afebrile, maxTemperatureC: 38.0 }, 1],
    ['H1: SBP 89 with fever is grade 2', { ...febrile, lowestSbp: 89 }, 2],
    ['H1: SBP 90 with fever stays grade 1', { ...febrile, lowestSbp: 90 }, 1],
    ['H1: charted MAP 64 with fever is grade 2', { ...febrile, lowestMap: 64 }, 2],
    ['H1: charted MAP 65 with fever stays grade 1', { ...febrile, lowestMap: 65 }, 1],
    ['O1: 6 L/min is low-flow: grade 2', { ...febrile, maxFlowLpm: 6 }, 2],
    ['O1: 6.1 L/min is high-flow: grade 3', { ...febrile, maxFlowLpm: 6.1 }, 3],
    ['O1: flow 0 adds nothing: grade 1', { ...febrile, maxFlowLpm: 0 }, 1],
    ['O1: positive pressure device: grade 4', { ...febrile, deviceTier: 'positive-pressure' }, 4],
    ['O1: the higher of device (low-flow) and flow (high-flow) wins', { ...febrile, deviceTier: 'low-flow', maxFlowLpm: 10 }, 3],
    ['H2: one vasopressor: grade 3', { ...febrile, vasopressorActive: true, maxConcurrentVasopressors: 1 }, 3],
    ['H2: vasopressin alone is a vasopressor: grade 3', { ...febrile, vasopressorActive: true, maxConcurrentVasopressors: 0 }, 3],
    ['H2: two concurrent vasopressors: grade 4', { ...febrile, vasopressorActive: true, maxConcurrentVasopressors: 2 }, 4],
    ['grade table: the more severe column wins (hypotension 2, oxygen 3)', { ...febrile, lowestSbp: 80, maxFlowLpm: 8 }, 3],
    ['F2: masked without fever and without hypotension or oxygen: grade 0', { ...afebrile, masked: true }, 0],
    ['F2: masked without fever, on a vasopressor: grade 3', { ...afebrile, masked: true, vasopressorActive: true, maxConcurrentVasopressors: 1 }, 3],
    ['F2: masked and no temperature is still graded (G-I does not apply)', { ...afebrile, maxTemperatureC: undefined, masked: true, deviceTier: 'low-flow' }, 2],
    ['grade 0: no fever and hypotension is not CRS by ASTCT', { ...afebrile, lowestSbp: 70 }, 0],
    ['G-I: no usable temperature and no masking is indeterminate', { ...afebrile, maxTemperatureC: undefined, lowestSbp: 70 }, null],
  ] as const)('%s', (_title, facts, expected) => {
    expect(gradeCrs(facts as CrsFacts).grade).toBe(expected);
  });

  test('grade 0 with hypotension or oxygen need is flagged not attributable, grade 0 without is not', () => {
    expect(gradeCrs({ ...afebrile, lowestSbp: 70 }).notAttributable).toBe(true);
    expect(gradeCrs({ ...afebrile, deviceTier: 'high-flow' }).notAttributable).toBe(true);
    expect(gradeCrs(afebrile).notAttributable).toBe(false);
  });
});

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const infusion = carT(h(-5 * 24), { id: 'cart' });

describe('assessPatient: window and scope edges (section 2, S1)', () => {
  test.each<[string, Resource[], number | null]>([
    ['section 2: a fever exactly at asOf − 24 h is inside the closed window', [temperature(h(-24), 38.4)], 1],
    ['section 2: a fever 1 ms before asOf − 24 h is outside the window', [
      temperature(new Date(Date.parse(h(-24)) - 1).toISOString(), 38.4),
      temperature(h(-2), 37.0),
    ], 0],
    ['section 2: a fever exactly at asOf counts', [temperature(AS_OF, 38.0)], 1],
    ['section 2: a fever after asOf is ignored (replay): no usable temperature', [temperature(h(1), 39)], null],
    ['H1 (E4): SBP 89 as a BP-panel component is hypotension', [temperature(h(-1), 38.2), bpPanel(h(-1), 89, 60)], 2],
    ['H1: SBP 90 is not hypotension', [temperature(h(-1), 38.2), sbp(h(-1), 90)], 1],
    ['H1: a computed MAP (SBP 95 / DBP 48 ≈ 63.7) is not charted and does not count', [
      temperature(h(-1), 38.2),
      bpPanel(h(-1), 95, 48),
    ], 1],
    ['H1: a charted MAP 64 (8478-0) counts', [temperature(h(-1), 38.2), map(h(-1), 64)], 2],
    ['O1: 6 L/min alone is low-flow', [temperature(h(-1), 38.2), o2Flow(h(-1), 6)], 2],
    ['O1: 6.1 L/min alone is high-flow', [temperature(h(-1), 38.2), o2Flow(h(-1), 6.1)], 3],
  ])('%s', (_title, data, expected) => {
    // G-I: an indeterminate grade is omitted (contract revision 2); null stands for it in the table.
    expect(assessPatient([infusion, ...data], AS_OF_DATE, DEFAULT_CONFIG)?.grade ?? null).toBe(expected);
  });

  test('S1: a therapy exactly 28 days before asOf monitors the patient; 1 ms earlier does not', () => {
    const edge = carT(hoursFrom(AS_OF, -28 * 24));
    const outside = carT(new Date(Date.parse(hoursFrom(AS_OF, -28 * 24)) - 1).toISOString());
    const fever = temperature(h(-1), 38.5);
    expect(assessPatient([edge, fever], AS_OF_DATE, DEFAULT_CONFIG)?.grade).toBe(1);
    expect(assessPatient([outside, fever], AS_OF_DATE, DEFAULT_CONFIG)).toBeNull();
  });
});
