/**
 * F2 over a trajectory (masking-tracker.ts): at every evaluation time the tracker gives what the whole
 * computation gives, `maskingPeriods(maskingInput(facts))`, whether the facts only grew since the previous
 * time (the ended periods are kept) or an earlier datum changed (it starts again).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { maskingPeriods } from '../../src/grading/masking.js';
import type { VasopressorStep } from '../../src/grading/types.js';
import { maskingInput, type MaskingFacts } from '../../src/evidence/masking-input.js';
import { createMaskingTracker } from '../../src/evidence/masking-tracker.js';
import type { DeviceReading, MedicationEvent, Reading } from '../../src/evidence/types.js';

const H = 3_600_000;
const thresholds = { feverCelsius: 38, sbpBelow: 90, mapBelow: 65, lowFlowMaxLpm: 6, fio2LowFlowAbovePercent: 21, fio2HighFlowFromPercent: 45 };
const hour = fc.integer({ min: 0, max: 120 });
const reading = (value: fc.Arbitrary<number>) => fc.record({ h: hour, len: fc.integer({ min: 0, max: 3 }), value }).map((r): Reading => ({ start: r.h * H, end: (r.h + r.len) * H, value: r.value }));
const device = fc.record({ h: hour, tier: fc.constantFrom('none', 'low-flow', 'high-flow') }).map((r): DeviceReading => ({ start: r.h * H, end: r.h * H, tier: r.tier }));
const step = fc.record({ h: hour, len: fc.integer({ min: 1, max: 8 }) }).map((r): VasopressorStep => ({ start: r.h * H, end: (r.h + r.len) * H, active: 1, concurrent: 1 }));
const agent = hour.map((h): MedicationEvent => ({ concept: 'acetaminophen', start: h * H, end: h * H + 60_000 }));

const episode = fc.record({
  temperatures: fc.array(reading(fc.integer({ min: 365, max: 401 }).map((v) => v / 10)), { maxLength: 30 }),
  sbp: fc.array(reading(fc.integer({ min: 70, max: 130 })), { maxLength: 30 }),
  map: fc.array(reading(fc.integer({ min: 50, max: 90 })), { maxLength: 10 }),
  flows: fc.array(reading(fc.integer({ min: 0, max: 10 })), { maxLength: 6 }),
  fio2: fc.array(reading(fc.integer({ min: 21, max: 60 })), { maxLength: 4 }),
  devices: fc.array(device, { maxLength: 6 }),
  agents: fc.array(agent, { maxLength: 12 }),
  vasopressorSteps: fc.array(step, { maxLength: 3 }),
});
type Episode = typeof episode extends fc.Arbitrary<infer T> ? T : never;

const byStart = <T extends { readonly start: number }>(items: readonly T[]): T[] => [...items].sort((a, b) => a.start - b.start);
const times = (values: readonly number[]): Float64Array => Float64Array.from(values).sort();

/** The facts at `t`, as the trajectory's timeline gives them: the data started by t, in time order. */
function factsAt(e: Episode, t: number): MaskingFacts {
  const started = <T extends { readonly start: number }>(items: readonly T[]): T[] => byStart(items).filter((i) => i.start <= t);
  const temperatures = started(e.temperatures);
  const sbp = started(e.sbp);
  const map = started(e.map);
  return {
    sbp,
    map,
    flows: started(e.flows),
    fio2: started(e.fio2),
    devices: started(e.devices),
    feverTimes: times(temperatures.filter((r) => r.value >= thresholds.feverCelsius).map((r) => r.start)),
    bloodPressureTimes: times([...sbp, ...map].map((r) => r.start)),
    episodeStart: 0,
    thresholds,
    sbpThresholds: [],
    agents: started(e.agents),
    vasopressorSteps: started(e.vasopressorSteps),
    resolutionMs: 12 * H,
    maxMs: 24 * H,
  };
}

describe('createMaskingTracker', () => {
  test('equals the whole F2 computation at every time of random trajectories, with earlier data that change', () => {
    const change = fc.constantFrom('none', 'none', 'sbp-value', 'vasopressor-end', 'threshold');
    // How often a time had periods that ended before it: the case the tracker keeps.
    let withEndedPeriods = 0;
    fc.assert(
      fc.property(episode, fc.array(fc.tuple(fc.integer({ min: 1, max: 8 }), change), { minLength: 1, maxLength: 25 }), (e, steps) => {
        const track = createMaskingTracker();
        let t = 0;
        for (const [hours, kind] of steps) {
          t += hours * H;
          let facts = factsAt(e, t);
          // The latest blood pressure before the previous time turns low: it may fall in an ended period's resolution window.
          const latest = facts.sbp.findLastIndex((r) => r.start <= t - hours * H);
          if (kind === 'sbp-value' && latest >= 0) facts = { ...facts, sbp: facts.sbp.map((r, i) => (i === latest ? { ...r, value: 60 } : r)) };
          if (kind === 'vasopressor-end' && facts.vasopressorSteps.length > 0) {
            facts = { ...facts, vasopressorSteps: facts.vasopressorSteps.map((s, i) => (i === 0 ? { ...s, end: s.start + 1 } : s)) };
          }
          if (kind === 'threshold') facts = { ...facts, thresholds: { ...thresholds, mapBelow: 70 } };
          const whole = maskingPeriods(maskingInput(facts));
          expect(track(facts, t), `t = ${t / H} h, ${kind}`).toEqual(whole);
          if (whole.some((p) => p.to <= t - hours * H)) withEndedPeriods += 1;
        }
      }),
      { numRuns: 1000 },
    );
    expect(withEndedPeriods).toBeGreaterThan(10);
  });
});
