/**
 * O1 revision 2 through the engine: FiO2 tiers (fraction or percent; above 21 % at least low-flow, from
 * 45 % high-flow), unrecognised devices (at least low-flow, reported), and the 6.1 text synonyms.
 */
import type { Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { assessPatient } from '../../src/evidence/assess-patient.js';
import { AS_OF, AS_OF_DATE, carT, fio2, hoursFrom, o2Device, o2Flow, pulseOx, qty, temperature } from '../fixtures/grading/builders.js';

const h = (hours: number): string => hoursFrom(AS_OF, hours);
const assess = (...resources: Resource[]) =>
  assessPatient([carT(h(-72), { id: 'cart' }), temperature(h(-1), 38.5), ...resources], AS_OF_DATE, DEFAULT_CONFIG);

describe('O1 FiO2 tiers', () => {
  test.each([
    [21, 'none', 1],
    [21.5, 'low-flow', 2],
    [44, 'low-flow', 2],
    [44.9, 'low-flow', 2],
    [45, 'high-flow', 3],
    [60, 'high-flow', 3],
  ] as const)('FiO2 %s %% is %s: grade %s', (value, tier, grade) => {
    const a = assess(fio2(h(-2), value));
    expect(a?.oxygen.tier).toBe(tier);
    expect(a?.grade).toBe(grade);
  });

  test('a FiO2 fraction 0.45 is 45 %: high-flow', () => {
    expect(assess(fio2(h(-2), 0, { quantity: qty(0.45, '1') }))?.oxygen.tier).toBe('high-flow');
  });

  test('FiO2 as a pulse-oximetry component contributes its own tier beside the flow (the highest wins)', () => {
    const a = assess(pulseOx(h(-2), 93, { flow: qty(4, 'L/min'), fio2: 50 }));
    expect(a?.oxygen.tier).toBe('high-flow');
    expect(a?.oxygen.evidence?.map((e) => [e.kind, e.value])).toEqual([['fio2', 50]]);
  });
});

describe('O1 unrecognised devices and synonyms', () => {
  test.each(['Vapotherm', 'Optiflow', 'Hi flow NC'])('"%s" charted as text is high-flow: grade 3', (text) => {
    expect(assess(o2Device(h(-2), { string: text }))?.grade).toBe(3);
  });

  test('"NC" charted as text is low-flow: grade 2', () => {
    expect(assess(o2Device(h(-2), { string: 'NC' }))?.grade).toBe(2);
  });

  test('an unrecognised device counts as at least low-flow; a recognised higher one still wins', () => {
    expect(assess(o2Device(h(-2), { string: 'Mask' }))?.oxygen).toMatchObject({ tier: 'low-flow', unrecognisedDevices: [expect.objectContaining({ display: 'Mask' })] });
    expect(assess(o2Device(h(-2), { string: 'Mask' }), o2Flow(h(-2), 10))?.oxygen.tier).toBe('high-flow');
  });

  test('room air or flow 0 documents no support, and is kept as the room-air evidence', () => {
    const a = assess(o2Device(h(-2), { text: 'Room air' }, { id: 'ra' }), o2Flow(h(-3), 0));
    expect(a?.grade).toBe(1);
    expect(a?.oxygen).toEqual({ tier: 'none', roomAir: expect.objectContaining({ id: 'ra', kind: 'o2-device' }) });
  });
});
