import { describe, expect, test } from 'vitest';
import { asFiniteNumber, asRecord, asRecords, asString, asText, codingsOf, isRecord } from '../../src/evidence/fhir-shape.js';

describe('FHIR shape guards', () => {
  test.each([null, 5, 'x', [], [{}], true])('%j is not a record', (value) => {
    expect(isRecord(value)).toBe(false);
    expect(asRecord(value)).toBeUndefined();
  });

  test('an object is a record and comes back as itself', () => {
    const value = { a: 1 };
    expect(isRecord(value)).toBe(true);
    expect(asRecord(value)).toBe(value);
  });

  test('asRecords keeps only the object items of an array and reads a non-array as empty', () => {
    const item = { code: 'x' };
    expect(asRecords([null, item, 5, 'x', [item]])).toEqual([item]);
    expect(asRecords({ 0: item, length: 1 })).toEqual([]);
    expect(asRecords(undefined)).toEqual([]);
  });

  test('asString and asText accept strings only; asText also refuses blank ones', () => {
    expect([asString('a'), asString(''), asString(5), asString(null), asString(['a'])]).toEqual(['a', '', undefined, undefined, undefined]);
    expect([asText('a'), asText('  '), asText(5), asText({ text: 'a' })]).toEqual(['a', undefined, undefined, undefined]);
  });

  test('asFiniteNumber accepts finite numbers only', () => {
    expect([asFiniteNumber(38.5), asFiniteNumber(0), asFiniteNumber('38.5'), asFiniteNumber(Number.POSITIVE_INFINITY), asFiniteNumber(Number.NaN), asFiniteNumber(null)]).toEqual([
      38.5,
      0,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  test('codingsOf keeps object codings with their string fields and drops everything else', () => {
    const concept = { coding: [null, 5, { system: 'http://loinc.org', code: 12, display: 'Temp' }, { code: '8310-5', system: {} }] };
    expect(codingsOf(concept)).toEqual([{ system: 'http://loinc.org', display: 'Temp' }, { code: '8310-5' }]);
  });

  test.each([null, 5, 'x', [], { coding: {} }, { coding: 'x' }, { coding: null }])('codingsOf reads %j as no codings', (concept) => {
    expect(codingsOf(concept)).toEqual([]);
  });
});
