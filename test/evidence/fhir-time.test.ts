import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseFhirStart, parseFhirTime } from '../../src/evidence/fhir-time.js';

describe('parseFhirTime (section 2 clinical times)', () => {
  test.each([
    ['2026-11-21T10:00:00Z', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T10:00:00.5Z', '2026-11-21T10:00:00.500Z'],
    ['2026-11-21T10:00:00.123456Z', '2026-11-21T10:00:00.123Z'],
    ['2026-11-21T12:30:00+02:30', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T05:00:00-05:00', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T10:00Z', '2026-11-21T10:00:00.000Z'],
  ])('%s is the instant %s', (text, iso) => {
    const range = parseFhirTime(text);
    expect(range).toEqual({ start: Date.parse(iso), end: Date.parse(iso) });
  });

  test('a date covers its whole day, a month its whole month', () => {
    expect(parseFhirTime('2026-11-21')).toEqual({ start: Date.parse('2026-11-21T00:00:00Z'), end: Date.parse('2026-11-22T00:00:00Z') - 1 });
    expect(parseFhirTime('2026-02')).toEqual({ start: Date.parse('2026-02-01T00:00:00Z'), end: Date.parse('2026-03-01T00:00:00Z') - 1 });
  });

  test('a time without a zone, or garbage, is not understood', () => {
    expect(parseFhirTime('2026-11-21T10:00:00')).toBeUndefined();
    expect(parseFhirTime('yesterday')).toBeUndefined();
    expect(parseFhirTime('2026-13-21T10:00:00Z')).toBeUndefined();
  });

  test('the fast path agrees with Date.parse on any full dateTime', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -12, max: 14 }),
        (date, offsetHours) => {
          const sign = offsetHours < 0 ? '-' : '+';
          const local = new Date(date.getTime() + offsetHours * 3_600_000).toISOString().slice(0, 23);
          const text = `${local}${sign}${String(Math.abs(offsetHours)).padStart(2, '0')}:00`;
          expect(parseFhirTime(text)?.start).toBe(Date.parse(text));
        },
      ),
    );
  });
  describe('refuses values that are not valid FHIR times, on the fast and the general path', () => {
    test.each([
      ['2026-11-21T10:00:00.Z', 'a "." with no digit after it'],
      ['2026-11-21T10:00:00.+02:00', 'a "." with no digit before the zone'],
      ['2026-11-21T10:00:00+15:00', 'a zone beyond +14:00'],
      ['2026-11-21T10:00:00-14:30', 'a zone beyond -14:00'],
      ['2026-11-21T10:00:00+24:00', 'zone hours of 24'],
      ['2026-11-21T10:00:00+02:60', 'zone minutes of 60'],
      ['2026-11-21T10:00+02:75', 'zone minutes of 75 without seconds'],
      ['2026-02-31T10:00:00Z', 'February 31st'],
      ['2026-02-29T10:00:00Z', 'February 29th in a common year'],
      ['2026-04-31T10:00Z', 'April 31st without seconds'],
      ['2026-02-31', 'February 31st as a date'],
      ['2026-06-00', 'day 0'],
      ['0000-01-01T00:00:00Z', 'year 0000'],
      ['0000', 'year 0000 alone'],
    ])('%s (%s)', (text) => {
      expect(parseFhirTime(text)).toBeUndefined();
    });

    test.each(['2026-11-21T10:00:00+14:00', '2026-11-21T10:00:00-14:00', '2026-11-21T10:00:00+13:59'])('%s is within the zone bounds', (text) => {
      expect(parseFhirTime(text)?.start).toBe(Date.parse(text));
    });

    test('February 29th of a leap year is a date', () => {
      expect(parseFhirTime('2028-02-29T10:00:00Z')?.start).toBe(Date.parse('2028-02-29T10:00:00Z'));
      expect(parseFhirTime('2000-02-29')?.start).toBe(Date.parse('2000-02-29T00:00:00Z'));
    });
  });

  test('a year below 100 is that year, not 1900 + year', () => {
    expect(parseFhirTime('0050-03-01T00:00:00Z')?.start).toBe(Date.parse('0050-03-01T00:00:00Z'));
    expect(parseFhirTime('0050-03-01T00:00Z')?.start).toBe(Date.parse('0050-03-01T00:00:00Z'));
    expect(parseFhirTime('0050-03-01')).toEqual({ start: Date.parse('0050-03-01T00:00:00Z'), end: Date.parse('0050-03-02T00:00:00Z') - 1 });
    expect(parseFhirTime('0099')).toEqual({ start: Date.parse('0099-01-01T00:00:00Z'), end: Date.parse('0100-01-01T00:00:00Z') - 1 });
  });

  test('a year covers the whole year and a date at the end of a month ends at midnight', () => {
    expect(parseFhirTime('2026')).toEqual({ start: Date.parse('2026-01-01T00:00:00Z'), end: Date.parse('2027-01-01T00:00:00Z') - 1 });
    expect(parseFhirTime('2026-12-31')?.end).toBe(Date.parse('2027-01-01T00:00:00Z') - 1);
  });

  test.each([12345, null, {}, ['2026-11-21'], true])('a value of the wrong kind (%j) is not understood', (value) => {
    expect(parseFhirTime(value)).toBeUndefined();
    expect(parseFhirStart(value)).toBeUndefined();
  });
});
