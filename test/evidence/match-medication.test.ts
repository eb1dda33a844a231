import type { MedicationAdministration } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { identifyMedication, indexMedications, matchConcepts } from '../../src/evidence/match-medication.js';
import { findNameMatches, longestNonOverlapping, matchesWholeWord } from '../../src/evidence/match-name.js';
import { administration, AS_OF, medication, namedMed, RXNORM, rxMed } from '../fixtures/grading/builders.js';

const pressors = DEFAULT_CONFIG.codeLists.vasopressors;
const noMeds = new Map();

describe('matchConcepts (E7)', () => {
  test('an RxNorm code matches only with the RxNorm system', () => {
    const withSystem = { codings: [{ system: RXNORM, code: '7512' }], texts: [] };
    const withoutSystem = { codings: [{ code: '7512' }], texts: [] };
    const otherSystem = { codings: [{ system: 'http://example.org/local', code: '7512' }], texts: [] };
    expect(matchConcepts(withSystem, pressors, false)).toEqual(['norepinephrine']);
    expect(matchConcepts(withoutSystem, pressors, false)).toEqual([]);
    expect(matchConcepts(otherSystem, pressors, false)).toEqual([]);
  });

  test('"epinephrine" does not match "norepinephrine" by name (whole word)', () => {
    const identity = { codings: [], texts: ['Norepinephrine 4 mg in 250 mL D5W'] };
    expect(matchConcepts(identity, pressors, true)).toEqual(['norepinephrine']);
    expect(matchConcepts({ codings: [], texts: ['EPINEPHRINE infusion'] }, pressors, true)).toEqual(['epinephrine']);
  });

  test('name matching is used only when matchNames is on', () => {
    const identity = { codings: [{ system: 'http://example.org/ndc', code: '123', display: 'Levophed (norepinephrine)' }], texts: [] };
    expect(matchConcepts({ ...identity, texts: ['Levophed (norepinephrine)'] }, pressors, true)).toEqual(['norepinephrine']);
    expect(matchConcepts({ ...identity, texts: ['Levophed (norepinephrine)'] }, pressors, false)).toEqual([]);
  });
});

describe('identifyMedication (E7)', () => {
  test('reads medicationCodeableConcept codings and text', () => {
    const ma = administration(rxMed('7512', 'norepinephrine'), AS_OF);
    const identity = identifyMedication(ma, noMeds);
    expect(identity?.codings).toEqual([{ system: RXNORM, code: '7512', display: 'norepinephrine' }]);
    expect(identity?.texts).toContain('norepinephrine');
  });

  test('resolves a contained Medication and its ingredients', () => {
    const contained = medication('m1', namedMed('Levophed premix'), [rxMed('7512', 'norepinephrine')]);
    const ma = administration({ reference: '#m1', contained }, AS_OF);
    const identity = identifyMedication(ma, noMeds);
    expect(identity === undefined ? [] : matchConcepts(identity, pressors, false)).toEqual(['norepinephrine']);
  });

  test('resolves a Medication found elsewhere in the data (Bundle, _include)', () => {
    const med = medication('toci', rxMed('612865', 'tocilizumab'));
    const ma = administration({ reference: 'Medication/toci' }, AS_OF);
    const index = indexMedications([ma, med]);
    const identity = identifyMedication(ma, index);
    expect(identity === undefined ? [] : matchConcepts(identity, DEFAULT_CONFIG.codeLists.antiCytokines, false)).toEqual([
      'tocilizumab',
    ]);
  });

  test('an ingredient given by itemReference to another Medication is followed', () => {
    const inner = medication('inner', rxMed('3264', 'dexamethasone'));
    const outer: ReturnType<typeof medication> = { resourceType: 'Medication', id: 'outer', ingredient: [{ itemReference: { reference: 'Medication/inner' } }] };
    const ma = administration({ reference: 'Medication/outer' }, AS_OF);
    const identity = identifyMedication(ma, indexMedications([inner, outer]));
    expect(identity === undefined ? [] : matchConcepts(identity, DEFAULT_CONFIG.codeLists.corticosteroids, false)).toEqual([
      'dexamethasone',
    ]);
  });

  test('an unresolvable reference gives undefined', () => {
    const ma: MedicationAdministration = administration({ reference: 'Medication/missing' }, AS_OF);
    expect(identifyMedication(ma, noMeds)).toBeUndefined();
    expect(identifyMedication(administration({ reference: '#nowhere' }, AS_OF), noMeds)).toBeUndefined();
  });
});

describe('whole-word name matching', () => {
  test('matches at word boundaries only, case-insensitively', () => {
    expect(matchesWholeWord('Oxygen via NRB', 'nrb')).toBe(true);
    expect(matchesWholeWord('NRBX', 'NRB')).toBe(false);
    expect(matchesWholeWord('nasal  cannula', 'Nasal Cannula')).toBe(true);
  });

  test('the longest of overlapping matches wins (O1 "blow-by oxygen mask")', () => {
    const matches = findNameMatches('blow-by oxygen mask', ['oxygen mask', 'blow-by oxygen mask', 'blow-by']);
    expect(longestNonOverlapping(matches).map((m) => m.name)).toEqual(['blow-by oxygen mask']);
  });
});
