/**
 * The SQLite AuditStore: the contract suite on a shared in-memory connection and on a file, and the
 * upgrade of a database file written by crs-cds 0.1.0 (feedback only) in place.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { sqliteAuditStore, openSqliteAuditStore } from '../../src/storage/sqlite-audit-store.js';
import { openSqliteDatabase } from '../../src/storage/sqlite-database.js';
import { openSqliteFeedbackStore, sqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { auditRecord, auditStoreContract } from './audit-store-contract.js';

const WRITTEN_BY_0_1_0 = fileURLToPath(new URL('../fixtures/storage/feedback-0.1.0-better-sqlite3.sqlite', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crs-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

auditStoreContract('SQLite, one in-memory connection', async () => {
  const db = openSqliteDatabase(':memory:');
  const audit = sqliteAuditStore(db);
  const feedback = sqliteFeedbackStore(db);
  return { audit, feedback, dispose: async () => { await audit.close(); await feedback.close(); } };
});

let files = 0;
auditStoreContract('SQLite file, separate connections', async () => {
  const path = join(dir, `contract-${++files}.sqlite`);
  const feedback = openSqliteFeedbackStore(path);
  const audit = openSqliteAuditStore(path);
  return { audit, feedback, dispose: async () => { await audit.close(); await feedback.close(); } };
});

test('adds the audit table to a 0.1.0 feedback file idempotently; its old feedback counts as unmatched', async () => {
  const path = join(dir, 'upgraded.sqlite');
  copyFileSync(WRITTEN_BY_0_1_0, path);
  for (let open = 0; open < 2; open++) {
    const audit = openSqliteAuditStore(path);
    if (open === 0) await audit.record([auditRecord(1)]);
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-12-01T00:00:00Z') };
    const unmatched = [];
    for await (const fact of audit.unmatchedFeedback(range)) unmatched.push(fact.outcome);
    expect(unmatched).toEqual(['accepted', 'overridden', 'overridden']);
    const cards = [];
    for await (const card of audit.cardsWithFeedback(range)) cards.push(card.card.cardUuid);
    expect(cards).toEqual([auditRecord(1).cardUuid]);
    await audit.close();
  }
  const feedback = openSqliteFeedbackStore(path);
  expect(await feedback.list('crs-patient-view')).toHaveLength(2);
  await feedback.close();
});

test('commits audit rows without an fsync but leaves the shared connection at synchronous FULL for feedback', async () => {
  const db = openSqliteDatabase(join(dir, 'sync.sqlite'));
  const audit = sqliteAuditStore(db);
  const synchronous = (): unknown => (db.pragma('synchronous') as { synchronous: number }[])[0]?.synchronous;
  expect(synchronous()).toBe(2);
  await audit.record([auditRecord(1)]);
  expect(synchronous()).toBe(2);
  await expect(audit.record([{ ...auditRecord(2), templateId: undefined } as unknown as ReturnType<typeof auditRecord>])).rejects.toThrow();
  expect(synchronous()).toBe(2);
  await audit.close();
});
