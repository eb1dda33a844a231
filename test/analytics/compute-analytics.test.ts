import { describe, expect, test } from 'vitest';
import { cardOutcome, computeAnalytics, weekOf } from '../../src/analytics/compute-analytics.js';
import type { AuditedCard, FeedbackFact } from '../../src/storage/audit-store.js';
import { auditRecord } from '../storage/audit-store-contract.js';

const FROM = new Date('2026-11-01T00:00:00Z');
const TO = new Date('2026-12-01T00:00:00Z');
const accepted = (at: string, ids: string[] = []): FeedbackFact => ({ outcome: 'accepted', acceptedSuggestionIds: ids, outcomeTimestamp: at, receivedAt: at });
const overridden = (at: string, code?: string): FeedbackFact => ({ outcome: 'overridden', ...(code === undefined ? {} : { overrideReasonCode: code }), acceptedSuggestionIds: [], outcomeTimestamp: at, receivedAt: at });

const TOCI = (n: number) => ({ uuid: `toci-${n}`, label: 'Order tocilizumab', drug: 'tocilizumab' as const });
const DEXA = (n: number) => ({ uuid: `dexa-${n}`, label: 'Order dexamethasone', drug: 'corticosteroid' as const });

/** A small, hand-counted month: 6 cards, 3 templates, 2 weeks, 2 configuration versions. */
function month(): AuditedCard[] {
  const at = (day: number, hour = 10): string => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
  return [
    // Week of Mon 2026-11-16
    { card: auditRecord(1, { templateId: 'crs-grade-2', grade: 2, suggestions: [TOCI(1)], recordedAt: at(16), configVersion: 'v1', patientHash: 'p1' }), feedback: [accepted(new Date(Date.UTC(2026, 10, 16, 10, 3)).toISOString(), ['toci-1'])] },
    { card: auditRecord(2, { templateId: 'crs-grade-3', grade: 3, suggestions: [TOCI(2), DEXA(2)], recordedAt: at(17), configVersion: 'v1', patientHash: 'p2' }), feedback: [accepted(new Date(Date.UTC(2026, 10, 17, 10, 30)).toISOString(), ['dexa-2'])] },
    { card: auditRecord(3, { templateId: 'crs-grade-3', grade: 3, suggestions: [TOCI(3), DEXA(3)], recordedAt: at(18), configVersion: 'v1', patientHash: 'p2' }), feedback: [overridden(new Date(Date.UTC(2026, 10, 18, 12)).toISOString(), 'not-crs')] },
    // Week of Mon 2026-11-30 (the week of 11-23 had no cards)
    { card: { ...auditRecord(4, { templateId: 'crs-data-incomplete', suggestions: [], recordedAt: at(30), configVersion: 'v2', patientHash: 'p3' }), grade: undefined }, feedback: [] },
    { card: auditRecord(5, { templateId: 'crs-grade-2', grade: 2, suggestions: [TOCI(5)], recordedAt: at(30, 11), configVersion: 'v2', patientHash: 'p1' }), feedback: [overridden(at(30, 9))] },
    { card: auditRecord(6, { templateId: 'crs-grade-2', grade: 2, suggestions: [TOCI(6)], recordedAt: at(30, 12), configVersion: 'v2', patientHash: 'p4' }), feedback: [overridden(at(30, 13), 'alternative-cause'), accepted(at(30, 14), ['toci-6'])] },
  ];
}

describe('card outcomes', () => {
  test.each([
    [[], 'ignored'],
    [[overridden('2026-11-01T00:00:00Z')], 'overridden'],
    [[overridden('2026-11-01T00:00:00Z'), accepted('2026-11-01T00:01:00Z')], 'accepted'],
    [[accepted('2026-11-01T00:00:00Z')], 'accepted'],
  ] as const)('%j is %s', (feedback, outcome) => {
    expect(cardOutcome(feedback)).toBe(outcome);
  });

  test.each([
    ['2026-11-30T10:00:00.000Z', '2026-11-30'],
    ['2026-12-06T23:59:59.999Z', '2026-11-30'],
    ['2026-12-07T00:00:00.000Z', '2026-12-07'],
    ['2027-01-01T00:00:00.000Z', '2026-12-28'],
  ])('the week of %s starts on Monday %s', (iso, monday) => {
    expect(weekOf(iso)).toBe(monday);
  });
});

describe('computeAnalytics', () => {
  test('counts outcomes per template, grade, week and configuration version, with rates', async () => {
    const a = await computeAnalytics({ from: FROM, to: TO, cards: month(), unmatched: [accepted('2026-11-20T00:00:00Z')] });
    expect(a.totals).toEqual({ cards: 6, accepted: 3, overridden: 2, ignored: 1, acceptedRate: 0.5, overriddenRate: 2 / 6, ignoredRate: 1 / 6, patients: 4, unmatchedFeedback: 1 });
    expect(a.byTemplate.map((r) => [r.key, r.cards, r.accepted, r.overridden, r.ignored])).toEqual([
      ['crs-data-incomplete', 1, 0, 0, 1],
      ['crs-grade-2', 3, 2, 1, 0],
      ['crs-grade-3', 2, 1, 1, 0],
    ]);
    expect(a.byTemplate[1]).toMatchObject({ acceptedRate: 2 / 3, overriddenRate: 1 / 3, ignoredRate: 0 });
    expect(a.byGrade.map((r) => [r.key, r.cards])).toEqual([['2', 3], ['3', 2], ['indeterminate', 1]]);
    expect(a.byWeek.map((r) => [r.key, r.cards, r.accepted])).toEqual([['2026-11-16', 3, 2], ['2026-11-23', 0, 0], ['2026-11-30', 3, 1]]);
    expect(a.byConfigVersion.map((r) => [r.key, r.cards, r.overridden])).toEqual([['v1', 3, 1], ['v2', 3, 1]]);
  });

  test('counts override reasons per overridden card with the template display, and suggestions by drug', async () => {
    const displays = new Map([['not-crs', 'Not CRS']]);
    const a = await computeAnalytics({ from: FROM, to: TO, cards: month(), unmatched: [], reasonDisplay: (code) => displays.get(code) });
    expect(a.overrideReasons).toEqual([
      { code: 'none', count: 1, share: 0.5 },
      { code: 'not-crs', display: 'Not CRS', count: 1, share: 0.5 },
    ]);
    expect(a.suggestions).toEqual([
      { drug: 'tocilizumab', offered: 5, accepted: 2, overridden: 2, notTaken: 1 },
      { drug: 'corticosteroid', offered: 2, accepted: 1, overridden: 1, notTaken: 0 },
    ]);
  });

  test('measures time from card to first feedback, skew counted as immediate', async () => {
    const a = await computeAnalytics({ from: FROM, to: TO, cards: month(), unmatched: [] });
    // Delays: 3 min, 30 min, 2 h, -2 h (skew → 0), 1 h.
    expect(a.timeToFeedback.count).toBe(5);
    expect(a.timeToFeedback.medianSeconds).toBe(1800);
    expect(a.timeToFeedback.p90Seconds).toBe(7200);
    expect(a.timeToFeedback.buckets.map((b) => [b.label, b.count])).toEqual([
      ['< 1 min', 1], ['1–5 min', 1], ['5–15 min', 0], ['15–60 min', 1], ['1–4 h', 2], ['4–24 h', 0], ['≥ 24 h', 0],
    ]);
  });

  test('an empty range has counts of zero and omits what has no value', async () => {
    const a = await computeAnalytics({ from: FROM, to: TO, service: 'crs-order-select', cards: [], unmatched: [] });
    expect(a).toEqual({
      from: FROM.toISOString(),
      to: TO.toISOString(),
      service: 'crs-order-select',
      totals: { cards: 0, accepted: 0, overridden: 0, ignored: 0, patients: 0, unmatchedFeedback: 0 },
      byTemplate: [],
      byGrade: [],
      byWeek: [],
      byConfigVersion: [],
      overrideReasons: [],
      suggestions: [
        { drug: 'tocilizumab', offered: 0, accepted: 0, overridden: 0, notTaken: 0 },
        { drug: 'corticosteroid', offered: 0, accepted: 0, overridden: 0, notTaken: 0 },
      ],
      timeToFeedback: { count: 0, buckets: expect.any(Array) },
    });
  });
});
