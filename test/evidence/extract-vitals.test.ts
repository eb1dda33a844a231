import type { Observation } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { extractVitals } from '../../src/evidence/extract-vitals.js';
import {
  AS_OF,
  bpPanel,
  hoursFrom,
  o2Device,
  o2Flow,
  pulseOx,
  qty,
  temperature,
  weight,
} from '../fixtures/grading/builders.js';

const asOf = Date.parse(AS_OF);
const at = hoursFrom(AS_OF, -2);
const extract = (...resources: Parameters<typeof extractVitals>[0]) => extractVitals(resources, asOf, DEFAULT_CONFIG);

describe('extractVitals', () => {
  test.each(['final', 'amended', 'corrected', 'preliminary'] as const)('E1: status %s counts', (status) => {
    expect(extract(temperature(at, 38.2, { status })).temperatures).toHaveLength(1);
  });

  test.each(['entered-in-error', 'cancelled', 'registered', 'unknown'] as const)('E1: status %s never counts', (status) => {
    expect(extract(temperature(at, 38.2, { status })).temperatures).toHaveLength(0);
  });

  test('E4: SBP is read from a BP panel component', () => {
    expect(extract(bpPanel(at, 84, 50, { id: 'bp1' })).sbp).toEqual([
      { id: 'bp1', start: Date.parse(at), end: Date.parse(at), value: 84 },
    ]);
  });

  test('E4: O2 flow is read from a pulse-oximetry component, SpO2 from its value', () => {
    const facts = extract(pulseOx(at, 91, { flow: qty(3, 'L/min'), fio2: 32 }));
    expect(facts.spo2.map((r) => r.value)).toEqual([91]);
    expect(facts.flows.map((r) => r.value)).toEqual([3]);
  });

  test('E5: °F temperatures are converted to °C', () => {
    const facts = extract(temperature(at, 0, { quantity: qty(101.3, '[degF]', '°F') }));
    expect(facts.temperatures[0]?.value).toBeCloseTo(38.5, 5);
  });

  test('E5: an unknown unit is ignored and reported with the resource id', () => {
    const facts = extract(temperature(at, 0, { id: 't-k', quantity: { value: 311, unit: 'kelvin' } }));
    expect(facts.temperatures).toHaveLength(0);
    expect(facts.notes.map((n) => n.note)).toEqual([
      { resourceType: 'Observation', id: 't-k', code: 'unknown-unit', value: 311, unit: 'kelvin', kind: 'temperature' },
    ]);
    expect(facts.ignoredTemperatureTimes).toEqual([Date.parse(at)]);
  });

  test('E6: implausible values are ignored and reported; bounds are inclusive', () => {
    const facts = extract(
      temperature(at, 45, { id: 'edge' }),
      temperature(at, 45.1, { id: 'hot' }),
      o2Flow(at, 81, { id: 'flow' }),
      weight(at, 0.4, 'kg', { id: 'w' }),
    );
    expect(facts.temperatures.map((t) => t.id)).toEqual(['edge']);
    expect(facts.notes.map((n) => [n.note.id, n.note.code])).toEqual([
      ['hot', 'implausible-value'],
      ['flow', 'implausible-value'],
      ['w', 'implausible-value'],
    ]);
  });

  test('an Observation with no usable time is reported as missing-time', () => {
    const obs = temperature(at, 38.5, { id: 'nt' });
    delete obs.effectiveDateTime;
    expect(extract(obs).notes.map((n) => n.note.code)).toEqual(['missing-time']);
  });

  test('data timed after asOf is ignored (replay)', () => {
    expect(extract(temperature(hoursFrom(AS_OF, 1), 39)).temperatures).toHaveLength(0);
  });

  test('an effectivePeriod is kept as a range so it can overlap the window', () => {
    const obs = temperature(at, 38.5, { period: { start: hoursFrom(AS_OF, -30), end: hoursFrom(AS_OF, -23) } });
    const [reading] = extract(obs).temperatures;
    expect(reading?.end).toBe(Date.parse(hoursFrom(AS_OF, -23)));
  });

  test('O1: device observations are classified by code and by text', () => {
    const facts = extract(o2Device(at, { code: '47545007' }), o2Device(at, { string: 'Venti mask 40%' }));
    expect(facts.devices.map((d) => d.tier)).toEqual(['positive-pressure', 'high-flow']);
  });
});

describe('extractVitals, revision 2', () => {
  const loincObs = (code: string, quantity: ReturnType<typeof qty>, id = code): Observation => ({
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code }] },
    effectiveDateTime: at,
    valueQuantity: quantity,
  });

  test.each(['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '75539-7', '8329-5'])('6.5: a temperature coded LOINC %s is read', (code) => {
    expect(extract(loincObs(code, qty(38.4, 'Cel'))).temperatures.map((t) => t.value)).toEqual([38.4]);
  });

  test.each([
    [49, false],
    [50, true],
    [100, true],
    [100.5, false],
  ] as const)('E6: SpO2 %s%% is kept: %s (bounds 50–100 inclusive)', (value, kept) => {
    const facts = extract(pulseOx(at, value, { id: 'sat' }));
    expect(facts.spo2.length).toBe(kept ? 1 : 0);
    expect(facts.notes.map((n) => n.note.code)).toEqual(kept ? [] : ['implausible-value']);
  });

  test.each([
    ['20.9 %', qty(20.9, '%'), undefined],
    ['21 %', qty(21, '%'), 21],
    ['100 %', qty(100, '%'), 100],
    ['100.1 %', qty(100.1, '%'), undefined],
    ['the fraction 0.45 (UCUM 1)', qty(0.45, '1'), 45],
    ['the fraction 0.4 charted with "%"', qty(0.4, '%'), 40],
    ['the fraction 0.3 without a unit', { value: 0.3 }, 30],
    ['the fraction 1.0', { value: 1 }, 100],
  ] as const)('E6/O1: FiO2 %s reads as %s %', (_label, quantity, expected) => {
    const facts = extract(loincObs('3150-0', quantity as ReturnType<typeof qty>));
    expect(facts.fio2.map((f) => f.value)).toEqual(expected === undefined ? [] : [expected]);
    if (expected === undefined) expect(facts.notes.map((n) => n.note.code)).toEqual(['implausible-value']);
  });

  test('E5: a FiO2 of 40 without any unit is not guessed: ignored and reported', () => {
    const facts = extract(loincObs('3150-0', { value: 40 } as ReturnType<typeof qty>, 'f'));
    expect(facts.fio2).toEqual([]);
    expect(facts.notes.map((n) => n.note)).toEqual([{ resourceType: 'Observation', id: 'f', code: 'unknown-unit', value: 40, kind: 'fio2' }]);
  });

  test('E4/O1: FiO2 is read from a pulse-oximetry component', () => {
    expect(extract(pulseOx(at, 93, { fio2: 50 })).fio2.map((f) => f.value)).toEqual([50]);
  });

  test('E8: a temperature-unit Observation under an unlisted code is not graded, and is reported naming its code', () => {
    const facts = extract(loincObs('8334-5', qty(39.2, 'Cel'), 'gen'));
    expect(facts.temperatures).toEqual([]);
    expect(facts.notes.map((n) => n.note)).toEqual([
      { resourceType: 'Observation', id: 'gen', code: 'unlisted-temperature-code', value: 39.2, unit: 'Cel', kind: 'temperature', observationCode: 'http://loinc.org|8334-5' },
    ]);
    expect(facts.ignoredTemperatureTimes).toEqual([Date.parse(at)]);
  });

  test('E8: a °F component under a local code is reported too; a pressure under an unlisted code is not', () => {
    const obs = {
      ...bpPanel(at, 120, 80, { id: 'panel' }),
      component: [{ code: { coding: [{ system: 'urn:site', code: 'T-PROBE' }] }, valueQuantity: qty(101.2, '[degF]') }],
    };
    expect(extract(obs).notes.map((n) => [n.note.code, n.note.observationCode])).toEqual([['unlisted-temperature-code', 'urn:site|T-PROBE']]);
    expect(extract(bpPanel(at, 120, 80)).notes).toEqual([]);
  });

  test.each(['entered-in-error', 'cancelled', 'registered', 'unknown'] as const)(
    'E1/E8: a temperature with status %s is not counted but reported with its status',
    (status) => {
      const facts = extract(temperature(at, 39.4, { id: 't', status }));
      expect(facts.temperatures).toEqual([]);
      expect(facts.notes.map((n) => n.note)).toEqual([
        { resourceType: 'Observation', id: 't', code: 'status-not-counted', value: 39.4, unit: 'Cel', kind: 'temperature', status },
      ]);
      expect(facts.ignoredTemperatureTimes).toEqual([Date.parse(at)]);
    },
  );

  test('E1: other vital signs of a status that never counts are dropped without a note', () => {
    expect(extract(bpPanel(at, 80, 50, { status: 'entered-in-error' })).notes).toEqual([]);
  });

  test('O1: an unrecognised device is at least low-flow and marked; room air is tier none', () => {
    const facts = extract(o2Device(at, { string: 'Mask' }, { id: 'm' }), o2Device(at, { text: 'RA' }, { id: 'ra' }));
    expect(facts.devices.map((d) => [d.id, d.tier, d.unrecognised === true, d.display])).toEqual([
      ['m', 'low-flow', true, 'Mask'],
      ['ra', 'none', false, 'RA'],
    ]);
  });
});
