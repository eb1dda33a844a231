import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseFhirTime } from '../../src/evidence/fhir-time.js';

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
});
