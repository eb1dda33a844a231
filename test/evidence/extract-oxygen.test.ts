import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { classifyDevice, deviceDisplay } from '../../src/evidence/extract-oxygen.js';
import { SNOMED } from '../fixtures/grading/builders.js';

const devices = DEFAULT_CONFIG.codeLists.oxygenDevices;

describe('classifyDevice (O1, 6.1 revision 2)', () => {
  test.each([
    // The review's texts: never "no support documented".
    ['Vapotherm', 'high-flow'],
    ['Optiflow', 'high-flow'],
    ['Hi flow NC', 'high-flow'],
    ['NC', 'low-flow'],
    // A hyphen reads as a space (6.1 lists "blow-by" and "blow by"): "High-Flow" is "high flow".
    ['High-Flow Nasal Cannula', 'high-flow'],
    ['nasal cannula 2 L', 'low-flow'],
    ['Oxymizer', 'low-flow'],
    ['reservoir cannula', 'low-flow'],
    ['blow-by oxygen mask', 'low-flow'],
    ['Airvo 2', 'high-flow'],
    ['HHFNC', 'high-flow'],
    ['venti mask 40%', 'high-flow'],
    ['trach collar', 'high-flow'],
    ['non-rebreather', 'high-flow'],
    ['NRB', 'high-flow'],
    ['NIPPV', 'positive-pressure'],
    ['intubated', 'positive-pressure'],
    ['ETT', 'positive-pressure'],
    ['BiPAP', 'positive-pressure'],
    ['room air', 'none'],
    ['RA', 'none'],
    ['None', 'none'],
    // Among separate matches in one text the highest tier wins.
    ['nasal cannula and NRB', 'high-flow'],
    ['NC overnight, CPAP', 'positive-pressure'],
    ['RA, NC prn', 'low-flow'],
    // Whole words only: "ncomplete" has no "NC", "bra" no "RA"; unrecognised texts are undefined here.
    ['incentive spirometer', undefined],
    ['oxygen mask', undefined],
  ] as const)('text "%s" is %s', (text, tier) => {
    expect(classifyDevice(text, devices)).toBe(tier);
  });

  test('a word inside a longer match does not count on its own (longest match wins)', () => {
    // A site that adds "mask" as positive pressure still reads "face mask" as the high-flow device it names.
    const site = parseConfig({ codeLists: { oxygenDevices: { positivePressure: { addNames: ['mask'] } } } }).codeLists.oxygenDevices;
    expect(classifyDevice('face mask', site)).toBe('high-flow');
    expect(classifyDevice('mask', site)).toBe('positive-pressure');
  });

  test('the value code wins over the text', () => {
    expect(classifyDevice({ coding: [{ system: SNOMED, code: '336623009' }], text: 'BiPAP' }, devices)).toBe('low-flow');
  });

  test('an unrecognised code falls back to the text', () => {
    expect(classifyDevice({ coding: [{ system: 'http://example.org', code: 'x' }], text: 'CPAP' }, devices)).toBe('positive-pressure');
  });

  test('a SNOMED code matches without a system too', () => {
    expect(classifyDevice({ coding: [{ code: '427591007' }] }, devices)).toBe('high-flow');
  });

  test('a device is named by its text or a display; an unrecognised one else by its coding', () => {
    expect(deviceDisplay('Mask')).toBe('Mask');
    expect(deviceDisplay({ coding: [{ system: 'urn:site', code: 'M1', display: 'Site mask' }] })).toBe('Site mask');
    expect(deviceDisplay({ coding: [{ system: 'urn:site', code: 'M1' }] })).toBeUndefined();
    expect(deviceDisplay({ coding: [{ system: 'urn:site', code: 'M1' }] }, true)).toBe('urn:site|M1');
    expect(deviceDisplay({}, true)).toBeUndefined();
  });
});
