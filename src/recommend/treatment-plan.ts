/**
 * What the grade table (crs-rules.md section 4) recommends for an assessment, as decisions without words:
 * tocilizumab with T-D and T-L applied (T1 at grade 1), the corticosteroid of the grade (T2, T-P at grade
 * 2) with T-S and T-E applied, and S2-T (no section 4 suggestions for patients monitored by a CRS
 * diagnosis alone, unless the site turns them on). Every dose, interval and threshold comes from
 * `config.treatment`.
 */
import type { Config, SteroidRegimen } from '../config/types.js';
import type { Assessment, CorticosteroidDose } from '../grading/assessment.js';
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
  /** Order the regimen; `escalateFrom` (T-E) when a lower corticosteroid exposure is already charted. */
  | { readonly status: 'give'; readonly regimen: SteroidRegimen; readonly escalateFrom?: CorticosteroidDose }
  /** T-S: the exposure is at or above the regimen: continue the current corticosteroid, no second one. */
  | { readonly status: 'continue'; readonly regimen: SteroidRegimen; readonly current: CorticosteroidDose }
  /** T-S: a corticosteroid of unknown dose (or equivalence) was given: no second one until it is checked. */
  | { readonly status: 'unknown-dose'; readonly regimen: SteroidRegimen; readonly current: CorticosteroidDose };

export interface TreatmentPlan {
  /** S2-T: monitored by a CRS diagnosis alone, and the site keeps section 4 suggestions off. */
  readonly conditionOnly: boolean;
  /** Absent when the grade does not call for tocilizumab (grade 0, grade 1 without T1) or S2-T applies. */
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
 * T-L now for an assessment: counted doses (any time up to the evaluation) against the episode start.
 * @param a - the assessment
 * @param config - `treatment.tocilizumab`
 * @param extraDoses - doses to count as already given (order-select: other selected tocilizumab drafts)
 */
export function limitsNow(a: Assessment, config: Config, extraDoses: readonly number[] = []): LimitCheck {
  const times = [...(a.tocilizumab.doseTimes ?? []).map((d) => Date.parse(d)), ...extraDoses];
  return checkTocilizumabLimits(
    times.filter((t) => !Number.isNaN(t)),
    Date.parse(a.monitoring.episodeStart),
    Date.parse(a.evaluatedAt),
    config.treatment.tocilizumab,
  );
}

/**
 * S2-T: section 4 suggestions are withheld for a patient monitored by a CRS diagnosis alone.
 * @param a - the assessment
 * @param config - `treatment.conditionOnlySuggestions`
 */
export function isConditionOnly(a: Assessment, config: Config): boolean {
  return a.monitoring.basis === 'condition' && !config.treatment.conditionOnlySuggestions;
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
 * T-S: the daily dexamethasone equivalent of a regimen, mg (T2 20, grade 3 40, grade 4 187.5, T-P 10).
 * @param regimen - a steroid regimen
 * @param config - `treatment.steroidEquivalentMg` (a regimen's concept always has one: config check)
 */
export function regimenDexamethasoneMg(regimen: SteroidRegimen, config: Config): number {
  const perDay = 24 / regimen.everyHours;
  const doses = regimen.doses === undefined ? perDay : Math.min(regimen.doses, perDay);
  const equivalent = config.treatment.steroidEquivalentMg[regimen.concept] ?? Number.NaN;
  return (regimen.doseMg * doses * 0.75) / equivalent;
}

/**
 * T-S / T-E: the regimen, continued, escalated to, or held for an unknown dose, by the systemic
 * corticosteroid exposure of the last `steroidRepeatWindowHours` in dexamethasone equivalents.
 * @param a - the assessment (`corticosteroids`)
 * @param regimen - the grade's regimen
 * @param config - equivalents
 */
export function planSteroid(a: Assessment, regimen: SteroidRegimen, config: Config): SteroidPlan {
  const exposure = a.corticosteroids;
  const current = exposure?.doses[0];
  if (exposure === undefined || current === undefined) return { status: 'give', regimen };
  // An unknown dose could be a pulse: never one-click a second corticosteroid on top of it (the safer reading).
  if (exposure.unknownDose === true) {
    const unknown = exposure.doses.find((d) => d.dexamethasoneMg === undefined) ?? current;
    return { status: 'unknown-dose', regimen, current: unknown };
  }
  // Rounded like the exposure, so 1000 mg methylprednisolone is exactly the 187.5 mg of the grade-4 regimen.
  const needed = Math.round(regimenDexamethasoneMg(regimen, config) * 1000) / 1000;
  if (exposure.dexamethasoneMg >= needed) return { status: 'continue', regimen, current };
  return { status: 'give', regimen, escalateFrom: current };
}

/**
 * The regimen the grade calls for (grade 4, grade 3, T2 refractory grade 2, T-P grade 2), if any.
 * @param a - the assessment
 * @param config - treatment configuration
 * @param refractory - T2 applies
 */
export function regimenFor(a: Assessment, config: Config, refractory: boolean): SteroidRegimen | undefined {
  const steroids = config.treatment.steroids;
  if (a.grade === 4) return steroids.grade4;
  if (a.grade === 3) return steroids.grade3;
  if (a.grade !== 2) return undefined;
  if (refractory) return steroids.grade2Refractory;
  const product = a.monitoring.indexTherapy?.concept;
  return product !== undefined && config.treatment.earlySteroidProducts.includes(product) ? steroids.grade2Early : undefined;
}

/**
 * T2: grade 2 and at least `refractoryAfterTocilizumabDoses` tocilizumab doses in the episode.
 * @param a - the assessment
 * @param config - treatment configuration
 * @param limits - T-L state now (episode count)
 */
export function isRefractory(a: Assessment, config: Config, limits: LimitCheck): boolean {
  return a.grade === 2 && limits.dosesInEpisode >= config.treatment.refractoryAfterTocilizumabDoses;
}

/**
 * The grade table for an assessment (grades 0–4; an indeterminate grade gets no plan).
 * @param a - the assessment
 * @param config - treatment configuration
 */
export function planTreatment(a: Assessment, config: Config): TreatmentPlan {
  const limits = limitsNow(a, config);
  const conditionOnly = isConditionOnly(a, config);
  const persistentFever = !conditionOnly && persistentFeverApplies(a, config);
  const refractory = isRefractory(a, config, limits);
  const wantsTocilizumab = !conditionOnly && ((a.grade !== undefined && a.grade >= 2) || persistentFever);
  const regimen = conditionOnly ? undefined : regimenFor(a, config, refractory);
  return {
    conditionOnly,
    ...(wantsTocilizumab ? { tocilizumab: planTocilizumab(a, config, limits) } : {}),
    persistentFever,
    ...(regimen === undefined ? {} : { steroid: planSteroid(a, regimen, config) }),
    refractory,
    limits,
  };
}
