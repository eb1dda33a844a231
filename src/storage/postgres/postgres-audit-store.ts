/**
 * The AuditStore on PostgreSQL (migration 0004): the embedded store's table and columns, on the replica's
 * pool, so every replica records into one trail and analytics read the same shape on either backend.
 * Streaming is by keyset pages (recorded_at, card_uuid), each page's feedback read in one query: memory
 * stays bounded whatever the range, with no cursor held open between pages.
 */
import { toAuditRecord, toFeedbackFact, type AuditCardRow, type FeedbackRow as FeedbackColumns } from '../audit-rows.js';
import type { AuditQuery, AuditRecord, AuditStore, AuditSuggestion, FeedbackFact } from '../audit-store.js';
import type { PostgresDatabase } from './database.js';
import { purgeRowsBefore } from './purge.js';

/** Cards per page while streaming, and rows per INSERT statement. */
const PAGE = 500;
const COLUMNS = 10;

interface CardRow extends AuditCardRow, Record<string, unknown> {
  suggestions_json: AuditSuggestion[];
  recorded_at: Date;
}

interface FeedbackRow extends FeedbackColumns, Record<string, unknown> {
  card_uuid: string;
  received_at: Date;
  entry_json: unknown;
}

const cardRecord = (row: CardRow): AuditRecord => toAuditRecord(row, row.suggestions_json, row.recorded_at.toISOString());
const feedbackFact = (row: FeedbackRow): FeedbackFact | undefined => toFeedbackFact(row, row.received_at.toISOString(), row.entry_json);

/** `$n` placeholders of the rows of one multi-row INSERT. */
function placeholders(rows: number, columns: number): string {
  return Array.from({ length: rows }, (_, row) => `(${Array.from({ length: columns }, (_, c) => `$${row * columns + c + 1}`).join(', ')})`).join(', ');
}

/**
 * The store on a database migrated to at least version 4.
 * @param db - the replica's database handle; `close` closes it (shared by the other stores)
 */
export function createPostgresAuditStore(db: PostgresDatabase): AuditStore {
  const serviceFilter = (query: AuditQuery, column: string, next: number): string =>
    query.serviceId === undefined ? '' : ` AND ${column} = $${next}`;
  const rangeParams = (query: AuditQuery): unknown[] => [query.from, query.to, ...(query.serviceId === undefined ? [] : [query.serviceId])];

  return {
    record: async (records) => {
      if (records.length === 0) return;
      await db.transaction(async (query) => {
        for (let first = 0; first < records.length; first += PAGE) {
          const chunk = records.slice(first, first + PAGE);
          const values = chunk.flatMap((r) => [
            r.cardUuid, r.serviceId, r.templateId, r.indicator, r.grade ?? null, r.episodeMaxGrade ?? null,
            JSON.stringify(r.suggestions), r.configVersion, r.patientHash, r.recordedAt,
          ]);
          await query(
            `INSERT INTO audit_card (card_uuid, service_id, template_id, indicator, grade, episode_max_grade, suggestions_json, config_version, patient_hash, recorded_at)
             VALUES ${placeholders(chunk.length, COLUMNS)} ON CONFLICT (card_uuid) DO NOTHING`,
            values,
          );
        }
      });
    },
    async *cardsWithFeedback(query) {
      let after: { recordedAt: Date; cardUuid: string } | undefined;
      for (;;) {
        const params = rangeParams(query);
        const keyset = after === undefined ? '' : ` AND (recorded_at, card_uuid) > ($${params.length + 1}, $${params.length + 2})`;
        if (after !== undefined) params.push(after.recordedAt, after.cardUuid);
        const cards = await db.query<CardRow>(
          `SELECT card_uuid, service_id, template_id, indicator, grade, episode_max_grade, suggestions_json, config_version, patient_hash, recorded_at
           FROM audit_card WHERE recorded_at >= $1 AND recorded_at < $2${serviceFilter(query, 'service_id', 3)}${keyset}
           ORDER BY recorded_at, card_uuid LIMIT ${PAGE}`,
          params,
        );
        if (cards.length === 0) return;
        const feedback = await db.query<FeedbackRow>(
          `SELECT card_uuid, outcome, override_reason_code, outcome_timestamp, received_at, entry_json FROM feedback
           WHERE card_uuid = ANY($1) ORDER BY id`,
          [cards.map((c) => c.card_uuid)],
        );
        const byCard = new Map<string, FeedbackFact[]>();
        for (const row of feedback) {
          const fact = feedbackFact(row);
          if (fact !== undefined) byCard.set(row.card_uuid, [...(byCard.get(row.card_uuid) ?? []), fact]);
        }
        for (const card of cards) yield { card: cardRecord(card), feedback: byCard.get(card.card_uuid) ?? [] };
        if (cards.length < PAGE) return;
        const last = cards[cards.length - 1] as CardRow;
        after = { recordedAt: last.recorded_at, cardUuid: last.card_uuid };
      }
    },
    async *unmatchedFeedback(query) {
      let afterId = 0;
      for (;;) {
        const params = [...rangeParams(query), afterId];
        const rows = await db.query<FeedbackRow & { id: string }>(
          `SELECT f.id, f.card_uuid, f.outcome, f.override_reason_code, f.outcome_timestamp, f.received_at, f.entry_json FROM feedback f
           WHERE f.received_at >= $1 AND f.received_at < $2${serviceFilter(query, 'f.service_id', 3)} AND f.id > $${params.length}
             AND NOT EXISTS (SELECT 1 FROM audit_card a WHERE a.card_uuid = f.card_uuid)
           ORDER BY f.id LIMIT ${PAGE}`,
          params,
        );
        for (const row of rows) {
          const fact = feedbackFact(row);
          if (fact !== undefined) yield fact;
        }
        if (rows.length < PAGE) return;
        afterId = Number((rows[rows.length - 1] as { id: string }).id);
      }
    },
    purgeBefore: (cutoff) => purgeRowsBefore(db, 'audit_card', 'card_uuid', 'recorded_at', cutoff),
    ping: db.ping,
    close: db.close,
  };
}
