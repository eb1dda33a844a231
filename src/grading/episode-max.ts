/**
 * G-M episode maximum: the grade of the lookback window ending at every data instant of the episode and
 * at the evaluation time, by the same rules as the current grade at every instant (F2 masking periods,
 * H1-P threshold at that instant, O1 devices, flows and FiO2), and the highest of them. Pure.
 *
 * Efficiency: the grade of a window only depends on whether it holds at least one datum of each class
 * (a fever, any temperature, a low SBP per threshold, a low charted MAP, low-/high-flow oxygen, a device of each tier,
 * an active vasopressor, ≥ 2 concurrent ones). A datum of a class lies in the window [t − L, t] exactly
 * when it started by t and ended at or after t − L; so, with the data of each class sorted by start, the
 * latest end among those started answers the question in O(1). The instants are sorted once (a numeric
 * typed-array sort), each datum is placed by binary search, and the sweep itself is linear.
 * Only instants where data enter a window can raise its grade (between them data only leave), so the
 * entry instants, the episode start and asOf are enough.
 *
 * The sweep can be resumed (a trajectory, series-extension.ts): its state after asOf only depends on the
 * data started by asOf, so a later series that keeps those data continues from it with the new data only.
 */
import { fio2Tier, flowTier, gradeOfColumns, isLowMap, isLowSbp } from './grade-crs.js';
import { seriesExtension } from './series-extension.js';
import { firstIndex } from './sorted-search.js';
import type { EpisodeMax, EpisodeSeries, Grade, GradingThresholds, OxygenTier, Span } from './types.js';

/** The top of the scale the service produces (grade 5 is never produced): nothing later can exceed it. */
const HIGHEST: Grade = 4;

/** The state of a sweep after its last instant, from which a later series can continue. */
interface EpisodeMaxSweep {
  readonly result: EpisodeMax;
  /** The series swept, up to its asOf. */
  readonly series: EpisodeSeries;
  /** Per class, the latest end among the data started by asOf. */
  readonly latest: readonly number[];
}

/** The distinct SBP thresholds of the episode and, per threshold step, which of them applies. */
interface SbpClasses {
  readonly values: number[];
  readonly steps: { from: number; value: number }[];
}

/**
 * The sorted, distinct instants in (after, asOf] at which data enter a window, plus asOf, `extra`
 * (masking starts and H1-P threshold changes: either can raise the grade) and, for a new sweep, the
 * episode start.
 */
function entryInstants(series: EpisodeSeries, classes: readonly (readonly Span[])[], extra: readonly number[], after: number): Float64Array {
  const { episodeStart, asOf } = series;
  const total = classes.reduce((n, spans) => n + spans.length, 2 + extra.length);
  const all = new Float64Array(total);
  let n = 0;
  if (after < episodeStart) all[n++] = episodeStart;
  all[n++] = asOf;
  for (const t of extra) if (t > after) all[n++] = clamp(t, series);
  for (const spans of classes) for (const span of spans) all[n++] = clamp(span.start, series);
  const sorted = all.subarray(0, n).sort();
  let unique = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    if (unique === 0 || sorted[i] !== sorted[unique - 1]) sorted[unique++] = sorted[i] as number;
  }
  return sorted.subarray(0, unique);
}

const clamp = (t: number, series: EpisodeSeries): number => Math.min(Math.max(t, series.episodeStart), series.asOf);


/**
 * For each instant, the latest end among the class's data entering at that instant; a running maximum
 * over the instants then gives the latest end among all data started so far, without sorting the data.
 */
function latestEndByInstant(instants: Float64Array, spans: readonly Span[], series: EpisodeSeries): Float64Array {
  const latest = new Float64Array(instants.length).fill(Number.NEGATIVE_INFINITY);
  for (const span of spans) {
    const i = firstIndex(instants, clamp(span.start, series));
    if (span.end > (latest[i] as number)) latest[i] = span.end;
  }
  return latest;
}

function thresholdClasses(series: EpisodeSeries): SbpClasses {
  const steps = [{ from: Number.NEGATIVE_INFINITY, value: series.thresholds.sbpBelow }];
  for (const step of series.sbpThresholds) steps.push({ from: step.from, value: step.below });
  return { values: [...new Set(steps.map((s) => s.value))], steps };
}

// Module functions, not closures: the sweep runs at every hour of a trajectory.
const flowsOf = (data: EpisodeSeries, th: GradingThresholds, tier: OxygenTier): Span[] => data.flows.filter((v) => flowTier(v.value, th.lowFlowMaxLpm) === tier);
const fio2Of = (data: EpisodeSeries, th: GradingThresholds, tier: OxygenTier): Span[] => data.fio2.filter((v) => fio2Tier(v.value, th) === tier);
const ofRank = (data: EpisodeSeries, rank: number): Span[] => data.deviceRanks.filter((v) => v.value === rank);

/** Observations are closed ranges; E3 administrations (the two vasopressor classes, 6 and 7) are half-open. */
const present = (latest: readonly number[], c: number, windowFrom: number): boolean =>
  c === 6 || c === 7 ? (latest[c] as number) > windowFrom : (latest[c] as number) >= windowFrom;

/**
 * The data of `data` by class; the order is the order of `latest` in the sweep. Oxygen classes are by O1
 * rank; the low-SBP classes (one per H1-P threshold of the episode) come last.
 * @param series - thresholds of the episode
 * @param data - the data to classify (the whole series, or what a later series added)
 * @param sbp - the episode's SBP thresholds
 */
function classesOf(series: EpisodeSeries, data: EpisodeSeries, sbp: SbpClasses): readonly (readonly Span[])[] {
  const th = series.thresholds;
  return [
    data.temperatures,
    data.temperatures.filter((v) => v.value >= th.feverCelsius),
    data.map.filter((v) => isLowMap(v.value, th.mapBelow)),
    [...ofRank(data, 1), ...flowsOf(data, th, 'low-flow'), ...fio2Of(data, th, 'low-flow')],
    [...ofRank(data, 2), ...flowsOf(data, th, 'high-flow'), ...fio2Of(data, th, 'high-flow')],
    ofRank(data, 3),
    data.vasopressorSteps.filter((s) => s.active > 0),
    data.vasopressorSteps.filter((s) => s.concurrent >= 2),
    ...sbp.values.map((below) => data.sbp.filter((v) => isLowSbp(v.value, below))),
  ];
}

/**
 * Sweeps the instants of `series` after `from.series.asOf` (all of them for a new sweep), entered by
 * `data`, from the state `from`.
 */
function sweep(series: EpisodeSeries, data: EpisodeSeries, from: EpisodeMaxSweep | undefined): EpisodeMaxSweep {
  const after = from?.series.asOf ?? Number.NEGATIVE_INFINITY;
  let best: Grade | null = from?.result.grade ?? null;
  let bestAt = from?.result.at;
  // Once the top of the scale is reached, nothing later can change the result.
  if (best === HIGHEST && from !== undefined) return { result: from.result, series, latest: from.latest };
  const sbpThresholds = thresholdClasses(series);
  const classes = classesOf(series, data, sbpThresholds);
  const extra = [...series.masking.map((p) => p.from), ...series.sbpThresholds.map((s) => s.from)];
  const instants = entryInstants(series, classes, extra, after);
  const byInstant = classes.map((spans) => latestEndByInstant(instants, spans, series));
  const latest = from === undefined ? classes.map(() => Number.NEGATIVE_INFINITY) : [...from.latest];

  // H1-P step and F2 period in force, advanced only when an instant crosses their boundary.
  let step = 0;
  let lowSbpClass = 8 + sbpThresholds.values.indexOf(sbpThresholds.steps[0]?.value as number);
  let nextStepFrom = sbpThresholds.steps[1]?.from ?? Number.POSITIVE_INFINITY;
  let period = 0;
  for (let i = 0; i < instants.length; i += 1) {
    const t = instants[i] as number;
    for (let c = 0; c < latest.length; c += 1) {
      latest[c] = Math.max(latest[c] as number, (byInstant[c] as Float64Array)[i] as number);
    }
    while (nextStepFrom <= t) {
      step += 1;
      lowSbpClass = 8 + sbpThresholds.values.indexOf(sbpThresholds.steps[step]?.value as number);
      nextStepFrom = sbpThresholds.steps[step + 1]?.from ?? Number.POSITIVE_INFINITY;
    }
    while (period < series.masking.length && (series.masking[period]?.to as number) <= t) period += 1;
    const masking = series.masking[period];
    const windowFrom = Math.max(t - series.lookbackMs, series.episodeStart);
    // The columns as grades (O1: positive pressure 4, high-flow 3, low-flow 2; H2/H1: ≥ 2 concurrent 4,
    // any vasopressor 3, low pressure 2), without building objects for each of the instants.
    let rank = 3;
    while (rank > 0 && !present(latest, 2 + rank, windowFrom)) rank -= 1;
    const oxygen = rank === 0 ? 0 : rank + 1;
    const hypotension = present(latest, 7, windowFrom) ? 4 : present(latest, 6, windowFrom) ? 3 : present(latest, lowSbpClass, windowFrom) || present(latest, 2, windowFrom) ? 2 : 0;
    const grade = gradeOfColumns(present(latest, 1, windowFrom), masking !== undefined && masking.from <= t, present(latest, 0, windowFrom), Math.max(oxygen, hypotension) as Grade);
    if (grade !== null && (best === null || grade > best)) {
      best = grade;
      bestAt = t;
      if (best === HIGHEST) break;
    }
  }
  return { result: bestAt === undefined ? { grade: best } : { grade: best, at: bestAt }, series, latest };
}

/**
 * G-M: highest grade over the episode and the first instant it was reached.
 * @param series - the episode's data, limited to [episodeStart, asOf]
 */
export function episodeMaxGrade(series: EpisodeSeries): EpisodeMax {
  return sweep(series, series, undefined).result;
}

/**
 * G-M at a sequence of evaluation times (a trajectory): each series' result equals
 * `episodeMaxGrade(series)`; a series that extends the previous one (series-extension.ts) continues its
 * sweep with the new data only, any other is swept whole.
 */
export function createEpisodeMaxTracker(): (series: EpisodeSeries) => EpisodeMax {
  let last: EpisodeMaxSweep | undefined;
  return (series) => {
    const added = last === undefined ? undefined : seriesExtension(last.series, series);
    last = sweep(series, added ?? series, added === undefined ? undefined : last);
    return last.result;
  };
}
