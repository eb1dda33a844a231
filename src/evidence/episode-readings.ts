/**
 * The vital signs an episode reads at one evaluation time: all of them up to asOf (weights and notes are
 * read beyond the episode), the graded readings limited to [episodeStart, asOf] (S1-E), and the sorted
 * times F2 masking reads (fevers, blood pressures). `episodeReadings` filters them for one time; a
 * trajectory's timeline (`vitalsTimeline`) gives the same at each of many times without re-reading the
 * episode: what is in the episode is kept per episode start, and what has started by asOf is a prefix
 * when the data are in time order (they are checked; otherwise they are filtered).
 */
import type { GradedReadings, Reading, VitalsFacts } from './types.js';

/** What is read of the vital signs beyond the episode, up to asOf. */
export type BeyondEpisode = Pick<VitalsFacts, 'weights' | 'ignoredTemperatureTimes' | 'notes'>;

/** What the episode reads from the vital signs at one evaluation time. */
export interface EpisodeReadings {
  /** Weights, unusable temperatures and notes up to asOf. */
  readonly vitals: BeyondEpisode;
  /** The graded readings in [episodeStart, asOf], in extraction order. */
  readonly readings: GradedReadings;
  /** F1 fevers of the episode: their start times (an earlier start counts from the episode start), ascending. */
  readonly feverTimes: Float64Array;
  /** Blood pressures (SBP, charted MAP) of the episode: their start times, ascending. */
  readonly bloodPressureTimes: Float64Array;
}

/** The episode's readings at an evaluation time, given where the episode starts. */
export type ReadingsAt = (episodeStart: number) => EpisodeReadings;

type Kind = keyof GradedReadings;
const GRADED: readonly Kind[] = ['temperatures', 'sbp', 'map', 'spo2', 'flows', 'fio2', 'devices'];

/** Times in ascending order, as a typed array (sorted numerically without a comparator). */
function ascending(readings: readonly Reading[], time: (r: Reading) => number): Float64Array {
  const out = new Float64Array(readings.length);
  for (let i = 0; i < readings.length; i += 1) out[i] = time(readings[i] as Reading);
  return out.sort();
}

const fevers = (temperatures: readonly Reading[], feverCelsius: number): Reading[] => temperatures.filter((t) => t.value >= feverCelsius);

/** The masking times of the episode's readings. */
function maskingTimes(readings: GradedReadings, episodeStart: number, feverCelsius: number): Pick<EpisodeReadings, 'feverTimes' | 'bloodPressureTimes'> {
  return {
    // A fever charted by a period that began before the episode counts from the episode start (S1-E).
    feverTimes: ascending(fevers(readings.temperatures, feverCelsius), (t) => Math.max(t.start, episodeStart)),
    bloodPressureTimes: ascending(readings.sbp.concat(readings.map), (r) => r.start),
  };
}

/**
 * The episode's readings from the vital signs up to asOf.
 * @param vitals - all vital signs up to asOf
 * @param episodeStart - S1-E
 * @param asOf - evaluation time, ms
 * @param feverCelsius - F1
 */
export function episodeReadings(vitals: VitalsFacts, episodeStart: number, asOf: number, feverCelsius: number): EpisodeReadings {
  const inEpisode = <T extends Reading | VitalsFacts['devices'][number]>(items: readonly T[]): T[] =>
    items.filter((r) => r.start <= asOf && r.end >= episodeStart);
  const readings: GradedReadings = {
    temperatures: inEpisode(vitals.temperatures),
    sbp: inEpisode(vitals.sbp),
    map: inEpisode(vitals.map),
    spo2: inEpisode(vitals.spo2),
    flows: inEpisode(vitals.flows),
    fio2: inEpisode(vitals.fio2),
    devices: inEpisode(vitals.devices),
  };
  return { vitals, readings, ...maskingTimes(readings, episodeStart, feverCelsius) };
}

/** Index of the first value > `t` in an ascending list. */
function upperBound(values: ArrayLike<number>, t: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const inOrder = (values: ArrayLike<number>): boolean => {
  for (let i = 1; i < values.length; i += 1) if ((values[i - 1] as number) > (values[i] as number)) return false;
  return true;
};

/** Items with start ≤ t, in their order, for any t: a prefix when the starts ascend (checked once). */
function startedBy<T extends { readonly start: number }>(items: readonly T[]): (t: number) => T[] {
  const starts = Float64Array.from(items, (r) => r.start);
  return inOrder(starts) ? (t) => items.slice(0, upperBound(starts, t)) : (t) => items.filter((r) => r.start <= t);
}

/** Times ≤ t, in their order, for any t. */
function timesUpTo(times: readonly number[]): (t: number) => number[] {
  return inOrder(times) ? (t) => times.slice(0, upperBound(times, t)) : (t) => times.filter((x) => x <= t);
}

type ByKind = { readonly [K in Kind]: (t: number) => GradedReadings[K][number][] };

function byKind(readings: GradedReadings): ByKind {
  return {
    temperatures: startedBy(readings.temperatures),
    sbp: startedBy(readings.sbp),
    map: startedBy(readings.map),
    spo2: startedBy(readings.spo2),
    flows: startedBy(readings.flows),
    fio2: startedBy(readings.fio2),
    devices: startedBy(readings.devices),
  };
}

const readingsAt = (kinds: ByKind, t: number): GradedReadings => ({
  temperatures: kinds.temperatures(t),
  sbp: kinds.sbp(t),
  map: kinds.map(t),
  spo2: kinds.spo2(t),
  flows: kinds.flows(t),
  fio2: kinds.fio2(t),
  devices: kinds.devices(t),
});

/** What the timeline keeps for one episode start: every reading in the episode whatever its start. */
interface EpisodeIndex {
  readonly episodeStart: number;
  readonly readings: ByKind;
  readonly feverTimes: Float64Array;
  readonly bloodPressureTimes: Float64Array;
}

function indexEpisode(all: VitalsFacts, episodeStart: number, feverCelsius: number): EpisodeIndex {
  const inEpisode = <T extends { readonly end: number }>(items: readonly T[]): T[] => items.filter((r) => r.end >= episodeStart);
  const readings: GradedReadings = {
    temperatures: inEpisode(all.temperatures),
    sbp: inEpisode(all.sbp),
    map: inEpisode(all.map),
    spo2: inEpisode(all.spo2),
    flows: inEpisode(all.flows),
    fio2: inEpisode(all.fio2),
    devices: inEpisode(all.devices),
  };
  return { episodeStart, readings: byKind(readings), ...maskingTimes(readings, episodeStart, feverCelsius) };
}

/**
 * The episode's readings at many evaluation times, each equal to `episodeReadings` at that time: the
 * masking times of every reading in the episode are sorted once, and those started by asOf are a prefix,
 * because a time clamped to the episode start is ≤ asOf exactly when its start is (episodeStart ≤ asOf).
 * @param all - the vital signs extracted once, up to a time ≥ every evaluation time
 * @param feverCelsius - F1
 * @returns for an evaluation time, the episode's readings given its start
 */
export function vitalsTimeline(all: VitalsFacts, feverCelsius: number): (asOf: number) => ReadingsAt {
  const weights = startedBy(all.weights);
  const ignoredTemperatureTimes = timesUpTo(all.ignoredTemperatureTimes);
  let episode: EpisodeIndex | undefined;
  return (asOf) => (episodeStart) => {
    if (episode?.episodeStart !== episodeStart) episode = indexEpisode(all, episodeStart, feverCelsius);
    return {
      vitals: {
        weights: weights(asOf),
        ignoredTemperatureTimes: ignoredTemperatureTimes(asOf),
        notes: all.notes.filter((n) => n.at === undefined || n.at <= asOf),
      },
      readings: readingsAt(episode.readings, asOf),
      feverTimes: episode.feverTimes.subarray(0, upperBound(episode.feverTimes, asOf)),
      bloodPressureTimes: episode.bloodPressureTimes.subarray(0, upperBound(episode.bloodPressureTimes, asOf)),
    };
  };
}
