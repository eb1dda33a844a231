/**
 * The audit trail of the cards crs-cds showed (issue 11): one record per card of every answered hook
 * call, joined to CDS Hooks feedback by card uuid for analytics. A record holds no names, identifiers,
 * tokens or FHIR resources: the patient appears only as the keyed hash the logs use.
 */
import type { Indicator } from '../recommend/card-types.js';

/** A drug family the analytics follow per suggestion (crs-rules.md section 4: T-D and the steroid regimens). */
export type SuggestedDrug = 'tocilizumab' | 'corticosteroid';

/** One suggestion of an audited card. */
export interface AuditSuggestion {
  readonly uuid: string;
  /** The label the clinician saw on the button. */
  readonly label: string;
  /** What it orders, when it orders tocilizumab or a corticosteroid. */
  readonly drug?: SuggestedDrug;
}

/** One card as shown. */
export interface AuditRecord {
  readonly cardUuid: string;
  readonly serviceId: string;
  /** The `cards/<id>.json` template that rendered it. */
  readonly templateId: string;
  readonly indicator: Indicator;
  /** The current ASTCT grade; absent when indeterminate (G-I). */
  readonly grade?: number;
  /** G-M; absent when every window of the episode is indeterminate. */
  readonly episodeMaxGrade?: number;
  readonly suggestions: readonly AuditSuggestion[];
  /** Hash of the configuration and templates in force (engine/config-version.ts). */
  readonly configVersion: string;
  /** `hashPatientRef('Patient/<id>')`: keyed per process, never the id itself. */
  readonly patientHash: string;
  /** When the card was answered, ISO 8601 UTC. */
  readonly recordedAt: string;
}

/** One feedback entry as analytics read it: codes and times only, never the free-text comment. */
export interface FeedbackFact {
  readonly outcome: 'accepted' | 'overridden';
  readonly overrideReasonCode?: string;
  readonly acceptedSuggestionIds: readonly string[];
  readonly outcomeTimestamp: string;
  readonly receivedAt: string;
}

/** An audited card with every feedback entry given for it (none = ignored). */
export interface AuditedCard {
  readonly card: AuditRecord;
  readonly feedback: readonly FeedbackFact[];
}

/** Which cards: recorded in [from, to), of one service or all. */
export interface AuditQuery {
  readonly from: Date;
  readonly to: Date;
  readonly serviceId?: string;
}

export interface AuditStore {
  /** Stores the cards of one hook call atomically; a card uuid already stored is kept as first written. */
  readonly record: (records: readonly AuditRecord[]) => Promise<void>;
  /** Cards recorded in the range with their feedback, oldest first, streamed (bounded memory). */
  readonly cardsWithFeedback: (query: AuditQuery) => AsyncIterable<AuditedCard>;
  /** Feedback received in the range (same service filter) whose card uuid has no audit record. */
  readonly unmatchedFeedback: (query: AuditQuery) => AsyncIterable<FeedbackFact>;
  /** Deletes records older than `cutoff`; returns how many. */
  readonly purgeBefore: (cutoff: Date) => Promise<number>;
  /** Whether the store answers (readiness). */
  readonly ping: () => Promise<boolean>;
  readonly close: () => Promise<void>;
}
