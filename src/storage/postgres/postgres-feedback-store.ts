/**
 * The FeedbackStore on PostgreSQL: the embedded store's table and columns (migration 0001), so every
 * replica writes to one place and informatics queries read the same shape on either backend. One
 * multi-row INSERT per call: all entries of a call or none. Rows are mapped column by column.
 */
import type { FeedbackEntry } from '../../protocol/request-schema.js';
import type { FeedbackStore, StoredFeedback } from '../feedback-store.js';
import type { PostgresDatabase } from './database.js';

const COLUMNS = 7;

/** PostgreSQL text cannot hold U+0000; the query columns get U+FFFD, the JSON archive keeps the original. */
const textColumn = (value: string): string => value.replaceAll('\u0000', '\uFFFD');

/**
 * The store on a database migrated to at least version 1.
 * @param db - the replica's database handle; `close` closes it (it is shared by the other stores)
 */
export function createPostgresFeedbackStore(db: PostgresDatabase): FeedbackStore {
  return {
    save: async (serviceId, entries, receivedAt) => {
      if (entries.length === 0) return;
      const values: unknown[] = [];
      const rows = entries.map((entry, index) => {
        const reason = entry.overrideReason?.reason?.code;
        values.push(
          serviceId,
          entry.card,
          entry.outcome,
          reason === undefined ? null : textColumn(reason),
          entry.outcomeTimestamp,
          receivedAt.toISOString(),
          JSON.stringify(entry),
        );
        const first = index * COLUMNS;
        return `(${Array.from({ length: COLUMNS }, (_, column) => `$${first + column + 1}`).join(', ')})`;
      });
      await db.query(
        `INSERT INTO feedback (service_id, card_uuid, outcome, override_reason_code, outcome_timestamp, received_at, entry_json)
         VALUES ${rows.join(', ')}`,
        values,
      );
    },
    list: async (serviceId) => {
      // The JSON column as text: parsed here exactly as the embedded store parses its text column.
      const rows = await db.query<{ service_id: string; received_at: Date; entry_json: string }>(
        'SELECT service_id, received_at, entry_json::text AS entry_json FROM feedback WHERE service_id = $1 ORDER BY id',
        [serviceId],
      );
      return rows.map(
        (row): StoredFeedback => ({
          serviceId: row.service_id,
          receivedAt: row.received_at.toISOString(),
          entry: JSON.parse(row.entry_json) as FeedbackEntry,
        }),
      );
    },
    ping: db.ping,
    close: db.close,
  };
}
