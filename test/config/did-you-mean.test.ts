import { describe, expect, test } from 'vitest';
import { levenshtein, suggest } from '../../src/config/did-you-mean.js';
import { problemsOf } from './helpers.js';

describe('levenshtein', () => {
  test.each<[string, string, number]>([
    ['feverCelsius', 'feverCelsius', 0],
    ['feverCelcius', 'feverCelsius', 1],
    ['FeverCelsius', 'feverCelsius', 0],
    ['sbpBelow', 'mapBelow', 2],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('%s → %s is %d edits', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
  });
});

describe('suggest', () => {
  test('names the closest sibling key within reach', () => {
    expect(suggest('lookbackHour', ['lookbackHours', 'lowFlowMaxLpm'])).toBe('lookbackHours');
    expect(suggest('timeout', ['allowedServers', 'timeoutMs'])).toBe('timeoutMs');
  });

  test('suggests nothing for a name far from every candidate', () => {
    expect(suggest('colour', ['feverCelsius', 'sbpBelow'])).toBeUndefined();
  });
});

describe('unknown keys get a "did you mean" hint from their siblings', () => {
  test.each<[unknown, string, string]>([
    [{ grading: { feverCelcius: 38 } }, 'grading.feverCelcius', 'unknown key; did you mean "feverCelsius"?'],
    [{ grading: { showGradeZer0: true } }, 'grading.showGradeZer0', 'unknown key; did you mean "showGradeZero"?'],
    [{ fhir: { timeout: 100 } }, 'fhir.timeout', 'unknown key; did you mean "timeoutMs"?'],
    [{ grdaing: {} }, 'grdaing', 'unknown key; did you mean "grading"?'],
    [{ treatment: { tocilizumab: { maxDosePerEpisode: 4 } } }, 'treatment.tocilizumab.maxDosePerEpisode', 'unknown key; did you mean "maxDosesPerEpisode"?'],
    [{ codeLists: { vasopressors: { dopamine: { addName: ['x'] } } } }, 'codeLists.vasopressors.dopamine.addName', 'unknown key; did you mean "addNames"?'],
    [{ storage: { database: 'x' } }, 'storage.database', 'unknown key; expected one of: kind, sqlitePath, url, pool'],
  ])('%j', (raw, path, message) => {
    expect(problemsOf(raw)).toEqual([{ path, message }]);
  });
});
