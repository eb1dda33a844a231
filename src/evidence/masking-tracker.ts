/**
 * F2 masking at a sequence of evaluation times (a trajectory): each time's periods equal
 * `maskingPeriods(maskingInput(facts))`. A period only depends on data up to its end (grading/masking.ts),
 * so when the later facts keep everything the earlier ones held up to the earlier time, the periods that
 * had ended by then are kept and the search continues after them: the column disturbances of the whole
 * episode are then merged only while a period is open or a new one starts. Whether the facts keep it is
 * decided by value here, never assumed.
 */
import { maskingPeriods } from '../grading/masking.js';
import { addedAfter, sameSteps, sameThresholds, type Datum } from '../grading/series-extension.js';
import type { MaskingPeriod } from '../grading/types.js';
import { maskingInput, type MaskingFacts } from './masking-input.js';
import type { DeviceReading } from './types.js';

/** One evaluation time's facts, input and periods. */
interface Evaluated {
  readonly asOf: number;
  readonly facts: MaskingFacts;
  readonly agentTimes: ArrayLike<number>;
  readonly periods: readonly MaskingPeriod[];
}

const sameDevice = (a: DeviceReading, b: DeviceReading): boolean => a.start === b.start && a.end === b.end && a.tier === b.tier;

/** The ascending times `next` starts with those of `prev` and adds only times after `after`. */
function timesExtend(prev: ArrayLike<number>, next: ArrayLike<number>, after: number): boolean {
  if (next.length < prev.length) return false;
  for (let i = 0; i < prev.length; i += 1) if (prev[i] !== next[i]) return false;
  for (let i = prev.length; i < next.length; i += 1) if (!((next[i] as number) > after)) return false;
  return true;
}

/** `next` keeps `prev`'s data (same start, end and value or counts) and adds only data after `after`. */
const extend = <T extends Datum>(prev: readonly T[], next: readonly T[], after: number, same?: (a: T, b: T) => boolean): boolean =>
  addedAfter(prev, next, after, same) !== undefined;

/** The later facts hold everything the earlier held up to the earlier time, and only later data besides. */
function keeps(earlier: Evaluated, next: MaskingFacts, nextAgentTimes: ArrayLike<number>): boolean {
  const a = earlier.facts;
  const t = earlier.asOf;
  return (
    a.episodeStart === next.episodeStart &&
    a.resolutionMs === next.resolutionMs &&
    a.maxMs === next.maxMs &&
    sameThresholds(a.thresholds, next.thresholds) &&
    sameSteps(a.sbpThresholds, next.sbpThresholds) &&
    timesExtend(a.feverTimes, next.feverTimes, t) &&
    timesExtend(a.bloodPressureTimes, next.bloodPressureTimes, t) &&
    timesExtend(earlier.agentTimes, nextAgentTimes, t) &&
    extend(a.sbp, next.sbp, t) &&
    extend(a.map, next.map, t) &&
    extend(a.flows, next.flows, t) &&
    extend(a.fio2, next.fio2, t) &&
    extend(a.devices, next.devices, t, sameDevice) &&
    extend(a.vasopressorSteps, next.vasopressorSteps, t)
  );
}

/**
 * @returns the F2 periods of each evaluation's facts, in any order of evaluation times (an earlier time
 *   than the previous one is computed whole)
 */
export function createMaskingTracker(): (facts: MaskingFacts, asOf: number) => MaskingPeriod[] {
  let last: Evaluated | undefined;
  return (facts, asOf) => {
    const input = maskingInput(facts);
    const earlier = last;
    const known =
      earlier !== undefined && asOf > earlier.asOf && keeps(earlier, facts, input.agentTimes)
        ? earlier.periods.filter((p) => p.to <= earlier.asOf)
        : [];
    const periods = maskingPeriods(input, known);
    last = { asOf, facts, agentTimes: input.agentTimes, periods };
    return periods;
  };
}
