/**
 * The FeedbackStore on embedded SQLite: one row per feedback entry, the entry kept whole as JSON beside
 * the columns informatics queries by (service, card, outcome, reason code). The binding is libsql (an
 * SQLite fork with better-sqlite3's API) because it ships its native binary inside npm packages: the
 * install compiles nothing. The file format is SQLite's own, so files written by earlier versions
 * (better-sqlite3) open unchanged.
 */
import type Database from 'libsql';
import type { FeedbackEntry } from '../protocol/request-schema.js';
import type { FeedbackStore, StoredFeedback } from './feedback-store.js';
import { closeDatabase, openSqliteDatabase, pingDatabase, purgeRowsBefore } from './sqlite-database.js';

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
CREATE INDEX IF NOT EXISTS feedback_card ON feedback (card_uuid);
CREATE INDEX IF NOT EXISTS feedback_received ON feedback (received_at);
`;

/**
 * Creates the feedback table and its indexes when absent (idempotent: a file written by an earlier
 * version gains the new indexes and keeps its rows). The audit store calls it too: it joins this table.
 * @param db - an open connection
 */
export function ensureFeedbackSchema(db: Database.Database): void {
  db.exec(SCHEMA);
}

/**
 * Opens (and creates) the store on its own connection.
 * @param path - `storage.sqlitePath`; `:memory:` keeps nothing across restarts; the directory is created
 */
export function openSqliteFeedbackStore(path: string): FeedbackStore {
  return sqliteFeedbackStore(openSqliteDatabase(path));
}

/**
 * The store on an open connection, which it may share with the audit store (closing either closes it).
 * @param db - from `openSqliteDatabase`
 */
export function sqliteFeedbackStore(db: Database.Database): FeedbackStore {
  ensureFeedbackSchema(db);
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
    purgeBefore: (cutoff) => purgeRowsBefore(db, 'feedback', 'received_at', cutoff),
    ping: async () => pingDatabase(db),
    close: async () => closeDatabase(db),
  };
}
