/**
 * Card analytics as a pure fold over audited cards (each with its feedback) and unmatched feedback:
 * no database, no clock. Memory is bounded by the number of groups (templates, grades, weeks, versions,
 * reasons), plus one number per card with feedback (time to feedback) and one hash per patient.
 *
 * A card's outcome: accepted when any feedback entry accepted it (or one of its suggestions), else
 * overridden when any entry overrode it, else ignored (no feedback). A suggestion is accepted when an
 * accepted entry names it, overridden when its card was overridden, and otherwise not taken.
 */
import type { AuditedCard, FeedbackFact, SuggestedDrug } from '../storage/audit-store.js';
import type { Analytics, CardOutcome, OutcomeRow, OverrideReasonRow, SuggestionRow, TimeBucket } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Time-to-feedback histogram: lower bounds in seconds, with labels. */
const TIME_BUCKETS: readonly { label: string; fromSeconds: number }[] = [
  { label: '< 1 min', fromSeconds: 0 },
  { label: '1–5 min', fromSeconds: 60 },
  { label: '5–15 min', fromSeconds: 300 },
  { label: '15–60 min', fromSeconds: 900 },
  { label: '1–4 h', fromSeconds: 3600 },
  { label: '4–24 h', fromSeconds: 14400 },
  { label: '≥ 24 h', fromSeconds: 86400 },
];

const DRUGS: readonly SuggestedDrug[] = ['tocilizumab', 'corticosteroid'];

/** The outcome of a card from its feedback entries. */
export function cardOutcome(feedback: readonly FeedbackFact[]): CardOutcome {
  if (feedback.some((f) => f.outcome === 'accepted')) return 'accepted';
  return feedback.length > 0 ? 'overridden' : 'ignored';
}

/** The Monday (UTC) of the week holding `iso`, as YYYY-MM-DD. */
export function weekOf(iso: string): string {
  const day = new Date(iso);
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() - sinceMonday)).toISOString().slice(0, 10);
}

type Counts = { cards: number; accepted: number; overridden: number; ignored: number };

function emptyCounts(): Counts {
  return { cards: 0, accepted: 0, overridden: 0, ignored: 0 };
}

function withRates(key: string, c: Counts): OutcomeRow {
  return {
    key,
    ...c,
    acceptedRate: c.accepted / c.cards,
    overriddenRate: c.overridden / c.cards,
    ignoredRate: c.ignored / c.cards,
  };
}

/** The value at fraction `q` of sorted values (nearest rank). */
function quantile(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Keeps counts per key. */
class Groups {
  private readonly map = new Map<string, Counts>();
  add(key: string, outcome: CardOutcome): void {
    let counts = this.map.get(key);
    if (counts === undefined) {
      counts = emptyCounts();
      this.map.set(key, counts);
    }
    counts.cards += 1;
    counts[outcome] += 1;
  }
  get(key: string): Counts | undefined {
    return this.map.get(key);
  }
  keys(): string[] {
    return [...this.map.keys()];
  }
  /** @param order - sort order of the keys; absent = first seen first */
  rows(order?: (a: string, b: string) => number): OutcomeRow[] {
    const keys = order === undefined ? this.keys() : this.keys().sort(order);
    return keys.map((key) => withRates(key, this.map.get(key) as Counts));
  }
}

/** Every week from the first to the last one seen, zeros included, so a chart shows quiet weeks. */
function weekRows(weeks: Groups): OutcomeRow[] {
  const seen = weeks.keys().sort();
  const first = seen[0];
  const last = seen[seen.length - 1];
  if (first === undefined || last === undefined) return [];
  const rows: OutcomeRow[] = [];
  for (let t = Date.parse(first); t <= Date.parse(last); t += 7 * DAY_MS) {
    const key = new Date(t).toISOString().slice(0, 10);
    const counts = weeks.get(key) ?? emptyCounts();
    rows.push(counts.cards === 0 ? { key, ...counts, acceptedRate: 0, overriddenRate: 0, ignoredRate: 0 } : withRates(key, counts));
  }
  return rows;
}

/** Grades in clinical order, indeterminate last. */
const byGradeOrder = (a: string, b: string): number => (a === 'indeterminate' ? 1 : b === 'indeterminate' ? -1 : a.localeCompare(b));

/** What the fold needs beside the data. */
export interface AnalyticsInput {
  readonly from: Date;
  readonly to: Date;
  readonly service?: string;
  readonly cards: AsyncIterable<AuditedCard> | Iterable<AuditedCard>;
  readonly unmatched: AsyncIterable<FeedbackFact> | Iterable<FeedbackFact>;
  /** The display of an override reason code in the current card templates. */
  readonly reasonDisplay?: (code: string) => string | undefined;
}

/**
 * @param input - the range, the audited cards and the unmatched feedback
 * @returns the analytics of the range
 */
export async function computeAnalytics(input: AnalyticsInput): Promise<Analytics> {
  const total = emptyCounts();
  const byTemplate = new Groups();
  const byGrade = new Groups();
  const byWeek = new Groups();
  const byVersion = new Groups();
  const reasons = new Map<string, number>();
  const suggestions = new Map<SuggestedDrug, { offered: number; accepted: number; overridden: number; notTaken: number }>(
    DRUGS.map((drug) => [drug, { offered: 0, accepted: 0, overridden: 0, notTaken: 0 }]),
  );
  const patients = new Set<string>();
  const delays: number[] = [];

  for await (const { card, feedback } of input.cards) {
    const outcome = cardOutcome(feedback);
    total.cards += 1;
    total[outcome] += 1;
    byTemplate.add(card.templateId, outcome);
    byGrade.add(card.grade === undefined ? 'indeterminate' : String(card.grade), outcome);
    byWeek.add(weekOf(card.recordedAt), outcome);
    byVersion.add(card.configVersion, outcome);
    patients.add(card.patientHash);
    if (outcome === 'overridden') {
      // One reason per overridden card: the first one given.
      const code = feedback.find((f) => f.overrideReasonCode !== undefined)?.overrideReasonCode ?? 'none';
      reasons.set(code, (reasons.get(code) ?? 0) + 1);
    }
    const first = feedback[0];
    if (first !== undefined) {
      // Clock skew between the EHR and this service can make it negative: counted as immediate.
      delays.push(Math.max(0, (Date.parse(first.outcomeTimestamp) - Date.parse(card.recordedAt)) / 1000));
    }
    const acceptedIds = new Set(feedback.filter((f) => f.outcome === 'accepted').flatMap((f) => f.acceptedSuggestionIds));
    for (const suggestion of card.suggestions) {
      const row = suggestion.drug === undefined ? undefined : suggestions.get(suggestion.drug);
      if (row === undefined) continue;
      row.offered += 1;
      if (acceptedIds.has(suggestion.uuid)) row.accepted += 1;
      else if (outcome === 'overridden') row.overridden += 1;
      else row.notTaken += 1;
    }
  }
  let unmatchedFeedback = 0;
  for await (const _entry of input.unmatched) unmatchedFeedback += 1;

  delays.sort((a, b) => a - b);
  const buckets: TimeBucket[] = TIME_BUCKETS.map((b, i) => {
    const upper = TIME_BUCKETS[i + 1]?.fromSeconds ?? Number.POSITIVE_INFINITY;
    return { ...b, count: delays.filter((d) => d >= b.fromSeconds && d < upper).length };
  });
  const median = quantile(delays, 0.5);
  const p90 = quantile(delays, 0.9);
  const overriddenCards = total.overridden;
  const reasonRows: OverrideReasonRow[] = [...reasons.entries()]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([code, count]) => {
      const display = code === 'none' ? undefined : input.reasonDisplay?.(code);
      return { code, ...(display === undefined ? {} : { display }), count, share: count / overriddenCards };
    });

  return {
    from: input.from.toISOString(),
    to: input.to.toISOString(),
    ...(input.service === undefined ? {} : { service: input.service }),
    totals: {
      ...total,
      ...(total.cards === 0 ? {} : { acceptedRate: total.accepted / total.cards, overriddenRate: total.overridden / total.cards, ignoredRate: total.ignored / total.cards }),
      patients: patients.size,
      unmatchedFeedback,
    },
    byTemplate: byTemplate.rows((a, b) => a.localeCompare(b)),
    byGrade: byGrade.rows(byGradeOrder),
    byWeek: weekRows(byWeek),
    // Cards arrive oldest first: versions in the order they went live.
    byConfigVersion: byVersion.rows(),
    overrideReasons: reasonRows,
    suggestions: DRUGS.map((drug): SuggestionRow => ({ drug, ...(suggestions.get(drug) as Omit<SuggestionRow, 'drug'>) })),
    timeToFeedback: {
      count: delays.length,
      ...(median === undefined ? {} : { medianSeconds: median }),
      ...(p90 === undefined ? {} : { p90Seconds: p90 }),
      buckets,
    },
  };
}
