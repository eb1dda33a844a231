/**
 * F2 end of masking (crs-rules.md revision 2), at its boundaries: (a) resolution — a full resolutionHours
 * window after the masking agent with both columns 0 and a blood pressure charted; (b) maskingMaxHours after
 * the last masking agent; and re-establishment by a new fever and the next agent.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { maskingAt, maskingPeriods, spanList, type MaskingInput } from '../../src/grading/masking.js';
import type { Span } from '../../src/grading/types.js';

const H = 3_600_000;
const base: MaskingInput = {
  feverTimes: [0],
  agentTimes: [1 * H],
  disturbances: () => spanList([]),
  bloodPressureTimes: [],
  resolutionMs: 24 * H,
  maxMs: 168 * H,
};
type Input = Omit<Partial<MaskingInput>, 'disturbances'> & { readonly disturbances?: readonly Span[] };
const periods = ({ disturbances, ...input }: Input) =>
  maskingPeriods({ ...base, ...input, ...(disturbances === undefined ? {} : { disturbances: () => spanList(disturbances) }) });

describe('F2 masking periods', () => {
  test('an agent at or after the first fever starts masking; one before it does not', () => {
    expect(periods({ agentTimes: [0] })[0]?.from).toBe(0);
    expect(periods({ agentTimes: [-1] })).toEqual([]);
    expect(periods({ feverTimes: [] })).toEqual([]);
  });

  test('(b) masking ends exactly maskingMaxHours after the last agent', () => {
    const [p] = periods({});
    expect(p).toEqual({ from: 1 * H, to: 169 * H, endedBy: 'max-hours' });
    expect(maskingAt(periods({}), 169 * H - 1)).toBeDefined();
    expect(maskingAt(periods({}), 169 * H)).toBeUndefined();
  });

  test('(b) repeated agents keep masking on while each comes within maskingMaxHours of the previous', () => {
    expect(periods({ agentTimes: [1 * H, 100 * H, 267 * H] })).toEqual([{ from: 1 * H, to: 435 * H, endedBy: 'max-hours' }]);
    // A gap of exactly maskingMaxHours ends it at that instant; the late agent needs a new fever.
    expect(periods({ agentTimes: [1 * H, 169 * H] })).toEqual([{ from: 1 * H, to: 169 * H, endedBy: 'max-hours' }]);
  });

  test('(a) resolution: a clean window of exactly resolutionHours after the agent, with a blood pressure, ends masking at its end', () => {
    const [p] = periods({ bloodPressureTimes: [3 * H] });
    expect(p).toEqual({ from: 1 * H, to: 25 * H, endedBy: 'resolution' });
    expect(maskingAt([p!], 25 * H - 1)).toBeDefined();
    expect(maskingAt([p!], 25 * H)).toBeUndefined();
  });

  test('(a) needs a blood pressure in the window: none charted, and (b) ends it', () => {
    expect(periods({ bloodPressureTimes: [] })[0]?.endedBy).toBe('max-hours');
    // A pressure charted only after a clean day makes the window end at that pressure.
    expect(periods({ bloodPressureTimes: [40 * H] })[0]).toEqual({ from: 1 * H, to: 40 * H, endedBy: 'resolution' });
  });

  test('(a) a disturbance (low pressure, vasopressor or oxygen) restarts the clean window after it', () => {
    const [p] = periods({ disturbances: [{ start: 10 * H, end: 12 * H }], bloodPressureTimes: [3 * H, 20 * H] });
    expect(p).toEqual({ from: 1 * H, to: 12 * H + 1 + 24 * H, endedBy: 'resolution' });
    // An open-ended disturbance (a device still charted) never resolves.
    expect(periods({ disturbances: [{ start: 2 * H, end: Number.POSITIVE_INFINITY }], bloodPressureTimes: [3 * H] })[0]?.endedBy).toBe('max-hours');
  });

  test('(a) overlapping and touching disturbances merge; a 1 ms clean gap between two is a gap', () => {
    const spans = [
      { start: 5 * H, end: 8 * H },
      { start: 6 * H, end: 7 * H },
      { start: 8 * H + 1, end: 9 * H },
    ];
    // Merged into [5 h, 9 h]: the clean window starts right after it.
    expect(periods({ disturbances: spans, bloodPressureTimes: [3 * H, 10 * H] })[0]?.to).toBe(9 * H + 1 + 24 * H);
    // Before 5 h there are only 4 h: too short; between 9 h and 40 h a full window holds the 10 h pressure.
    expect(periods({ disturbances: [...spans, { start: 40 * H, end: 41 * H }], bloodPressureTimes: [10 * H] })[0]?.to).toBe(9 * H + 1 + 24 * H);
  });

  test('after the end, a new fever re-establishes masking with the next agent; an agent alone does not', () => {
    expect(periods({ agentTimes: [1 * H, 200 * H] })).toHaveLength(1);
    expect(periods({ feverTimes: [0, 190 * H], agentTimes: [1 * H, 200 * H] })).toEqual([
      { from: 1 * H, to: 169 * H, endedBy: 'max-hours' },
      { from: 200 * H, to: 368 * H, endedBy: 'max-hours' },
    ]);
  });

  test('a fever after the last agent, still untreated when masking ends, re-establishes it with the next agent', () => {
    expect(periods({ feverTimes: [0, 50 * H], agentTimes: [1 * H, 180 * H] })).toHaveLength(2);
    // A fever answered by an agent before the end is not "new".
    expect(periods({ feverTimes: [0, 50 * H], agentTimes: [1 * H, 51 * H, 240 * H] })).toHaveLength(1);
  });
});

describe('F2 masking periods continued after known ones (a trajectory)', () => {
  test('continuing after any number of the first periods gives the whole answer, on random episodes', () => {
    const hours = (max: number) => fc.uniqueArray(fc.integer({ min: 0, max }), { maxLength: 14 }).map((xs) => xs.sort((a, b) => a - b).map((x) => x * H));
    const span = fc.record({ start: fc.integer({ min: 0, max: 200 }), len: fc.integer({ min: 0, max: 12 }) }).map((r): Span => ({ start: r.start * H, end: (r.start + r.len) * H }));
    fc.assert(
      fc.property(hours(200), hours(200), hours(220), fc.array(span, { maxLength: 10 }), (feverTimes, agentTimes, bloodPressureTimes, disturbances) => {
        const input: MaskingInput = { ...base, feverTimes, agentTimes, bloodPressureTimes, disturbances: () => spanList(disturbances), maxMs: 48 * H, resolutionMs: 12 * H };
        const whole = maskingPeriods(input);
        for (let k = 0; k <= whole.length; k++) {
          // Only finite periods are ever known: a period without end is still open.
          if (k > 0 && !Number.isFinite(whole[k - 1]?.to ?? 0)) break;
          expect(maskingPeriods(input, whole.slice(0, k))).toEqual(whole);
        }
      }),
      { numRuns: 300 },
    );
  });
});
