/**
 * The AuditStore contract, run against every implementation (SQLite here; PostgreSQL when it exists):
 * `auditStoreContract(name, open)` declares the tests; `open` gives a fresh, empty store pair (audit and
 * feedback over one database) and a cleanup.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { AuditRecord, AuditStore, AuditedCard, FeedbackFact } from '../../src/storage/audit-store.js';
import type { FeedbackStore } from '../../src/storage/feedback-store.js';

export interface OpenedStores {
  readonly audit: AuditStore;
  readonly feedback: FeedbackStore;
  /** Closes the stores and removes what the opener created. */
  readonly dispose: () => Promise<void>;
}

/** A record with defaults; `n` makes the uuid unique. */
export function auditRecord(n: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  const hex = n.toString(16).padStart(12, '0');
  return {
    cardUuid: `00000000-0000-4000-8000-${hex}`,
    serviceId: 'crs-patient-view',
    templateId: 'crs-grade-2',
    indicator: 'warning',
    grade: 2,
    episodeMaxGrade: 3,
    suggestions: [{ uuid: `10000000-0000-4000-8000-${hex}`, label: 'Order tocilizumab 558 mg IV over 60 min', drug: 'tocilizumab' }],
    configVersion: '0123456789abcdef',
    patientHash: 'a1b2c3d4e5f60718',
    recordedAt: '2026-11-21T10:00:00.000Z',
    ...extra,
  };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const RANGE = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };

/**
 * @param name - the implementation's name (describe block)
 * @param open - opens fresh, empty stores
 */
export function auditStoreContract(name: string, open: () => Promise<OpenedStores>): void {
  describe(`AuditStore contract: ${name}`, () => {
    const opened: OpenedStores[] = [];
    const fresh = async (): Promise<OpenedStores> => {
      const stores = await open();
      opened.push(stores);
      return stores;
    };
    afterEach(async () => {
      for (const stores of opened.splice(0)) await stores.dispose();
    });

    test('reads back exactly what was recorded, indeterminate grades without a grade', async () => {
      const { audit } = await fresh();
      const indeterminate: AuditRecord = {
        ...auditRecord(2, { templateId: 'crs-data-incomplete', indicator: 'info', suggestions: [] }),
        grade: undefined,
        episodeMaxGrade: undefined,
      };
      delete (indeterminate as { grade?: number }).grade;
      delete (indeterminate as { episodeMaxGrade?: number }).episodeMaxGrade;
      const steroid = auditRecord(3, {
        suggestions: [
          { uuid: 'a', label: 'Order tocilizumab', drug: 'tocilizumab' },
          { uuid: 'b', label: 'Order dexamethasone 10 mg IV every 6 h', drug: 'corticosteroid' },
          { uuid: 'c', label: 'Something else' },
        ],
        recordedAt: '2026-11-21T10:00:01.000Z',
      });
      await audit.record([auditRecord(1), indeterminate]);
      await audit.record([steroid]);
      const cards = await all(audit.cardsWithFeedback(RANGE));
      expect(cards).toEqual([
        { card: auditRecord(1), feedback: [] },
        { card: indeterminate, feedback: [] },
        { card: steroid, feedback: [] },
      ]);
      expect(Object.keys(cards[1]?.card ?? {})).not.toContain('grade');
    });

    test('selects the range [from, to) and one service', async () => {
      const { audit } = await fresh();
      await audit.record([
        auditRecord(1, { recordedAt: '2026-10-31T23:59:59.999Z' }),
        auditRecord(2, { recordedAt: '2026-11-01T00:00:00.000Z' }),
        auditRecord(3, { recordedAt: '2026-11-30T23:59:59.999Z', serviceId: 'crs-order-select', templateId: 'crs-os-dose' }),
        auditRecord(4, { recordedAt: '2026-12-01T00:00:00.000Z' }),
      ]);
      const uuids = async (query: Parameters<AuditStore['cardsWithFeedback']>[0]): Promise<string[]> =>
        (await all(audit.cardsWithFeedback(query))).map((c) => c.card.cardUuid.slice(-1));
      expect(await uuids(RANGE)).toEqual(['2', '3']);
      expect(await uuids({ ...RANGE, serviceId: 'crs-order-select' })).toEqual(['3']);
      expect(await uuids({ ...RANGE, serviceId: 'crs-patient-view' })).toEqual(['2']);
    });

    test('streams cards oldest first, each with its feedback in arrival order and no free text', async () => {
      const { audit, feedback } = await fresh();
      await audit.record([auditRecord(2, { recordedAt: '2026-11-21T12:00:00.000Z' }), auditRecord(1)]);
      const card1 = auditRecord(1);
      const card2 = auditRecord(2);
      await feedback.save(
        'crs-patient-view',
        [
          { card: card1.cardUuid, outcome: 'overridden', overrideReason: { reason: { code: 'not-crs', system: 'https://crs-cds.example.org/override-reason' }, userComment: 'Patient Zebulon says no' }, outcomeTimestamp: '2026-11-21T10:05:00Z' },
          { card: card1.cardUuid, outcome: 'accepted', acceptedSuggestions: [{ id: card1.suggestions[0]?.uuid as string }], outcomeTimestamp: '2026-11-21T10:06:00Z' },
        ],
        new Date('2026-11-21T10:06:01Z'),
      );
      const cards: AuditedCard[] = await all(audit.cardsWithFeedback(RANGE));
      expect(cards.map((c) => c.card.cardUuid)).toEqual([card1.cardUuid, card2.cardUuid]);
      expect(cards[0]?.feedback).toEqual([
        { outcome: 'overridden', overrideReasonCode: 'not-crs', acceptedSuggestionIds: [], outcomeTimestamp: '2026-11-21T10:05:00Z', receivedAt: '2026-11-21T10:06:01.000Z' },
        { outcome: 'accepted', acceptedSuggestionIds: [card1.suggestions[0]?.uuid], outcomeTimestamp: '2026-11-21T10:06:00Z', receivedAt: '2026-11-21T10:06:01.000Z' },
      ]);
      expect(JSON.stringify(cards)).not.toContain('Zebulon');
      expect(cards[1]?.feedback).toEqual([]);
    });

    test('counts feedback for unknown cards as unmatched, by the time and service it arrived', async () => {
      const { audit, feedback } = await fresh();
      await audit.record([auditRecord(1)]);
      const entry = (card: string): { card: string; outcome: 'accepted'; outcomeTimestamp: string } => ({ card, outcome: 'accepted', outcomeTimestamp: '2026-11-21T10:00:00Z' });
      await feedback.save('crs-patient-view', [entry(auditRecord(1).cardUuid), entry('9f000000-0000-4000-8000-000000000001')], new Date('2026-11-21T10:00:00Z'));
      await feedback.save('crs-order-select', [entry('9f000000-0000-4000-8000-000000000002')], new Date('2026-11-22T10:00:00Z'));
      await feedback.save('crs-order-select', [entry('9f000000-0000-4000-8000-000000000003')], new Date('2026-12-01T00:00:00Z'));
      const unmatched: FeedbackFact[] = await all(audit.unmatchedFeedback(RANGE));
      expect(unmatched.map((f) => f.receivedAt)).toEqual(['2026-11-21T10:00:00.000Z', '2026-11-22T10:00:00.000Z']);
      expect(await all(audit.unmatchedFeedback({ ...RANGE, serviceId: 'crs-order-select' }))).toHaveLength(1);
      // The card recorded later matches the feedback that arrived first.
      await audit.record([auditRecord(9, { cardUuid: '9f000000-0000-4000-8000-000000000001' })]);
      expect(await all(audit.unmatchedFeedback(RANGE))).toHaveLength(1);
    });

    test('keeps the first record of a card uuid and stores a batch all or nothing', async () => {
      const { audit } = await fresh();
      await audit.record([auditRecord(1)]);
      await audit.record([auditRecord(1, { templateId: 'crs-grade-4' })]);
      const broken = { ...auditRecord(3), templateId: undefined } as unknown as AuditRecord;
      await expect(audit.record([auditRecord(2), broken])).rejects.toThrow();
      const cards = await all(audit.cardsWithFeedback(RANGE));
      expect(cards.map((c) => [c.card.cardUuid.slice(-1), c.card.templateId])).toEqual([['1', 'crs-grade-2']]);
    });

    test('purges records older than the cutoff, and feedback received before it', async () => {
      const { audit, feedback } = await fresh();
      await audit.record([
        auditRecord(1, { recordedAt: '2026-11-01T00:00:00.000Z' }),
        auditRecord(2, { recordedAt: '2026-11-10T00:00:00.000Z' }),
        auditRecord(3, { recordedAt: '2026-11-20T00:00:00.000Z' }),
      ]);
      await feedback.save('crs-patient-view', [{ card: auditRecord(1).cardUuid, outcome: 'accepted', outcomeTimestamp: '2026-11-01T00:01:00Z' }], new Date('2026-11-01T00:01:00Z'));
      await feedback.save('crs-patient-view', [{ card: auditRecord(3).cardUuid, outcome: 'accepted', outcomeTimestamp: '2026-11-20T00:01:00Z' }], new Date('2026-11-20T00:01:00Z'));
      expect(await audit.purgeBefore(new Date('2026-11-10T00:00:00Z'))).toBe(1);
      expect(await feedback.purgeBefore(new Date('2026-11-10T00:00:00Z'))).toBe(1);
      const cards = await all(audit.cardsWithFeedback(RANGE));
      expect(cards.map((c) => [c.card.cardUuid.slice(-1), c.feedback.length])).toEqual([['2', 0], ['3', 1]]);
      expect(await feedback.list('crs-patient-view')).toHaveLength(1);
      expect(await audit.purgeBefore(new Date('2026-11-10T00:00:00Z'))).toBe(0);
    });

    test('purges and streams more rows than one batch', async () => {
      const { audit } = await fresh();
      const many = Array.from({ length: 2500 }, (_, i) => auditRecord(i + 1, { recordedAt: new Date(Date.UTC(2026, 10, 2) + i * 1000).toISOString() }));
      await audit.record(many);
      expect(await all(audit.cardsWithFeedback(RANGE))).toHaveLength(2500);
      expect(await audit.purgeBefore(new Date(Date.UTC(2026, 10, 2) + 2100 * 1000))).toBe(2100);
      expect(await all(audit.cardsWithFeedback(RANGE))).toHaveLength(400);
    });

    test('answers ping while open, not after close', async () => {
      const stores = await open();
      expect(await stores.audit.ping()).toBe(true);
      await stores.dispose();
      expect(await stores.audit.ping()).toBe(false);
    });
  });
}
