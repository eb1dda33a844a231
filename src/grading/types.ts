/**
 * Inputs and outputs of the pure ASTCT 2019 grading (grade-crs.ts, episode-max.ts). Times are epoch
 * milliseconds; evidence extraction has already applied statuses (E1, E2), units (E5), plausibility (E6)
 * and the episode start (S1-E).
 */
import type { Grade, HypotensionTier, OxygenTier } from './assessment.js';

export type { Grade, HypotensionTier, OxygenTier };

/** The configured thresholds grading needs (crs-rules.md section 3 names). */
export interface GradingThresholds {
  /** F1, °C */
  readonly feverCelsius: number;
  /** H1 (or H1-P at the evaluation time), mmHg */
  readonly sbpBelow: number;
  /** H1, mmHg (charted MAP only) */
  readonly mapBelow: number;
  /** O1, L/min */
  readonly lowFlowMaxLpm: number;
  /** O1: a FiO2 above this documents supplemental oxygen, % */
  readonly fio2LowFlowAbovePercent: number;
  /** O1: a FiO2 at or above this is high-flow, % */
  readonly fio2HighFlowFromPercent: number;
}

/** A closed range of epoch milliseconds. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** F2: fever is not required over [from, to) (to may lie after the evaluation time). */
export interface MaskingPeriod {
  /** The masking agent's start. */
  readonly from: number;
  readonly to: number;
  /** Why it ends: (a) resolution window, or (b) maskingMaxHours after the last agent. */
  readonly endedBy: 'resolution' | 'max-hours';
}

/** H1-P: the SBP threshold from `from` on (until the next step). */
export interface SbpThresholdStep {
  readonly from: number;
  readonly below: number;
}

/** What one lookback window holds, reduced to what the grade table reads. */
export interface CrsFacts {
  readonly thresholds: GradingThresholds;
  /** Highest usable temperature (°C); undefined when the window has none (G-I). */
  readonly maxTemperatureC?: number;
  /** F2: masking established at or before the window's end. */
  readonly masked: boolean;
  /** H1: lowest SBP (mmHg). */
  readonly lowestSbp?: number;
  /** H1: lowest charted MAP, LOINC 8478-0 (mmHg). */
  readonly lowestMap?: number;
  /** H2: some vasopressor (vasopressin included) active in the window. */
  readonly vasopressorActive: boolean;
  /** H2: most distinct vasopressor ingredients active at one moment, vasopressin excluded. */
  readonly maxConcurrentVasopressors: number;
  /** O1: highest device tier documented. */
  readonly deviceTier: OxygenTier;
  /** O1: highest documented O2 flow rate (L/min). */
  readonly maxFlowLpm?: number;
  /** O1: highest documented FiO2 (%). */
  readonly maxFio2Percent?: number;
}

/** The grade of one window and the parts that produced it. */
export interface CrsGrade {
  /** null = indeterminate (G-I). */
  readonly grade: Grade | null;
  /** F1 */
  readonly febrile: boolean;
  /** F2 */
  readonly masked: boolean;
  readonly hypotensionTier: HypotensionTier;
  readonly oxygenTier: OxygenTier;
  /** Grade 0 only because there was no fever: hypotension or oxygen need not attributable to CRS. */
  readonly notAttributable: boolean;
}

/** An Observation-derived value over a closed time range. */
export interface TimedValue {
  readonly start: number;
  readonly end: number;
  readonly value: number;
}

/** A step of the vasopressor count function: constant over the half-open [start, end) (E3, H2). */
export interface VasopressorStep {
  readonly start: number;
  readonly end: number;
  /** Distinct counted ingredients active, vasopressin included. */
  readonly active: number;
  /** Distinct counted ingredients active, vasopressin excluded. */
  readonly concurrent: number;
  /** E3-R: some active administration's activity was inferred from its charted rate. */
  readonly inferred?: true;
}

/** Everything of the episode G-M needs, already limited to [episodeStart, asOf]. */
export interface EpisodeSeries {
  readonly thresholds: GradingThresholds;
  /** H1-P: the SBP threshold over time, ascending (empty = `thresholds.sbpBelow` throughout). */
  readonly sbpThresholds: readonly SbpThresholdStep[];
  readonly episodeStart: number;
  readonly asOf: number;
  readonly lookbackMs: number;
  readonly temperatures: readonly TimedValue[];
  readonly sbp: readonly TimedValue[];
  readonly map: readonly TimedValue[];
  readonly flows: readonly TimedValue[];
  /** FiO2, %. */
  readonly fio2: readonly TimedValue[];
  /** Device tiers as ranks 0–3 (none, low-flow, high-flow, positive-pressure). */
  readonly deviceRanks: readonly TimedValue[];
  readonly vasopressorSteps: readonly VasopressorStep[];
  /** F2 masking periods, in time order. */
  readonly masking: readonly MaskingPeriod[];
}

/** G-M: the episode maximum and when it was first reached. */
export interface EpisodeMax {
  readonly grade: Grade | null;
  readonly at?: number;
}
