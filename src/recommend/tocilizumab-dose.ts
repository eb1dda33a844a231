/**
 * T-D (crs-rules.md section 4): tocilizumab 8 mg/kg for weight ≥ 30 kg, 12 mg/kg below, never more than
 * 800 mg, rounded DOWN to a multiple of `doseRoundingMg`. All numbers come from configuration.
 */
import type { TreatmentConfig } from '../config/types.js';

/** Guards floor() against binary fractions: 69.853 × 8 must not become 558.79999 → 558 for the wrong reason. */
const EPSILON = 1e-9;

export interface TocilizumabDose {
  /** The dose to give, mg (capped, rounded down). */
  readonly doseMg: number;
  /** The mg/kg that applied (T-D weight band). */
  readonly mgPerKg: number;
  /** True when the weight-based dose exceeded the per-dose maximum. */
  readonly capped: boolean;
  /** min(weight × mg/kg, maximum) before rounding, mg: the OS1 tolerance is measured from this. */
  readonly exactMg: number;
}

/** Decimals of a rounding step (0.1 → 1, 0.25 → 2, 25 → 0, 1e-7 → 7). */
function decimalsOf(step: number): number {
  const [mantissa = '', exponent = '0'] = String(step).split('e');
  const fraction = mantissa.split('.')[1]?.length ?? 0;
  return Math.max(0, fraction - Number(exponent));
}

/**
 * The T-D dose for a body weight.
 * @param weightKg - the latest usable body weight, kg
 * @param dosing - `config.treatment.tocilizumab`
 * @param roundingMg - `config.grading.doseRoundingMg` (round down to a multiple of this)
 */
export function tocilizumabDose(
  weightKg: number,
  dosing: TreatmentConfig['tocilizumab'],
  roundingMg: number,
): TocilizumabDose {
  const mgPerKg = weightKg < dosing.lowWeightBelowKg ? dosing.mgPerKgLowWeight : dosing.mgPerKg;
  const weightBased = weightKg * mgPerKg;
  const capped = weightBased > dosing.maxDoseMg;
  const step = roundingMg > 0 ? roundingMg : 1;
  const exactMg = Math.min(weightBased, dosing.maxDoseMg);
  // A decimal step times an integer is a binary fraction (5788 × 0.1 = 578.8000000000001): cut to the step's decimals.
  const doseMg = Number((Math.floor(exactMg / step + EPSILON) * step).toFixed(decimalsOf(step)));
  return { doseMg, mgPerKg, capped, exactMg };
}
