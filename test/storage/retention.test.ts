import { afterEach, expect, test, vi } from 'vitest';
import { startRetentionPurge, type Purgeable } from '../../src/storage/retention.js';
import { sqliteAuditStore } from '../../src/storage/sqlite-audit-store.js';
import { openSqliteDatabase } from '../../src/storage/sqlite-database.js';
import { sqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { auditRecord } from './audit-store-contract.js';

const DAY = 24 * 60 * 60 * 1000;
const logger = { info: vi.fn(), error: vi.fn() };
afterEach(() => {
  vi.useRealTimers();
  vi.clearAllMocks();
});

function recordingStore(): Purgeable & { cutoffs: Date[] } {
  const cutoffs: Date[] = [];
  return { cutoffs, purgeBefore: async (cutoff) => (cutoffs.push(cutoff), 1) };
}

test('purges at start and every interval, retentionDays before the injected clock, on an unref-ed timer', async () => {
  vi.useFakeTimers();
  let now = new Date('2026-11-30T12:00:00Z');
  const store = recordingStore();
  const unref = vi.spyOn(globalThis, 'setInterval');
  const purge = startRetentionPurge({ retentionDays: 400, stores: [store], logger, now: () => now, everyMs: 60_000 });
  await vi.advanceTimersByTimeAsync(0);
  expect(store.cutoffs).toEqual([new Date(now.getTime() - 400 * DAY)]);
  expect((unref.mock.results[0]?.value as NodeJS.Timeout).hasRef()).toBe(false);
  now = new Date('2026-12-01T12:00:00Z');
  await vi.advanceTimersByTimeAsync(60_000);
  expect(store.cutoffs.map((d) => d.toISOString())).toEqual(['2025-10-26T12:00:00.000Z', '2025-10-27T12:00:00.000Z']);
  purge.stop();
  await vi.advanceTimersByTimeAsync(10 * 60_000);
  expect(store.cutoffs).toHaveLength(2);
});

test('a failing store is logged by error name and the others are still purged', async () => {
  const good = recordingStore();
  const bad: Purgeable = { purgeBefore: async () => Promise.reject(new TypeError('disk I/O error at /secret')) };
  const purge = startRetentionPurge({ retentionDays: 1, stores: [bad, good], logger, now: () => new Date('2026-11-30T00:00:00Z') });
  expect(await purge.runOnce()).toBe(1);
  purge.stop();
  expect(good.cutoffs.length).toBeGreaterThanOrEqual(1);
  expect(logger.error).toHaveBeenCalledWith({ errorName: 'TypeError' }, 'retention purge failed; will retry');
});

test('deletes audit records and feedback older than the retention period from the real store', async () => {
  const db = openSqliteDatabase(':memory:');
  const audit = sqliteAuditStore(db);
  const feedback = sqliteFeedbackStore(db);
  await audit.record([auditRecord(1, { recordedAt: '2025-10-01T00:00:00.000Z' }), auditRecord(2, { recordedAt: '2025-11-01T00:00:00.000Z' })]);
  await feedback.save('crs-patient-view', [{ card: auditRecord(1).cardUuid, outcome: 'accepted', outcomeTimestamp: '2025-10-01T00:01:00Z' }], new Date('2025-10-01T00:01:00Z'));
  const purge = startRetentionPurge({ retentionDays: 400, stores: [audit, feedback], logger, now: () => new Date('2026-11-30T00:00:00Z') });
  // The purge at start and this one share one run: one purge at a time.
  expect(await purge.runOnce()).toBe(2);
  purge.stop();
  const left = [];
  for await (const card of audit.cardsWithFeedback({ from: new Date(0), to: new Date('2027-01-01T00:00:00Z') })) left.push(card.card.cardUuid);
  expect(left).toEqual([auditRecord(2).cardUuid]);
  expect(await feedback.list('crs-patient-view')).toEqual([]);
  await audit.close();
});
