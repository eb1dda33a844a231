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
