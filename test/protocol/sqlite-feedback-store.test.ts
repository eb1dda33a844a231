import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const entry = {
  card: 'c0a8e5f6-5b1a-4f7e-9a0b-0d5c1f2e3a4b',
  outcome: 'overridden' as const,
  overrideReason: { reason: { code: 'not-crs' }, userComment: 'Ünïcode ✓' },
  outcomeTimestamp: '2026-11-21T10:00:00Z',
};

test('creates the directory and keeps feedback across a reopen', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crs-cds-'));
  dirs.push(dir);
  const path = join(dir, 'nested', 'feedback.sqlite');
  const first = openSqliteFeedbackStore(path);
  await first.save('crs-patient-view', [entry], new Date('2026-11-21T10:01:00Z'));
  await first.close();
  const second = openSqliteFeedbackStore(path);
  expect(await second.list('crs-patient-view')).toEqual([
    { serviceId: 'crs-patient-view', receivedAt: '2026-11-21T10:01:00.000Z', entry },
  ]);
  expect(await second.list('crs-order-select')).toEqual([]);
  expect(await second.ping()).toBe(true);
  await second.close();
  expect(await second.ping()).toBe(false);
});
