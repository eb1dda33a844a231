/**
 * What the grade table (crs-rules.md section 4) recommends for an assessment, as decisions without words:
 * tocilizumab with T-D and T-L applied (T1 at grade 1), the corticosteroid of the grade (T2 at grade 2)
 * with T-S applied. Every dose, interval and threshold comes from `config.treatment`.
 */
import type { Config, SteroidRegimen } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import { tocilizumabDose, type TocilizumabDose } from './tocilizumab-dose.js';
import { checkTocilizumabLimits, type LimitCheck } from './tocilizumab-limits.js';

const HOUR_MS = 3_600_000;

export type TocilizumabPlan =
  | { readonly status: 'give'; readonly dose: TocilizumabDose; readonly weightKg: number; readonly weightAt: string }
  /** T-L blocks: no suggestion; the card names the limit and the next allowed time. */
  | { readonly status: 'blocked'; readonly check: LimitCheck }
  /** T-D: no usable weight, no computed dose, no suggestion. */
  | { readonly status: 'no-weight' };

export type SteroidPlan =
  | { readonly status: 'give'; readonly regimen: SteroidRegimen }
  /** T-S: the same steroid was given within `steroidRepeatWindowHours`. */
  | { readonly status: 'active'; readonly regimen: SteroidRegimen; readonly lastDoseAt: string };

export interface TreatmentPlan {
  /** Absent when the grade does not call for tocilizumab (grade 0, grade 1 without T1). */
  readonly tocilizumab?: TocilizumabPlan;
  /** T1: tocilizumab is offered as "consider" at grade 1. */
  readonly persistentFever: boolean;
  readonly steroid?: SteroidPlan;
  /** T2: grade 2 after `refractoryAfterTocilizumabDoses` tocilizumab doses in the episode. */
  readonly refractory: boolean;
  /** T-L state now, whatever the grade (episode count for the evidence). */
  readonly limits: LimitCheck;
}

/**
 * T-L now for an assessment: given doses (any time up to the evaluation) against the episode start.
 * @param a - the assessment
 * @param config - `treatment.tocilizumab`
 * @param extraDoses - doses to count as already given (order-select: other selected tocilizumab drafts)
 */
export function limitsNow(a: Assessment, config: Config, extraDoses: readonly number[] = []): LimitCheck {
  const times = [...a.tocilizumab.doseTimes.map((d) => Date.parse(d)), ...extraDoses];
  return checkTocilizumabLimits(
    times.filter((t) => !Number.isNaN(t)),
    Date.parse(a.monitoring.episodeStart),
    Date.parse(a.evaluatedAt),
    config.treatment.tocilizumab,
  );
}

/**
 * T1: grade 1, febrile now, and the first fever of the episode more than `persistentFeverHours` ago
 * (continuity not required).
 * @param a - the assessment
 * @param config - `treatment.persistentFeverHours`
 */
export function persistentFeverApplies(a: Assessment, config: Config): boolean {
  if (a.grade !== 1 || !a.fever.present || a.fever.firstFeverAt === undefined) return false;
  const elapsed = Date.parse(a.evaluatedAt) - Date.parse(a.fever.firstFeverAt);
  return elapsed > config.treatment.persistentFeverHours * HOUR_MS;
}

/**
 * T-D and T-L for a dose now.
 * @param a - the assessment (weight in kg)
 * @param config - treatment and rounding
 * @param limits - T-L state now
 */
export function planTocilizumab(a: Assessment, config: Config, limits: LimitCheck): TocilizumabPlan {
  if (!limits.allowed) return { status: 'blocked', check: limits };
  if (a.weight === undefined) return { status: 'no-weight' };
  const dose = tocilizumabDose(a.weight.kg, config.treatment.tocilizumab, config.grading.doseRoundingMg);
  return { status: 'give', dose, weightKg: a.weight.kg, weightAt: a.weight.at };
}

/**
 * T-S: the regimen, unless the same steroid was given in (t − window, t].
 * @param a - the assessment
 * @param regimen - the grade's regimen
 * @param config - `treatment.steroidRepeatWindowHours`
 */
export function planSteroid(a: Assessment, regimen: SteroidRegimen, config: Config): SteroidPlan {
  const last = a.corticosteroidLastDose[regimen.concept];
  const at = Date.parse(a.evaluatedAt);
  if (last !== undefined) {
    const given = Date.parse(last);
    if (given <= at && given > at - config.treatment.steroidRepeatWindowHours * HOUR_MS) {
      return { status: 'active', regimen, lastDoseAt: last };
    }
  }
  return { status: 'give', regimen };
}

function steroidFor(a: Assessment, config: Config, refractory: boolean): SteroidRegimen | undefined {
  const steroids = config.treatment.steroids;
  if (a.grade === 4) return steroids.grade4;
  if (a.grade === 3) return steroids.grade3;
  return refractory ? steroids.grade2Refractory : undefined;
}

/**
 * The grade table for an assessment (grades 0–4; an indeterminate grade gets no plan).
 * @param a - the assessment
 * @param config - treatment configuration
 */
export function planTreatment(a: Assessment, config: Config): TreatmentPlan {
  const limits = limitsNow(a, config);
  const persistentFever = persistentFeverApplies(a, config);
  const refractory = a.grade === 2 && limits.dosesInEpisode >= config.treatment.refractoryAfterTocilizumabDoses;
  const wantsTocilizumab = (a.grade !== null && a.grade >= 2) || persistentFever;
  const regimen = steroidFor(a, config, refractory);
  return {
    ...(wantsTocilizumab ? { tocilizumab: planTocilizumab(a, config, limits) } : {}),
    persistentFever,
    ...(regimen === undefined ? {} : { steroid: planSteroid(a, regimen, config) }),
    refractory,
    limits,
  };
}
