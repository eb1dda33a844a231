import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { episodeMaxGrade } from '../../src/grading/episode-max.js';
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
