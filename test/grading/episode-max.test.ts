import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { createEpisodeMaxTracker, episodeMaxGrade } from '../../src/grading/episode-max.js';
import { seriesExtension } from '../../src/grading/series-extension.js';
import { gradeCrs, OXYGEN_TIERS, sbpThresholdAt } from '../../src/grading/grade-crs.js';
import { maskingAt } from '../../src/grading/masking.js';
import type { EpisodeSeries, Grade, MaskingPeriod, SbpThresholdStep, TimedValue, VasopressorStep } from '../../src/grading/types.js';

const H = 3_600_000;
const thresholds = { feverCelsius: 38, sbpBelow: 90, mapBelow: 65, lowFlowMaxLpm: 6, fio2LowFlowAbovePercent: 21, fio2HighFlowFromPercent: 45 };

/**
 * The obvious O(n²) G-M: grade every window ending at every candidate instant, with the masking and the
 * H1-P threshold of that instant.
 */
function naiveEpisodeMax(s: EpisodeSeries): { grade: Grade | null; at?: number } {
  const instants = new Set<number>([s.episodeStart, s.asOf]);
  for (const p of s.masking) if (p.from <= s.asOf) instants.add(Math.max(p.from, s.episodeStart));
  for (const step of s.sbpThresholds) if (step.from <= s.asOf) instants.add(Math.max(step.from, s.episodeStart));
  for (const list of [s.temperatures, s.sbp, s.map, s.flows, s.fio2, s.deviceRanks, s.vasopressorSteps]) {
    for (const i of list) if (i.start <= s.asOf) instants.add(Math.max(i.start, s.episodeStart));
  }
  let best: Grade | null = null;
  let at: number | undefined;
  for (const t of [...instants].sort((a, b) => a - b)) {
    const from = Math.max(t - s.lookbackMs, s.episodeStart);
    const inW = (l: readonly TimedValue[]) => l.filter((i) => i.start <= t && i.end >= from).map((i) => i.value);
    const steps = s.vasopressorSteps.filter((v) => v.start <= t && v.end > from);
    const temps = inW(s.temperatures);
    const sbp = inW(s.sbp);
    const map = inW(s.map);
    const flows = inW(s.flows);
    const fio2 = inW(s.fio2);
    const ranks = inW(s.deviceRanks);
    const { grade } = gradeCrs({
      thresholds: { ...thresholds, sbpBelow: sbpThresholdAt(s.sbpThresholds, thresholds.sbpBelow, t) },
      maxTemperatureC: temps.length ? Math.max(...temps) : undefined,
      masked: maskingAt(s.masking, t) !== undefined,
      lowestSbp: sbp.length ? Math.min(...sbp) : undefined,
      lowestMap: map.length ? Math.min(...map) : undefined,
      vasopressorActive: steps.some((v) => v.active > 0),
      maxConcurrentVasopressors: Math.max(0, ...steps.map((v) => v.concurrent)),
      deviceTier: OXYGEN_TIERS[Math.max(0, ...ranks)] ?? 'none',
      maxFlowLpm: flows.length ? Math.max(...flows) : undefined,
      maxFio2Percent: fio2.length ? Math.max(...fio2) : undefined,
    });
    if (grade !== null && (best === null || grade > best)) {
      best = grade;
      at = t;
    }
  }
  return at === undefined ? { grade: best } : { grade: best, at };
}

const hours = fc.integer({ min: 0, max: 96 });
const point = (value: fc.Arbitrary<number>) =>
  fc.record({ start: hours, len: fc.integer({ min: 0, max: 6 }), value }).map(
    (r): TimedValue => ({ start: r.start * H, end: (r.start + r.len) * H, value: r.value }),
  );
const step = fc
  .record({ start: hours, len: fc.integer({ min: 1, max: 5 }), concurrent: fc.integer({ min: 0, max: 3 }) })
  .map((r): VasopressorStep => ({ start: r.start * H, end: (r.start + r.len) * H, active: Math.max(1, r.concurrent), concurrent: r.concurrent }));

const series = fc.record({
  temperatures: fc.array(point(fc.integer({ min: 365, max: 400 }).map((v) => v / 10)), { maxLength: 12 }),
  sbp: fc.array(point(fc.integer({ min: 70, max: 130 })), { maxLength: 8 }),
  map: fc.array(point(fc.integer({ min: 50, max: 90 })), { maxLength: 8 }),
  flows: fc.array(point(fc.integer({ min: 1, max: 15 })), { maxLength: 6 }),
  deviceRanks: fc.array(point(fc.integer({ min: 1, max: 3 })), { maxLength: 4 }),
  fio2: fc.array(point(fc.integer({ min: 21, max: 60 })), { maxLength: 4 }),
  vasopressorSteps: fc.array(step, { maxLength: 4 }),
  // F2: up to two disjoint masking periods, in time order.
  masking: fc
    .uniqueArray(hours, { minLength: 0, maxLength: 4 })
    .map((ts) => ts.sort((a, b) => a - b))
    .map((ts): MaskingPeriod[] =>
      ts.flatMap((x, i) => (i % 2 === 0 ? [{ from: x * H, to: (ts[i + 1] ?? 200) * H, endedBy: 'max-hours' as const }] : [])),
    ),
  // H1-P: a child's threshold that rises at a birthday within the episode.
  sbpThresholds: fc.option(hours, { nil: undefined }).map((x): SbpThresholdStep[] =>
    x === undefined ? [] : [{ from: 0, below: 84 }, { from: x * H, below: 86 }],
  ),
});

describe('episodeMaxGrade (G-M)', () => {
  test('agrees with grading every window naively, on random episodes', () => {
    fc.assert(
      fc.property(series, (s) => {
        const full: EpisodeSeries = {
          thresholds,
          episodeStart: 0,
          asOf: 96 * H,
          lookbackMs: 24 * H,
          ...s,
        };
        expect(episodeMaxGrade(full)).toEqual(naiveEpisodeMax(full));
      }),
      { numRuns: 300 },
    );
  });

  test('is null when every window is indeterminate', () => {
    const s: EpisodeSeries = {
      thresholds, sbpThresholds: [], episodeStart: 0, asOf: 10 * H, lookbackMs: 24 * H,
      temperatures: [], sbp: [{ start: H, end: H, value: 70 }], map: [], flows: [], fio2: [], deviceRanks: [], vasopressorSteps: [], masking: [],
    };
    expect(episodeMaxGrade(s)).toEqual({ grade: null });
  });
});

describe('createEpisodeMaxTracker (G-M over a trajectory)', () => {
  const byStart = <T extends { readonly start: number }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.start - b.start);
  /** The series as a trajectory sees it at `t`: the data started by t, in time order. */
  function at(full: EpisodeSeries, t: number): EpisodeSeries {
    const started = <T extends { readonly start: number }>(items: readonly T[]): T[] => byStart(items).filter((i) => i.start <= t);
    return {
      ...full,
      asOf: t,
      temperatures: started(full.temperatures),
      sbp: started(full.sbp),
      map: started(full.map),
      flows: started(full.flows),
      fio2: started(full.fio2),
      deviceRanks: started(full.deviceRanks),
      vasopressorSteps: started(full.vasopressorSteps),
      masking: full.masking.filter((p) => p.from <= t),
      sbpThresholds: full.sbpThresholds.filter((s) => s.from <= t),
    };
  }

  test('equals episodeMaxGrade at every instant of random trajectories, with data that change between instants', () => {
    const change = fc.constantFrom('none', 'vasopressor-end', 'masking-end', 'earlier-value', 'episode-start');
    fc.assert(
      fc.property(series, fc.array(fc.tuple(fc.integer({ min: 1, max: 6 }), change), { minLength: 1, maxLength: 30 }), (s, steps) => {
        const full: EpisodeSeries = { thresholds, episodeStart: 0, asOf: 96 * H, lookbackMs: 24 * H, ...s };
        const track = createEpisodeMaxTracker();
        let t = 0;
        for (const [hours, kind] of steps) {
          t += hours * H;
          let now = at(full, t);
          // What a later hour may revise: an infusion's end (E3-R), a masking period's end, a corrected value,
          // a new episode start. The tracker must notice and give the whole sweep's answer.
          if (kind === 'vasopressor-end' && now.vasopressorSteps.length > 0) {
            now = { ...now, vasopressorSteps: now.vasopressorSteps.map((v, i) => (i === 0 ? { ...v, end: v.start + H } : v)) };
          }
          if (kind === 'masking-end' && now.masking.length > 0) now = { ...now, masking: now.masking.map((p, i) => (i === 0 ? { ...p, to: p.from + 2 * H } : p)) };
          if (kind === 'earlier-value' && now.temperatures.length > 0) now = { ...now, temperatures: now.temperatures.map((v, i) => (i === 0 ? { ...v, value: 39.5 } : v)) };
          if (kind === 'episode-start') now = { ...now, episodeStart: Math.min(t, 6 * H) };
          expect(track(now), `t = ${t / H} h, ${kind}`).toEqual(episodeMaxGrade(now));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('seriesExtension', () => {
  const reading = (hour: number, value: number): TimedValue => ({ start: hour * H, end: hour * H, value });
  const prev: EpisodeSeries = {
    thresholds, sbpThresholds: [], episodeStart: 0, asOf: 10 * H, lookbackMs: 24 * H,
    temperatures: [reading(2, 38.5)], sbp: [reading(3, 85)], map: [], flows: [], fio2: [], deviceRanks: [], vasopressorSteps: [],
    masking: [{ from: 4 * H, to: 30 * H, endedBy: 'max-hours' }],
  };
  const next: EpisodeSeries = { ...prev, asOf: 11 * H, temperatures: [...prev.temperatures, reading(11, 39)] };

  test('gives the data started after the earlier evaluation time', () => {
    expect(seriesExtension(prev, next)?.temperatures).toEqual([reading(11, 39)]);
    expect(seriesExtension(prev, next)?.sbp).toEqual([]);
    // A masking period still open at both times may end differently later: the instants up to 10 h are the same.
    expect(seriesExtension(prev, { ...next, masking: [{ from: 4 * H, to: 11 * H, endedBy: 'resolution' }] })).toBeDefined();
  });

  test.each([
    ['not a later time', { asOf: 10 * H }],
    ['another episode start', { episodeStart: H }],
    ['another lookback', { lookbackMs: 12 * H }],
    ['another threshold', { thresholds: { ...thresholds, feverCelsius: 37.5 } }],
    ['an H1-P step', { sbpThresholds: [{ from: 0, below: 86 }] }],
    ['masking ended by the earlier time', { masking: [{ from: 4 * H, to: 9 * H, endedBy: 'resolution' as const }] }],
    ['an earlier datum changed', { sbp: [reading(3, 95)] }],
    ['an earlier datum gone', { sbp: [] }],
    ['a new datum started by the earlier time', { temperatures: [...prev.temperatures, reading(9, 39)] }],
  ])('is undefined for %s', (_name, change: Partial<EpisodeSeries>) => {
    expect(seriesExtension(prev, { ...next, ...change })).toBeUndefined();
  });
});
