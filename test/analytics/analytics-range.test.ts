import { expect, test } from 'vitest';
import { parseAnalyticsRange } from '../../src/analytics/analytics-range.js';

const NOW = new Date('2026-11-30T12:00:00Z');

test('dates cover whole days: from its midnight, to the next midnight', () => {
  expect(parseAnalyticsRange({ from: '2026-11-01', to: '2026-11-30' }, NOW)).toEqual({
    from: new Date('2026-11-01T00:00:00Z'),
    to: new Date('2026-12-01T00:00:00Z'),
  });
});

test('instants with an offset are taken as they are', () => {
  expect(parseAnalyticsRange({ from: '2026-11-01T08:00:00+02:00', to: '2026-11-02T00:00:00Z', service: 'crs-order-select' }, NOW)).toEqual({
    from: new Date('2026-11-01T06:00:00Z'),
    to: new Date('2026-11-02T00:00:00Z'),
    serviceId: 'crs-order-select',
  });
});

test('defaults to the 90 days before now', () => {
  expect(parseAnalyticsRange({}, NOW)).toEqual({ from: new Date('2026-09-01T12:00:00Z'), to: NOW });
  expect(parseAnalyticsRange({ to: '2026-11-10' }, NOW).from).toEqual(new Date('2026-08-13T00:00:00Z'));
});

test.each([
  [{ from: '2026-02-30' }, 'from', 'from must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset'],
  [{ from: '2026-11-01T10:00:00' }, 'from', 'from must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset'],
  [{ to: 'yesterday' }, 'to', 'to must be a date (YYYY-MM-DD) or an ISO-8601 time with an offset'],
  [{ from: '2026-11-30', to: '2026-11-29' }, 'from', 'from must be before to'],
  [{ from: ['2026-11-01', '2026-11-02'] }, 'from', 'from must be given once'],
  [{ service: 'crs-patient-veiw' }, 'service', 'service must be one of crs-patient-view, crs-order-select, crs-order-sign'],
])('%j is refused naming %s', (raw, field, message) => {
  expect(() => parseAnalyticsRange(raw, NOW)).toThrow(expect.objectContaining({ field, message }));
});
