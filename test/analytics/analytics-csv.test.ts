import { expect, test } from 'vitest';
import { analyticsCsv } from '../../src/analytics/analytics-csv.js';
import { computeAnalytics } from '../../src/analytics/compute-analytics.js';
import { auditRecord } from '../storage/audit-store-contract.js';

test('writes one RFC 4180 table with a section per group, quoting and defusing text', async () => {
  const analytics = await computeAnalytics({
    from: new Date('2026-11-01T00:00:00Z'),
    to: new Date('2026-12-01T00:00:00Z'),
    service: 'crs-patient-view',
    cards: [
      {
        card: auditRecord(1, { recordedAt: '2026-11-16T10:00:00.000Z' }),
        feedback: [{ outcome: 'overridden', overrideReasonCode: '=HYPERLINK("x")', acceptedSuggestionIds: [], outcomeTimestamp: '2026-11-16T10:02:00Z', receivedAt: '2026-11-16T10:02:00Z' }],
      },
      { card: auditRecord(2, { recordedAt: '2026-11-17T10:00:00.000Z' }), feedback: [] },
    ],
    unmatched: [],
    reasonDisplay: () => 'Other, "see note"',
  });
  expect(analyticsCsv(analytics).split('\r\n')).toEqual([
    'section,key,label,n,accepted,overridden,ignored,accepted_pct,overridden_pct,ignored_pct',
    'range,from,2026-11-01T00:00:00.000Z',
    'range,to,2026-12-01T00:00:00.000Z',
    'range,service,crs-patient-view',
    'total,all,,2,0,1,1,0,50,50',
    'template,crs-grade-2,,2,0,1,1,0,50,50',
    'grade,2,,2,0,1,1,0,50,50',
    'week,2026-11-16,,2,0,1,1,0,50,50',
    'config_version,0123456789abcdef,,2,0,1,1,0,50,50',
    'suggestion,tocilizumab,,2,0,1,1',
    'suggestion,corticosteroid,,0,0,0,0',
    `override_reason,"'=HYPERLINK(""x"")","Other, ""see note""",1,,1,,,100`,
    'time_to_feedback,< 1 min,,0',
    'time_to_feedback,1–5 min,,1',
    'time_to_feedback,5–15 min,,0',
    'time_to_feedback,15–60 min,,0',
    'time_to_feedback,1–4 h,,0',
    'time_to_feedback,4–24 h,,0',
    'time_to_feedback,≥ 24 h,,0',
    'unmatched_feedback,all,,0',
    '',
  ]);
});
