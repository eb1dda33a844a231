/**
 * Rows of the audit and feedback tables as analytics read them, on either backend: the columns, already
 * read from the driver into plain values, become an AuditRecord or a FeedbackFact. Only the accepted
 * suggestion ids are taken from a stored feedback entry, never its free-text comment.
 */
import type { AuditRecord, AuditSuggestion, FeedbackFact } from './audit-store.js';

/**
 * The audit_card columns both drivers return alike (the same names on either backend). The suggestions
 * (JSON) and the recorded time come back as text from SQLite and decoded from PostgreSQL: each store
 * decodes those two and passes them beside the row.
 */
export interface AuditCardRow {
  readonly card_uuid: string;
  readonly service_id: string;
  readonly template_id: string;
  readonly indicator: AuditRecord['indicator'];
  readonly grade: number | null;
  readonly episode_max_grade: number | null;
  readonly config_version: string;
  readonly patient_hash: string;
}

/** The feedback columns both drivers return alike; all null for a card without feedback (LEFT JOIN). */
export interface FeedbackRow {
  readonly outcome: string | null;
  readonly override_reason_code: string | null;
  readonly outcome_timestamp: string | null;
}

/**
 * @param row - the card's columns
 * @param suggestions - `suggestions_json`, decoded
 * @param recordedAt - `recorded_at`, ISO 8601
 */
export function toAuditRecord(row: AuditCardRow, suggestions: readonly AuditSuggestion[], recordedAt: string): AuditRecord {
  return {
    cardUuid: row.card_uuid,
    serviceId: row.service_id,
    templateId: row.template_id,
    indicator: row.indicator,
    ...(row.grade === null ? {} : { grade: Number(row.grade) }),
    ...(row.episode_max_grade === null ? {} : { episodeMaxGrade: Number(row.episode_max_grade) }),
    suggestions,
    configVersion: row.config_version,
    patientHash: row.patient_hash,
    recordedAt,
  };
}

/**
 * @param row - the feedback columns
 * @param receivedAt - `received_at`, ISO 8601 (null without feedback)
 * @param entry - `entry_json`, decoded
 * @returns undefined when the row has no feedback
 */
export function toFeedbackFact(row: FeedbackRow, receivedAt: string | null, entry: unknown): FeedbackFact | undefined {
  if (row.outcome === null || row.outcome_timestamp === null || receivedAt === null) return undefined;
  const accepted = (entry as { acceptedSuggestions?: { id?: unknown }[] } | null)?.acceptedSuggestions ?? [];
  const ids = accepted.map((s) => s.id).filter((id): id is string => typeof id === 'string');
  return {
    outcome: row.outcome === 'accepted' ? 'accepted' : 'overridden',
    ...(row.override_reason_code === null ? {} : { overrideReasonCode: row.override_reason_code }),
    acceptedSuggestionIds: ids,
    outcomeTimestamp: row.outcome_timestamp,
    receivedAt,
  };
}
