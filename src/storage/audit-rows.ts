/**
 * Rows of the audit and feedback tables as analytics read them, on either backend: the columns, already
 * read from the driver into plain values, become an AuditRecord or a FeedbackFact. Only the accepted
 * suggestion ids are taken from a stored feedback entry, never its free-text comment.
 */
import type { AuditRecord, AuditSuggestion, FeedbackFact } from './audit-store.js';

/** An audit_card row with its columns read as plain values. */
export interface AuditCardColumns {
  readonly cardUuid: string;
  readonly serviceId: string;
  readonly templateId: string;
  readonly indicator: AuditRecord['indicator'];
  readonly grade: number | null;
  readonly episodeMaxGrade: number | null;
  readonly suggestions: readonly AuditSuggestion[];
  readonly configVersion: string;
  readonly patientHash: string;
  readonly recordedAt: string;
}

/** The feedback columns of a row; all null for a card without feedback (LEFT JOIN). */
export interface FeedbackColumns {
  readonly outcome: string | null;
  readonly overrideReasonCode: string | null;
  readonly outcomeTimestamp: string | null;
  readonly receivedAt: string | null;
  /** The stored entry, parsed. */
  readonly entry: unknown;
}

/** @param row - the card's columns */
export function toAuditRecord(row: AuditCardColumns): AuditRecord {
  return {
    cardUuid: row.cardUuid,
    serviceId: row.serviceId,
    templateId: row.templateId,
    indicator: row.indicator,
    ...(row.grade === null ? {} : { grade: Number(row.grade) }),
    ...(row.episodeMaxGrade === null ? {} : { episodeMaxGrade: Number(row.episodeMaxGrade) }),
    suggestions: row.suggestions,
    configVersion: row.configVersion,
    patientHash: row.patientHash,
    recordedAt: row.recordedAt,
  };
}

/** @param row - the feedback columns; undefined when the row has no feedback */
export function toFeedbackFact(row: FeedbackColumns): FeedbackFact | undefined {
  if (row.outcome === null || row.outcomeTimestamp === null || row.receivedAt === null) return undefined;
  const accepted = (row.entry as { acceptedSuggestions?: { id?: unknown }[] } | null)?.acceptedSuggestions ?? [];
  const ids = accepted.map((s) => s.id).filter((id): id is string => typeof id === 'string');
  return {
    outcome: row.outcome === 'accepted' ? 'accepted' : 'overridden',
    ...(row.overrideReasonCode === null ? {} : { overrideReasonCode: row.overrideReasonCode }),
    acceptedSuggestionIds: ids,
    outcomeTimestamp: row.outcomeTimestamp,
    receivedAt: row.receivedAt,
  };
}
