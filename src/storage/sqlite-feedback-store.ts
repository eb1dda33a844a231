/**
 * The FeedbackStore on embedded SQLite: one row per feedback entry, the entry kept whole as JSON beside
 * the columns informatics queries by (service, card, outcome, reason code). The binding is libsql (an
 * SQLite fork with better-sqlite3's API) because it ships its native binary inside npm packages: the
 * install compiles nothing. The file format is SQLite's own, so files written by earlier versions
 * (better-sqlite3) open unchanged.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'libsql';
import type { FeedbackEntry } from '../protocol/request-schema.js';
import type { FeedbackStore, StoredFeedback } from './feedback-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  service_id TEXT NOT NULL,
  card_uuid TEXT NOT NULL,
  outcome TEXT NOT NULL,
  override_reason_code TEXT,
  outcome_timestamp TEXT NOT NULL,
  received_at TEXT NOT NULL,
  entry_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_service ON feedback (service_id, outcome);
`;

/**
 * Opens (and creates) the store.
 * @param path - `storage.sqlitePath`; `:memory:` keeps nothing across restarts; the directory is created
 */
export function openSqliteFeedbackStore(path: string): FeedbackStore {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true });
  }
  const db = new Database(path);
  // WAL with synchronous FULL: a committed (acknowledged) entry survives a crash of the process. The
  // busy timeout lets a reader such as `crs-cds report` wait for a writer instead of failing at once
  // (better-sqlite3 set 5 s by default; libsql sets none).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  const insert = db.prepare(
    `INSERT INTO feedback (service_id, card_uuid, outcome, override_reason_code, outcome_timestamp, received_at, entry_json)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const saveAll = db.transaction((serviceId: string, entries: readonly FeedbackEntry[], receivedAt: string) => {
    for (const entry of entries) {
      insert.run(
        serviceId,
        entry.card,
        entry.outcome,
        entry.overrideReason?.reason?.code ?? null,
        entry.outcomeTimestamp,
        receivedAt,
        JSON.stringify(entry),
      );
    }
  });
  const select = db.prepare(
    'SELECT service_id, received_at, entry_json FROM feedback WHERE service_id = ? ORDER BY id',
  );
  return {
    save: async (serviceId, entries, receivedAt) => {
      saveAll(serviceId, entries, receivedAt.toISOString());
    },
    list: async (serviceId) =>
      (select.all(serviceId) as { service_id: string; received_at: string; entry_json: string }[]).map(
        (row): StoredFeedback => ({
          serviceId: row.service_id,
          receivedAt: row.received_at,
          entry: JSON.parse(row.entry_json) as FeedbackEntry,
        }),
      ),
    ping: async () => {
      try {
        return db.open && db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    close: async () => {
      db.close();
    },
  };
}
