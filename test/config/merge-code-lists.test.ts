import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, LOINC, RXNORM, SNOMED } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load-config.js';
import { problemsOf } from './helpers.js';

const lists = DEFAULT_CONFIG.codeLists;

describe('code-list deltas (section 6: extend or remove without restating)', () => {
  test('adds a local product code and a brand name to a default concept, keeping its defaults', () => {
    const config = parseConfig({
      codeLists: { vasopressors: { norepinephrine: { addCodes: [`${RXNORM}|1234`], addNames: ['levophed'] } } },
    });
    expect(config.codeLists.vasopressors['norepinephrine']).toEqual({
      codes: [{ system: RXNORM, code: '7512' }, { system: RXNORM, code: '1234' }],
      names: ['norepinephrine', 'levophed'],
    });
    expect(config.codeLists.vasopressors['epinephrine']).toEqual(lists.vasopressors['epinephrine']);
  });

  test('accepts the short system aliases rxnorm, snomed, sct, loinc and icd-10-cm', () => {
    const config = parseConfig({
      codeLists: {
        vasopressors: { dopamine: { addCodes: ['rxnorm|99'] } },
        oxygenDevices: { highFlow: { addCodes: ['SNOMED|123', 'sct|456'] } },
        observations: { bodyTemperature: { add: ['loinc|8334-5'] } },
        crsConditions: { addCodes: ['icd-10-cm|D89.8'] },
      },
    });
    expect(config.codeLists.vasopressors['dopamine']?.codes).toContainEqual({ system: RXNORM, code: '99' });
    expect(config.codeLists.oxygenDevices.highFlow.codes.slice(-2)).toEqual([{ system: SNOMED, code: '123' }, { system: SNOMED, code: '456' }]);
    expect(config.codeLists.observations.bodyTemperature).toEqual([...lists.observations.bodyTemperature, { system: LOINC, code: '8334-5' }]);
    expect(config.codeLists.crsConditions.codes).toHaveLength(lists.crsConditions.codes.length + 1);
  });

  test('adds a new concept under a new id', () => {
    const config = parseConfig({
      codeLists: { vasopressors: { 'angiotensin-ii': { addCodes: ['urn:oid:1.2.3|ANG2'], addNames: ['angiotensin II'] } } },
    });
    expect(config.codeLists.vasopressors['angiotensin-ii']).toEqual({ codes: [{ system: 'urn:oid:1.2.3', code: 'ANG2' }], names: ['angiotensin II'] });
    expect(Object.keys(config.codeLists.vasopressors)).toHaveLength(6);
  });

  test('drops a default concept with remove: true', () => {
    const config = parseConfig({ codeLists: { vasopressors: { phenylephrine: { remove: true } }, crsTherapies: { carT: { tisagenlecleucel: { remove: true } } } } });
    expect(config.codeLists.vasopressors['phenylephrine']).toBeUndefined();
    expect(Object.keys(config.codeLists.vasopressors)).toEqual(['norepinephrine', 'epinephrine', 'dopamine', 'vasopressin']);
    expect(config.codeLists.crsTherapies.carT['tisagenlecleucel']).toBeUndefined();
  });

  test('removes single default codes and names, names case-insensitively', () => {
    const config = parseConfig({
      codeLists: {
        oxygenDevices: { highFlow: { removeCodes: [`${SNOMED}|336602003`], removeNames: ['nrb'] } },
        observations: { spo2: { remove: [`${LOINC}|59408-5`] } },
      },
    });
    expect(config.codeLists.oxygenDevices.highFlow.codes.map((c) => c.code)).not.toContain('336602003');
    expect(config.codeLists.oxygenDevices.highFlow.names).not.toContain('NRB');
    expect(config.codeLists.oxygenDevices.highFlow.names).toContain('non-rebreather');
    expect(config.codeLists.observations.spo2).toEqual([{ system: LOINC, code: '2708-6' }]);
  });

  test('does not duplicate a code or name that is already there', () => {
    const config = parseConfig({ codeLists: { antipyretics: { ibuprofen: { addCodes: ['rxnorm|5640'], addNames: ['IBUPROFEN'] } } } });
    expect(config.codeLists.antipyretics['ibuprofen']).toEqual(lists.antipyretics['ibuprofen']);
  });

  test('leaves every list untouched without a codeLists section', () => {
    expect(parseConfig({}).codeLists).toEqual(lists);
  });

  test.each<[string, unknown, { path: string; message: string }[]]>([
    [
      'a misspelt default concept with remove: true',
      { vasopressors: { phenylefrine: { remove: true } } },
      [{ path: 'codeLists.vasopressors.phenylefrine', message: 'is not a default concept; did you mean "phenylephrine"?' }],
    ],
    [
      'a near miss of a default id used as a new concept (H2: it would count as a second vasopressor)',
      { vasopressors: { norepinefrine: { addCodes: ['rxnorm|1'] } } },
      [{ path: 'codeLists.vasopressors.norepinefrine', message: 'is not a default concept; did you mean "norepinephrine"?' }],
    ],
    [
      'remove: true with other changes',
      { vasopressors: { dopamine: { remove: true, addNames: ['x'] } } },
      [{ path: 'codeLists.vasopressors.dopamine', message: 'remove: true drops the whole concept and cannot be combined with other changes' }],
    ],
    [
      'removing a code that is not in the list',
      { vasopressors: { dopamine: { removeCodes: ['rxnorm|3629'] } } },
      [{ path: 'codeLists.vasopressors.dopamine.removeCodes', message: `"${RXNORM}|3629" is not in the list, so it cannot be removed` }],
    ],
    [
      'removing a name that is not in the list',
      { oxygenDevices: { lowFlow: { removeNames: ['nasal prongs'] } } },
      [{ path: 'codeLists.oxygenDevices.lowFlow.removeNames', message: '"nasal prongs" is not in the list, so it cannot be removed' }],
    ],
    [
      'a code without a system',
      { vasopressors: { dopamine: { addCodes: ['3628'] } } },
      [{ path: 'codeLists.vasopressors.dopamine.addCodes[0]', message: '"3628" must be written "system|code", e.g. "loinc|8310-5" or "http://loinc.org|8310-5"' }],
    ],
    [
      'a misspelt standard system',
      { observations: { bodyTemperature: { add: ['https://loinc.org|8331-1'] } } },
      [{ path: 'codeLists.observations.bodyTemperature.add[0]', message: '"https://loinc.org|8331-1" has code system "https://loinc.org"; did you mean "http://loinc.org"?' }],
    ],
    [
      'a new concept with nothing to match',
      { antipyretics: { metamizole: {} } },
      [{ path: 'codeLists.antipyretics.metamizole', message: 'would match nothing (no codes and no names left)' }],
    ],
    [
      'a new concept id that is not lowercase words',
      { antipyretics: { 'Meta Mizole': { addNames: ['metamizole'] } } },
      [{ path: 'codeLists.antipyretics.Meta Mizole', message: 'a new concept id must be lowercase letters and digits, words joined by "-" (e.g. angiotensin-ii)' }],
    ],
    [
      'a device tier emptied of every code and name',
      { oxygenDevices: { roomAir: { removeCodes: ['snomed|722742002'], removeNames: ['room air', 'RA', 'none'] } } },
      [{ path: 'codeLists.oxygenDevices.roomAir', message: 'would match nothing (no codes and no names left)' }],
    ],
    [
      'remove: true on a device tier (tiers are fixed)',
      { oxygenDevices: { highFlow: { remove: true } } },
      [{ path: 'codeLists.oxygenDevices.highFlow.remove', message: 'unknown key; expected one of: addCodes, removeCodes, addNames, removeNames' }],
    ],
    [
      'an observation list emptied',
      { observations: { bodyWeight: { remove: ['loinc|29463-7'] } } },
      [{ path: 'codeLists.observations.bodyWeight', message: 'would leave no codes: the observation could never be read' }],
    ],
    [
      'an unknown list',
      { vasopresors: {} },
      [{ path: 'codeLists.vasopresors', message: 'unknown key; did you mean "vasopressors"?' }],
    ],
  ])('reports %s', (_label, codeLists, expected) => {
    expect(problemsOf({ codeLists })).toEqual(expected);
  });

  test('reports a treatment concept that the site removed from its code list', () => {
    expect(problemsOf({ codeLists: { corticosteroids: { dexamethasone: { remove: true } } } })).toEqual([
      { path: 'treatment.steroids.grade2Refractory.concept', message: '"dexamethasone" is not a concept of codeLists.corticosteroids' },
      { path: 'treatment.steroids.grade2Early.concept', message: '"dexamethasone" is not a concept of codeLists.corticosteroids' },
      { path: 'treatment.steroids.grade3.concept', message: '"dexamethasone" is not a concept of codeLists.corticosteroids' },
    ]);
  });
});
