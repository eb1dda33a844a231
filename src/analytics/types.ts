/**
 * Card analytics (issue 11), as `GET /analytics` answers them and `crs-cds report` prints them. Rates
 * are fractions 0–1 of the row's cards; a member that has no value is omitted, never null.
 */
import type { SuggestedDrug } from '../storage/audit-store.js';

/** What became of a card: accepted (any suggestion or the card accepted), overridden, or no feedback. */
export type CardOutcome = 'accepted' | 'overridden' | 'ignored';

/** Outcome counts of a group of cards, with rates. */
export interface OutcomeRow {
  /** The group: a template id, a grade (`0`–`4`, `indeterminate`), a week (its Monday), a configuration version. */
  readonly key: string;
  readonly cards: number;
  readonly accepted: number;
  readonly overridden: number;
  readonly ignored: number;
  readonly acceptedRate: number;
  readonly overriddenRate: number;
  readonly ignoredRate: number;
}

export interface OverrideReasonRow {
  readonly code: string;
  /** The reason's display in the current card templates, when one has it. */
  readonly display?: string;
  /** Overridden cards giving this reason (`none`: overridden without a reason). */
  readonly count: number;
  /** Share of all overridden cards. */
  readonly share: number;
}

export interface SuggestionRow {
  readonly drug: SuggestedDrug;
  /** Suggestions shown on cards. */
  readonly offered: number;
  /** Named in `acceptedSuggestions`. */
  readonly accepted: number;
  /** On a card that was overridden. */
  readonly overridden: number;
  /** Neither: no feedback, or another suggestion of the card was taken. */
  readonly notTaken: number;
}

export interface TimeBucket {
  readonly label: string;
  /** Lower bound, seconds (inclusive). */
  readonly fromSeconds: number;
  readonly count: number;
}

export interface TimeToFeedback {
  /** Cards with feedback. */
  readonly count: number;
  readonly medianSeconds?: number;
  readonly p90Seconds?: number;
  readonly buckets: readonly TimeBucket[];
}

export interface Analytics {
  readonly from: string;
  readonly to: string;
  readonly service?: string;
  readonly totals: Omit<OutcomeRow, 'key' | 'acceptedRate' | 'overriddenRate' | 'ignoredRate'> & {
    readonly acceptedRate?: number;
    readonly overriddenRate?: number;
    readonly ignoredRate?: number;
    /** Distinct patient hashes (per process key: a restart counts a patient again). */
    readonly patients: number;
    /** Feedback entries received in the range whose card has no audit record. */
    readonly unmatchedFeedback: number;
  };
  readonly byTemplate: readonly OutcomeRow[];
  readonly byGrade: readonly OutcomeRow[];
  readonly byWeek: readonly OutcomeRow[];
  readonly byConfigVersion: readonly OutcomeRow[];
  readonly overrideReasons: readonly OverrideReasonRow[];
  readonly suggestions: readonly SuggestionRow[];
  readonly timeToFeedback: TimeToFeedback;
}
