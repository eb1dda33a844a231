/**
 * The vital signs an episode reads at one evaluation time: all of them up to asOf (weights and notes are
 * read beyond the episode), the graded readings limited to [episodeStart, asOf] (S1-E), and the sorted
 * times F2 masking reads (fevers, blood pressures). `episodeReadings` filters them for one time; a
 * trajectory's timeline (`vitalsTimeline`) gives the same at each of many times without re-reading the
 * episode: what is in the episode is kept per episode start, and what has started by asOf is a prefix
 * when the data are in time order (they are checked; otherwise they are filtered).
 */
import { firstIndex } from '../grading/sorted-search.js';
import { ascending } from './masking-input.js';
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
  /**
   * The readings that may lie in [from, asOf], in the order of `readings`: every one of them that does,
   * and maybe others (the current window keeps those that overlap it, so its result is the same).
   */
  readonly mayOverlap: (from: number) => GradedReadings;
}

/** The episode's readings at an evaluation time, given where the episode starts. */
export type ReadingsAt = (episodeStart: number) => EpisodeReadings;

type Kind = keyof GradedReadings;
type AnyReading = GradedReadings[Kind][number];

/** Per kind, the readings `keep` keeps (one literal for the seven kinds). */
function keepEach(readings: GradedReadings, keep: (r: AnyReading) => boolean): GradedReadings {
  return {
    temperatures: readings.temperatures.filter(keep),
    sbp: readings.sbp.filter(keep),
    map: readings.map.filter(keep),
    spo2: readings.spo2.filter(keep),
    flows: readings.flows.filter(keep),
    fio2: readings.fio2.filter(keep),
    devices: readings.devices.filter(keep),
  };
}

/** The masking times of the episode's readings. */
function maskingTimes(readings: GradedReadings, episodeStart: number, feverCelsius: number): Pick<EpisodeReadings, 'feverTimes' | 'bloodPressureTimes'> {
  return {
    // A fever charted by a period that began before the episode counts from the episode start (S1-E).
    feverTimes: ascending(readings.temperatures, (t) => t.value >= feverCelsius, (t) => Math.max(t.start, episodeStart)),
    bloodPressureTimes: ascending(readings.sbp.concat(readings.map), () => true, (r) => r.start),
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
  const readings = keepEach(vitals, (r) => r.start <= asOf && r.end >= episodeStart);
  return { vitals, readings, ...maskingTimes(readings, episodeStart, feverCelsius), mayOverlap: () => readings };
}

const inOrder = (values: ArrayLike<number>): boolean => {
  for (let i = 1; i < values.length; i += 1) if ((values[i - 1] as number) > (values[i] as number)) return false;
  return true;
};

/** Items by start: those started by t; and those started by t that may end at or after `from`. */
interface ByStart<T> {
  readonly startedBy: (t: number) => T[];
  readonly mayEndFrom: (from: number, t: number) => T[];
}

/**
 * Items with start ≤ t, in their order, for any t: a prefix when the starts ascend (checked once). Then
 * the items before the first whose running maximum end reaches `from` all end before it, so the rest of
 * the prefix holds every item that may overlap [from, t].
 */
function byStart<T extends { readonly start: number; readonly end: number }>(items: readonly T[]): ByStart<T> {
  const starts = Float64Array.from(items, (r) => r.start);
  if (!inOrder(starts)) {
    const startedBy = (t: number): T[] => items.filter((r) => r.start <= t);
    return { startedBy, mayEndFrom: (_from, t) => startedBy(t) };
  }
  const latestEnd = new Float64Array(items.length);
  let latest = Number.NEGATIVE_INFINITY;
  items.forEach((r, i) => (latestEnd[i] = latest = Math.max(latest, r.end)));
  return {
    startedBy: (t) => items.slice(0, firstIndex(starts, t, true)),
    mayEndFrom: (from, t) => items.slice(firstIndex(latestEnd, from), firstIndex(starts, t, true)),
  };
}

/** Times ≤ t, in their order, for any t. */
function timesUpTo(times: readonly number[]): (t: number) => number[] {
  return inOrder(times) ? (t) => times.slice(0, firstIndex(times, t, true)) : (t) => times.filter((x) => x <= t);
}

type ByKind = { readonly [K in Kind]: ByStart<GradedReadings[K][number]> };

function byKind(readings: GradedReadings): ByKind {
  return {
    temperatures: byStart(readings.temperatures),
    sbp: byStart(readings.sbp),
    map: byStart(readings.map),
    spo2: byStart(readings.spo2),
    flows: byStart(readings.flows),
    fio2: byStart(readings.fio2),
    devices: byStart(readings.devices),
  };
}

/** Per kind, the readings `pick` takes. */
function eachKind(kinds: ByKind, pick: <T extends Reading | VitalsFacts['devices'][number]>(items: ByStart<T>) => T[]): GradedReadings {
  return {
    temperatures: pick(kinds.temperatures),
    sbp: pick(kinds.sbp),
    map: pick(kinds.map),
    spo2: pick(kinds.spo2),
    flows: pick(kinds.flows),
    fio2: pick(kinds.fio2),
    devices: pick(kinds.devices),
  };
}

/** What the timeline keeps for one episode start: every reading in the episode whatever its start. */
interface EpisodeIndex {
  readonly episodeStart: number;
  readonly readings: ByKind;
  readonly feverTimes: Float64Array;
  readonly bloodPressureTimes: Float64Array;
}

function indexEpisode(all: VitalsFacts, episodeStart: number, feverCelsius: number): EpisodeIndex {
  const readings = keepEach(all, (r) => r.end >= episodeStart);
  return { episodeStart, readings: byKind(readings), ...maskingTimes(readings, episodeStart, feverCelsius) };
}

/** The readings of the episode that may overlap [from, asOf], for any `from`. */
function mayOverlapUpTo(index: EpisodeIndex, asOf: number): (from: number) => GradedReadings {
  return (from) => eachKind(index.readings, (items) => items.mayEndFrom(from, asOf));
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
  const weights = byStart(all.weights);
  const ignoredTemperatureTimes = timesUpTo(all.ignoredTemperatureTimes);
  let episode: EpisodeIndex | undefined;
  return (asOf) => (episodeStart) => {
    if (episode?.episodeStart !== episodeStart) episode = indexEpisode(all, episodeStart, feverCelsius);
    const index = episode;
    return {
      vitals: {
        weights: weights.startedBy(asOf),
        ignoredTemperatureTimes: ignoredTemperatureTimes(asOf),
        notes: all.notes.filter((n) => n.at === undefined || n.at <= asOf),
      },
      readings: eachKind(index.readings, (items) => items.startedBy(asOf)),
      feverTimes: index.feverTimes.subarray(0, firstIndex(index.feverTimes, asOf, true)),
      bloodPressureTimes: index.bloodPressureTimes.subarray(0, firstIndex(index.bloodPressureTimes, asOf, true)),
      mayOverlap: mayOverlapUpTo(index, asOf),
    };
  };
}
