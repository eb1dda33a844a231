import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { classifyDevice } from '../../src/evidence/extract-oxygen.js';
import { SNOMED } from '../fixtures/grading/builders.js';

const devices = DEFAULT_CONFIG.codeLists.oxygenDevices;

describe('classifyDevice (O1, 6.1)', () => {
  test.each([
    ['blow-by oxygen mask', 'low-flow'],
    ['high-flow nasal cannula', 'high-flow'],
    ['Nasal cannula', 'low-flow'],
    ['oxygen mask', undefined], // not a 6.1 synonym: unrecognised (O1: at least low-flow, reported)
    ['NRB', 'high-flow'],
    ['BiPAP', 'positive-pressure'],
    ['nasal cannula and NRB', 'high-flow'],
    ['room air', 'none'],
    ['incentive spirometer', undefined],
  ] as const)('text "%s" is %s', (text, tier) => {
    expect(classifyDevice(text, devices)).toBe(tier);
  });

  test('the value code wins over the text', () => {
    expect(classifyDevice({ coding: [{ system: SNOMED, code: '336623009' }], text: 'BiPAP' }, devices)).toBe('low-flow');
  });

  test('an unrecognised code falls back to the text', () => {
    expect(classifyDevice({ coding: [{ system: 'http://example.org', code: 'x' }], text: 'CPAP' }, devices)).toBe(
      'positive-pressure',
    );
  });

  test('a SNOMED code matches without a system too', () => {
    expect(classifyDevice({ coding: [{ code: '427591007' }] }, devices)).toBe('high-flow');
  });
});
