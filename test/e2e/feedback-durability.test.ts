/**
 * Durability of the embedded store (issue 10): a feedback entry the server acknowledged (200) survives a
 * `kill -9` of the real server process in the middle of a concurrent feedback load, and the file stays
 * intact (WAL, synchronous FULL).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterAll, expect, test } from 'vitest';
import { openSqliteFeedbackStore } from '../../src/storage/sqlite-feedback-store.js';
import { exited, startServerProcess } from '../support/server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'crs-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CONCURRENCY = 16;

function feedbackBody(): string {
  return JSON.stringify({
    feedback: [{ card: randomUUID(), outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }],
  });
}

test('every acknowledged feedback entry survives kill -9 of the server under concurrent load', async () => {
  const sqlitePath = join(dir, 'feedback.sqlite');
  const configPath = join(dir, 'site.yaml');
  writeFileSync(configPath, `storage:\n  sqlitePath: ${JSON.stringify(sqlitePath)}\n`);
  const server = startServerProcess({ CRS_CDS_CONFIG: configPath });
  const base = await server.baseUrl();
  const acknowledged = new Set<string>();
  let killed = false;

  const client = async (): Promise<void> => {
    while (!killed) {
      const body = feedbackBody();
      try {
        const res = await fetch(`${base}/cds-services/crs-patient-view/feedback`, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body,
        });
        if (res.status === 200) acknowledged.add((JSON.parse(body) as { feedback: { card: string }[] }).feedback[0]!.card);
      } catch {
        return; // the connection died with the process: this entry was never acknowledged
      }
    }
  };
  const clients = Array.from({ length: CONCURRENCY }, client);
  // Kill once a few hundred entries are in, while writes are certainly in flight.
  while (acknowledged.size < 300) await new Promise((resolve) => setTimeout(resolve, 10));
  server.child.kill('SIGKILL');
  killed = true;
  await exited(server.child);
  await Promise.all(clients);

  const db = new Database(sqlitePath);
  expect(db.prepare('PRAGMA integrity_check').get()).toMatchObject({ integrity_check: 'ok' });
  db.close();
  const store = openSqliteFeedbackStore(sqlitePath);
  const stored = new Set((await store.list('crs-patient-view')).map((row) => row.entry.card));
  await store.close();
  const lost = [...acknowledged].filter((card) => !stored.has(card));
  expect(acknowledged.size).toBeGreaterThanOrEqual(300);
  expect(lost).toEqual([]);
});
