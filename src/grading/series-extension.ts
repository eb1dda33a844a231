/**
 * When a later episode series keeps everything an earlier one knew (a trajectory hour after hour), the
 * G-M sweep of the earlier one can continue with the new data only (episode-max.ts). This decides it, by
 * value, so a sweep is only ever continued where the result is the same as sweeping the whole series:
 * same episode start, lookback, thresholds and H1-P steps; masking the same at every instant up to the
 * earlier asOf; every earlier datum still there with the same start, end and value, in the same order;
 * and every new datum started after the earlier asOf. Pure.
 */
import type { EpisodeSeries, GradingThresholds, MaskingPeriod, SbpThresholdStep, Span } from './types.js';

const THRESHOLDS: readonly (keyof GradingThresholds)[] = [
  'feverCelsius',
  'sbpBelow',
  'mapBelow',
  'lowFlowMaxLpm',
  'fio2LowFlowAbovePercent',
  'fio2HighFlowFromPercent',
];

/**
 * @param a - thresholds
 * @param b - other thresholds
 * @returns whether they grade alike
 */
export function sameThresholds(a: GradingThresholds, b: GradingThresholds): boolean {
  return THRESHOLDS.every((k) => a[k] === b[k]);
}

/**
 * @param a - H1-P steps
 * @param b - other steps
 * @returns whether they are the same steps
 */
export function sameSteps(a: readonly SbpThresholdStep[], b: readonly SbpThresholdStep[]): boolean {
  return a.length === b.length && a.every((s, i) => s.from === b[i]?.from && s.below === b[i]?.below);
}

/** The members of a datum the sweep reads (start, end, and the value or the vasopressor counts). */
export type Datum = Span & { readonly value?: number; readonly active?: number; readonly concurrent?: number };

const sameDatum = (a: Datum, b: Datum): boolean =>
  a.start === b.start && a.end === b.end && a.value === b.value && a.active === b.active && a.concurrent === b.concurrent;

/**
 * The data of `next` beyond `prev` when `next` starts with `prev`'s data (the same objects, or equal by
 * `same`) and adds only data started after `after`; undefined otherwise.
 * @param prev - the earlier data
 * @param next - the later data
 * @param after - the earlier evaluation time, ms
 * @param same - equality of two data that are not the same object
 */
export function addedAfter<T extends Datum>(
  prev: readonly T[],
  next: readonly T[],
  after: number,
  same: (a: T, b: T) => boolean = sameDatum,
): readonly T[] | undefined {
  if (next.length < prev.length) return undefined;
  for (let i = 0; i < prev.length; i += 1) {
    const a = prev[i] as T;
    const b = next[i] as T;
    if (a !== b && !same(a, b)) return undefined;
  }
  const added = next.slice(prev.length);
  return added.every((d) => d.start > after) ? added : undefined;
}

/** F2: masked (from ≤ t < to) at the same instants t ≤ `upTo` under both lists. */
function sameMaskingUpTo(a: readonly MaskingPeriod[], b: readonly MaskingPeriod[], upTo: number): boolean {
  const x = a.filter((p) => p.from <= upTo);
  const y = b.filter((p) => p.from <= upTo);
  return x.length === y.length && x.every((p, i) => p.from === y[i]?.from && Math.min(p.to, upTo + 1) === Math.min(y[i]?.to as number, upTo + 1));
}

/**
 * @param prev - the earlier series
 * @param next - the later series
 * @returns `next` with only the data it adds to `prev`, or undefined when it does not extend `prev`
 */
export function seriesExtension(prev: EpisodeSeries, next: EpisodeSeries): EpisodeSeries | undefined {
  const after = prev.asOf;
  if (!(next.asOf > after) || next.episodeStart !== prev.episodeStart || next.lookbackMs !== prev.lookbackMs) return undefined;
  if (!sameThresholds(prev.thresholds, next.thresholds)) return undefined;
  if (!sameSteps(prev.sbpThresholds, next.sbpThresholds) || !sameMaskingUpTo(prev.masking, next.masking, after)) return undefined;
  const temperatures = addedAfter(prev.temperatures, next.temperatures, after);
  const sbp = addedAfter(prev.sbp, next.sbp, after);
  const map = addedAfter(prev.map, next.map, after);
  const flows = addedAfter(prev.flows, next.flows, after);
  const fio2 = addedAfter(prev.fio2, next.fio2, after);
  const deviceRanks = addedAfter(prev.deviceRanks, next.deviceRanks, after);
  const vasopressorSteps = addedAfter(prev.vasopressorSteps, next.vasopressorSteps, after);
  if (!temperatures || !sbp || !map || !flows || !fio2 || !deviceRanks || !vasopressorSteps) return undefined;
  return { ...next, temperatures, sbp, map, flows, fio2, deviceRanks, vasopressorSteps };
}
