/**
 * The embedded store moved from better-sqlite3 to libsql (issue 10) without changing the on-disk format:
 * a feedback file written by crs-cds 0.1.0 (better-sqlite3 12.11.1, SQLite 3.53, WAL) opens, reads back
 * exactly, and takes new entries.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';

const WRITTEN_BY_0_1_0 = fileURLToPath(new URL('../fixtures/storage/feedback-0.1.0-better-sqlite3.sqlite', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'crs-compat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('reads a feedback file written by the better-sqlite3 version and keeps appending to it', async () => {
  const path = join(dir, 'crs-cds.sqlite');
  copyFileSync(WRITTEN_BY_0_1_0, path);
  const store = openSqliteFeedbackStore(path);
  expect(await store.list('crs-patient-view')).toEqual([
    {
      serviceId: 'crs-patient-view',
      receivedAt: '2026-11-20T09:00:01.000Z',
      entry: {
        card: '6f1c2b9e-3d4a-4c5b-8e7f-0a1b2c3d4e5f',
        outcome: 'accepted',
        acceptedSuggestions: [{ id: '7a2d3c0f-4e5b-4d6c-9f80-1b2c3d4e5f60' }],
        outcomeTimestamp: '2026-11-20T08:00:00Z',
      },
    },
    {
      serviceId: 'crs-patient-view',
      receivedAt: '2026-11-20T09:00:01.000Z',
      entry: {
        card: '8b3e4d1a-5f6c-4e7d-a091-2c3d4e5f6071',
        outcome: 'overridden',
        overrideReason: {
          reason: { code: 'not-crs', system: 'https://crs-cds.example.org/override-reason', display: 'Not CRS' },
          userComment: 'Ünïcode ✓',
        },
        outcomeTimestamp: '2026-11-20T09:00:00Z',
      },
    },
  ]);
  expect((await store.list('crs-order-select')).map((row) => row.entry.card)).toEqual(['9c4f5e2b-6071-4f8e-b1a2-3d4e5f607182']);

  const added = { card: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', outcome: 'overridden' as const, outcomeTimestamp: '2026-11-30T10:00:00Z' };
  await store.save('crs-order-select', [added], new Date('2026-11-30T10:00:01Z'));
  await store.close();
  const reopened = openSqliteFeedbackStore(path);
  expect((await reopened.list('crs-order-select')).map((row) => row.entry.card)).toEqual([
    '9c4f5e2b-6071-4f8e-b1a2-3d4e5f607182',
    added.card,
  ]);
  await reopened.close();
});
