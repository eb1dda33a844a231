/**
 * CRS grade of one lookback window: ASTCT consensus grading, Lee DW et al., Biol Blood Marrow Transplant
 * 2019;25:625–638 ("ASTCT 2019"), as specified by crs-rules.md section 3. Pure: no I/O, no clock.
 *
 * When the window has a temperature ≥ feverCelsius (F1)            Then grade ≥ 1
 * When fever is masked (F2) and there is no fever                   Then the grade is hypotension/oxygen alone (may be 0)
 * When there is no fever, no masking and a usable temperature        Then grade 0 (findings: not attributable)
 * When there is no usable temperature and no masking (G-I)          Then grade null (indeterminate)
 * Hypotension column (H1/H2): SBP < sbpBelow or charted MAP < mapBelow → 2; any vasopressor (vasopressin
 *   alone included) → 3; ≥ 2 concurrent non-vasopressin vasopressors → 4.
 * Oxygen column (O1): low-flow → 2; high-flow → 3; positive pressure → 4. Every device, flow and FiO2
 *   contributes its own tier: flow ≤ lowFlowMaxLpm low-flow, above high-flow; FiO2 above
 *   fio2LowFlowAbovePercent low-flow, from fio2HighFlowFromPercent high-flow.
 * The grade is the more severe of the two columns.
 */
import type { CrsFacts, CrsGrade, Grade, GradingThresholds, HypotensionTier, OxygenTier, SbpThresholdStep } from './types.js';

const OXYGEN_GRADE: Readonly<Record<OxygenTier, Grade>> = {
  none: 0,
  'low-flow': 2,
  'high-flow': 3,
  'positive-pressure': 4,
};

const HYPOTENSION_GRADE: Readonly<Record<HypotensionTier, Grade>> = {
  none: 0,
  hypotension: 2,
  'one-vasopressor': 3,
  'multiple-vasopressors': 4,
};

/** Oxygen tiers in increasing order of support (O1). */
export const OXYGEN_TIERS: readonly OxygenTier[] = ['none', 'low-flow', 'high-flow', 'positive-pressure'];

/**
 * F1: a usable temperature at or above the fever threshold.
 * @param facts - the window's facts
 */
export function isFebrile(facts: CrsFacts): boolean {
  return facts.maxTemperatureC !== undefined && facts.maxTemperatureC >= facts.thresholds.feverCelsius;
}

/**
 * F2: fever not required because masking was established earlier in the episode.
 * @param facts - the window's facts
 */
export function isMasked(facts: CrsFacts): boolean {
  return facts.masked;
}

/**
 * H1 (E4 charted values): an SBP below sbpBelow.
 * @param sbp - mmHg
 * @param sbpBelow - the H1 threshold
 */
export function isLowSbp(sbp: number, sbpBelow: number): boolean {
  return sbp < sbpBelow;
}

/**
 * H1: a charted MAP (never computed) below mapBelow.
 * @param map - mmHg
 * @param mapBelow - the H1 threshold
 */
export function isLowMap(map: number, mapBelow: number): boolean {
  return map < mapBelow;
}

/** What the hypotension column reads (H1, H2). */
export interface HypotensionSigns {
  /** H2: ≥ 2 distinct non-vasopressin vasopressors active at one moment. */
  readonly multipleVasopressors: boolean;
  /** H2: some vasopressor active, vasopressin alone included. */
  readonly anyVasopressor: boolean;
  /** H1: a low SBP or charted MAP. */
  readonly lowPressure: boolean;
}

/**
 * H1/H2 column from its signs.
 * @param signs - the window's hypotension signs
 */
export function hypotensionColumn(signs: HypotensionSigns): HypotensionTier {
  if (signs.multipleVasopressors) return 'multiple-vasopressors';
  if (signs.anyVasopressor) return 'one-vasopressor';
  return signs.lowPressure ? 'hypotension' : 'none';
}

/**
 * H1/H2 column.
 * @param facts - the window's facts
 */
export function hypotensionTier(facts: CrsFacts): HypotensionTier {
  const { sbpBelow, mapBelow } = facts.thresholds;
  return hypotensionColumn({
    multipleVasopressors: facts.maxConcurrentVasopressors >= 2,
    anyVasopressor: facts.vasopressorActive,
    lowPressure:
      (facts.lowestSbp !== undefined && isLowSbp(facts.lowestSbp, sbpBelow)) ||
      (facts.lowestMap !== undefined && isLowMap(facts.lowestMap, mapBelow)),
  });
}

/**
 * O1 tier of a flow rate alone: 0 adds nothing, ≤ lowFlowMaxLpm low-flow, above it high-flow.
 * @param flowLpm - L/min
 * @param lowFlowMaxLpm - the O1 threshold
 */
export function flowTier(flowLpm: number | undefined, lowFlowMaxLpm: number): OxygenTier {
  if (flowLpm === undefined || flowLpm <= 0) return 'none';
  return flowLpm <= lowFlowMaxLpm ? 'low-flow' : 'high-flow';
}

/**
 * O1 tier of a charted FiO2 alone: above room air documents supplemental oxygen (at least low-flow);
 * from the high-flow threshold on high-flow (a nasal cannula at ≤ 6 L/min delivers at most about 44 %).
 * @param fio2Percent - %
 * @param thresholds - `fio2LowFlowAbovePercent`, `fio2HighFlowFromPercent`
 */
export function fio2Tier(
  fio2Percent: number | undefined,
  thresholds: Pick<GradingThresholds, 'fio2LowFlowAbovePercent' | 'fio2HighFlowFromPercent'>,
): OxygenTier {
  if (fio2Percent === undefined || fio2Percent <= thresholds.fio2LowFlowAbovePercent) return 'none';
  return fio2Percent >= thresholds.fio2HighFlowFromPercent ? 'high-flow' : 'low-flow';
}

/**
 * H1-P: the SBP threshold in force at `t`: the last step starting at or before t, else `sbpBelow`.
 * @param steps - threshold steps, ascending
 * @param sbpBelow - the adult threshold (H1)
 * @param t - an instant, ms
 */
export function sbpThresholdAt(steps: readonly SbpThresholdStep[], sbpBelow: number, t: number): number {
  let below = sbpBelow;
  for (const step of steps) {
    if (step.from > t) break;
    below = step.below;
  }
  return below;
}

/**
 * The higher of two O1 tiers.
 * @param a - a tier
 * @param b - another tier
 */
export function higherTier(a: OxygenTier, b: OxygenTier): OxygenTier {
  return OXYGEN_GRADE[b] > OXYGEN_GRADE[a] ? b : a;
}

/**
 * O1 column: every device and every flow contributes its own tier; the highest wins.
 * @param facts - the window's facts
 */
export function oxygenTier(facts: CrsFacts): OxygenTier {
  const flow = flowTier(facts.maxFlowLpm, facts.thresholds.lowFlowMaxLpm);
  return higherTier(higherTier(facts.deviceTier, flow), fio2Tier(facts.maxFio2Percent, facts.thresholds));
}

/** The criteria the grade table combines. */
export interface GradeCriteria {
  readonly febrile: boolean;
  readonly masked: boolean;
  /** G-I: some usable temperature in the window. */
  readonly hasTemperature: boolean;
  readonly hypotensionTier: HypotensionTier;
  readonly oxygenTier: OxygenTier;
}

/**
 * The grade table (section 3) from the more severe column's grade: fever required (F1) unless masked
 * (F2), indeterminate without any usable temperature (G-I). Numbers only: the episode sweep (G-M) calls
 * it once per data instant.
 * @param febrile - F1
 * @param masked - F2
 * @param hasTemperature - G-I: some usable temperature in the window
 * @param column - the more severe of the hypotension and oxygen columns, as a grade (0, 2, 3, 4)
 */
export function gradeOfColumns(febrile: boolean, masked: boolean, hasTemperature: boolean, column: Grade): Grade | null {
  if (febrile) return Math.max(1, column) as Grade;
  if (masked) return column;
  return hasTemperature ? 0 : null;
}

/**
 * The grade table (section 3) applied to criteria.
 * @param c - the window's criteria
 */
export function gradeFromCriteria(c: GradeCriteria): CrsGrade {
  const column = Math.max(HYPOTENSION_GRADE[c.hypotensionTier], OXYGEN_GRADE[c.oxygenTier]) as Grade;
  const grade = gradeOfColumns(c.febrile, c.masked, c.hasTemperature, column);
  // Written without spreads: the episode sweep (G-M) calls this once per data instant.
  return {
    grade,
    febrile: c.febrile,
    masked: c.masked,
    hypotensionTier: c.hypotensionTier,
    oxygenTier: c.oxygenTier,
    notAttributable: grade === 0 && !c.febrile && !c.masked && column > 0,
  };
}

/**
 * The ASTCT 2019 grade of one window.
 * @param facts - the window's facts (see CrsFacts)
 */
export function gradeCrs(facts: CrsFacts): CrsGrade {
  return gradeFromCriteria({
    febrile: isFebrile(facts),
    masked: isMasked(facts),
    hasTemperature: facts.maxTemperatureC !== undefined,
    hypotensionTier: hypotensionTier(facts),
    oxygenTier: oxygenTier(facts),
  });
}
