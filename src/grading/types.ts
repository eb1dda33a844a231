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
  /** H1, mmHg */
  readonly sbpBelow: number;
  /** H1, mmHg (charted MAP only) */
  readonly mapBelow: number;
  /** O1, L/min */
  readonly lowFlowMaxLpm: number;
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
}

/** Everything of the episode G-M needs, already limited to [episodeStart, asOf]. */
export interface EpisodeSeries {
  readonly thresholds: GradingThresholds;
  readonly episodeStart: number;
  readonly asOf: number;
  readonly lookbackMs: number;
  readonly temperatures: readonly TimedValue[];
  readonly sbp: readonly TimedValue[];
  readonly map: readonly TimedValue[];
  readonly flows: readonly TimedValue[];
  /** Device tiers as ranks 0–3 (none, low-flow, high-flow, positive-pressure). */
  readonly deviceRanks: readonly TimedValue[];
  readonly vasopressorSteps: readonly VasopressorStep[];
  /** F2: when masking was established; undefined = never. */
  readonly maskedFrom?: number;
}

/** G-M: the episode maximum and when it was first reached. */
export interface EpisodeMax {
  readonly grade: Grade | null;
  readonly at?: number;
}
