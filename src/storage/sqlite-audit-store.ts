/**
 * The AuditStore on embedded SQLite, in the same database file as feedback (`storage.sqlitePath`), so
 * analytics join the two by card uuid in one query. Tables are created idempotently: a file written by
 * an earlier version gains them and keeps its feedback. Rows are mapped column by column (libsql rows
 * carry an extra `_metadata` property). The SQL is plain (LEFT JOIN, NOT EXISTS, ORDER BY) so a
 * PostgreSQL implementation can keep it.
 */
import type Database from 'libsql';
import { toAuditRecord, toFeedbackFact, type AuditCardRow, type FeedbackRow as FeedbackColumns } from './audit-rows.js';
import type { AuditQuery, AuditRecord, AuditStore, AuditSuggestion, FeedbackFact } from './audit-store.js';
import { closeDatabase, openSqliteDatabase, pingDatabase, purgeRowsBefore } from './sqlite-database.js';
import { ensureFeedbackSchema } from './sqlite-feedback-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_card (
  card_uuid TEXT PRIMARY KEY,
  service_id TEXT NOT NULL,
  template_id TEXT NOT NULL,
  indicator TEXT NOT NULL,
  grade INTEGER,
  episode_max_grade INTEGER,
  suggestions_json TEXT NOT NULL,
  config_version TEXT NOT NULL,
  patient_hash TEXT NOT NULL,
  recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_card_recorded ON audit_card (recorded_at);
`;

/** Cards read between two turns of the event loop while streaming (the binding is synchronous). */
const YIELD_EVERY_CARDS = 500;

interface CardRow extends AuditCardRow {
  suggestions_json: string;
  recorded_at: string;
}

interface FeedbackRow extends FeedbackColumns {
  received_at: string | null;
  entry_json: string | null;
}

const CARD_COLUMNS =
  'a.card_uuid, a.service_id, a.template_id, a.indicator, a.grade, a.episode_max_grade, a.suggestions_json, a.config_version, a.patient_hash, a.recorded_at';
const FEEDBACK_COLUMNS = 'f.outcome, f.override_reason_code, f.outcome_timestamp, f.received_at, f.entry_json';

function toRecord(row: CardRow): AuditRecord {
  return toAuditRecord(row, JSON.parse(row.suggestions_json) as AuditSuggestion[], row.recorded_at);
}

function toFact(row: FeedbackRow): FeedbackFact | undefined {
  return toFeedbackFact(row, row.received_at, row.entry_json === null ? null : JSON.parse(row.entry_json));
}

function rangeParams(query: AuditQuery): string[] {
  return [query.from.toISOString(), query.to.toISOString(), ...(query.serviceId === undefined ? [] : [query.serviceId])];
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Opens (and creates) the audit store on its own connection.
 * @param path - `storage.sqlitePath` (the feedback store's file); `:memory:` keeps nothing
 */
export function openSqliteAuditStore(path: string): AuditStore {
  return sqliteAuditStore(openSqliteDatabase(path));
}

/**
 * The store on an open connection, shared with the feedback store in the server (one connection per
 * file; `:memory:` databases are per connection, so sharing is what lets them join there too).
 * @param db - from `openSqliteDatabase`
 */
export function sqliteAuditStore(db: Database.Database): AuditStore {
  ensureFeedbackSchema(db);
  db.exec(SCHEMA);
  const insert = db.prepare(
    `INSERT INTO audit_card (card_uuid, service_id, template_id, indicator, grade, episode_max_grade, suggestions_json, config_version, patient_hash, recorded_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (card_uuid) DO NOTHING`,
  );
  const insertAll = db.transaction((records: readonly AuditRecord[]) => {
    for (const r of records) {
      insert.run(
        r.cardUuid,
        r.serviceId,
        r.templateId,
        r.indicator,
        r.grade ?? null,
        r.episodeMaxGrade ?? null,
        JSON.stringify(r.suggestions),
        r.configVersion,
        r.patientHash,
        r.recordedAt,
      );
    }
  });
  // Prepared once: re-preparing the two pragmas on every call cost more than the insert itself.
  const syncNormal = db.prepare('PRAGMA synchronous = NORMAL');
  const syncFull = db.prepare('PRAGMA synchronous = FULL');
  const byService = (query: AuditQuery, column: string): string => (query.serviceId === undefined ? '' : ` AND ${column} = ?`);
  const statement = (sql: string): Database.Statement => db.prepare(sql);

  return {
    record: async (records) => {
      if (records.length === 0) return;
      // Committed without an fsync (WAL, synchronous NORMAL): durable across a crash of the process, not
      // across a power loss. An fsync per hook call blocked the event loop ~4 ms (median, measured);
      // feedback, which a clinician sent once, keeps FULL.
      syncNormal.run();
      try {
        insertAll(records);
      } finally {
        syncFull.run();
      }
    },
    async *cardsWithFeedback(query) {
      const rows = statement(
        `SELECT ${CARD_COLUMNS}, ${FEEDBACK_COLUMNS}
         FROM audit_card a LEFT JOIN feedback f ON f.card_uuid = a.card_uuid
         WHERE a.recorded_at >= ? AND a.recorded_at < ?${byService(query, 'a.service_id')}
         ORDER BY a.recorded_at, a.card_uuid, f.id`,
      ).iterate(...rangeParams(query)) as Iterable<CardRow & FeedbackRow>;
      let current: { card: AuditRecord; feedback: FeedbackFact[] } | undefined;
      let cards = 0;
      for (const row of rows) {
        if (current === undefined || current.card.cardUuid !== row.card_uuid) {
          if (current !== undefined) {
            yield current;
            if (++cards % YIELD_EVERY_CARDS === 0) await turn();
          }
          current = { card: toRecord(row), feedback: [] };
        }
        const fact = toFact(row);
        if (fact !== undefined) current.feedback.push(fact);
      }
      if (current !== undefined) yield current;
    },
    async *unmatchedFeedback(query) {
      const rows = statement(
        `SELECT ${FEEDBACK_COLUMNS} FROM feedback f
         WHERE f.received_at >= ? AND f.received_at < ?${byService(query, 'f.service_id')}
           AND NOT EXISTS (SELECT 1 FROM audit_card a WHERE a.card_uuid = f.card_uuid)
         ORDER BY f.id`,
      ).iterate(...rangeParams(query)) as Iterable<FeedbackRow>;
      let count = 0;
      for (const row of rows) {
        const fact = toFact(row);
        if (fact !== undefined) yield fact;
        if (++count % YIELD_EVERY_CARDS === 0) await turn();
      }
    },
    purgeBefore: (cutoff) => purgeRowsBefore(db, 'audit_card', 'recorded_at', cutoff),
    ping: async () => pingDatabase(db),
    close: async () => closeDatabase(db),
  };
}
