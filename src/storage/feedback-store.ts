/**
 * Where CDS Hooks feedback goes (https://cds-hooks.hl7.org/2.0/#feedback): every accepted entry is
 * kept, so informatics can study acceptance and override rates per service and card.
 */
import type { FeedbackEntry } from '../protocol/request-schema.js';

/** One stored feedback entry: the validated entry plus the service and the time it arrived. */
export interface StoredFeedback {
  readonly serviceId: string;
  readonly receivedAt: string;
  readonly entry: FeedbackEntry;
}

export interface FeedbackStore {
  /** Stores every entry of one feedback call atomically (all or none). */
  readonly save: (serviceId: string, entries: readonly FeedbackEntry[], receivedAt: Date) => Promise<void>;
  /** Entries of one service, oldest first. */
  readonly list: (serviceId: string) => Promise<readonly StoredFeedback[]>;
  /** Deletes entries received before `cutoff` (`storage.retentionDays`); returns how many. */
  readonly purgeBefore: (cutoff: Date) => Promise<number>;
  /** Whether the store answers (readiness). */
  readonly ping: () => Promise<boolean>;
  readonly close: () => Promise<void>;
}
