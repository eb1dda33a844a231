/**
 * What one configuration decides for a patient at one hour, reduced to what a replay compares: the
 * current grade (G-I: indeterminate), the episode maximum (G-M), the card `crs-patient-view` would show
 * (template and indicator) and the orders it would suggest (drug, dose, repetition). The card is the one
 * the hook shows (the recommend layer's own decision and plan, same templates), so the alert burden counts
 * what clinicians would see; its summary, evidence and notes are not rendered, as no field compares them.
 */
import type { MedicationRequest } from 'fhir/r4.js';
import { RXNORM } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import type { Indicator, Suggestion } from '../recommend/card-types.js';
import { decidePatientView, patientViewPlan, patientViewPlanKey } from '../recommend/recommend-patient-view.js';
import type { CardTemplates } from '../recommend/templates.js';

/** One configuration's outcome at one hour. */
export interface HourOutcome {
  /** S1–S3: whether the patient is monitored at this hour. */
  readonly monitored: boolean;
  /** 0–4, `indeterminate` (G-I) or `not monitored`. */
  readonly grade: string;
  /** G-M: 0–4, or `none` (not monitored, or every window indeterminate). */
  readonly episodeMax: string;
  /** The patient-view card: `template (indicator)`, or `none`. */
  readonly card: string;
  readonly indicator?: Indicator;
  /** The suggested orders, e.g. `tocilizumab 560 mg`; `none`. */
  readonly orders: string;
}

/** Suggestion uuids are not compared: one fixed (valid) uuid keeps rendering cheap. */
const fixedId = (): string => '00000000-0000-4000-8000-000000000000';

/** A suggestion's order: ingredient, dose in mg and repetition, from its draft MedicationRequest. */
function orderText(resource: MedicationRequest): string {
  const drug = resource.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM)?.display ?? resource.medicationCodeableConcept?.text ?? 'order';
  const dosage = resource.dosageInstruction?.[0];
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
  const repeat = dosage?.timing?.repeat;
  const every = repeat?.period === undefined ? '' : ` every ${repeat.period} ${repeat.periodUnit ?? 'h'}`;
  return `${drug}${dose?.value === undefined ? '' : ` ${dose.value} ${dose.unit ?? ''}`.trimEnd()}${every}`;
}

/**
 * @param suggestions - a card's suggestions
 * @returns their draft orders as compared (`tocilizumab 560 mg; …`, sorted), or `none`
 */
export function ordersOf(suggestions: readonly Suggestion[]): string {
  const orders = suggestions
    .flatMap((s) => s.actions ?? [])
    .map((a) => a.resource)
    .filter((r): r is MedicationRequest => r?.resourceType === 'MedicationRequest')
    .map(orderText)
    .sort();
  return orders.length === 0 ? 'none' : orders.join('; ');
}

/** A patient's orders per rendered plan (patientViewPlanKey), for one configuration. */
export type OrdersMemo = Map<string, string>;

/**
 * @param assessment - the assessment at the hour (null: not monitored)
 * @param patientId - the FHIR Patient id (the subject of the suggested orders)
 * @param config - the configuration
 * @param templates - its card templates
 * @param showsCards - whether `crs-patient-view` is enabled in it
 * @param memo - orders already rendered for this patient and configuration (a plan is rendered once)
 */
export function hourOutcome(
  assessment: Assessment | null,
  patientId: string,
  config: Config,
  templates: CardTemplates,
  showsCards: boolean,
  memo: OrdersMemo = new Map(),
): HourOutcome {
  if (assessment === null) return { monitored: false, grade: 'not monitored', episodeMax: 'none', card: 'none', orders: 'none' };
  const card = showsCards ? decidePatientView(assessment, config, templates) : undefined;
  let orders = 'none';
  if (card?.plan !== undefined) {
    const key = patientViewPlanKey(assessment, card.plan, config);
    const known = key === undefined ? undefined : memo.get(key);
    orders = known ?? ordersOf(patientViewPlan(assessment, card.plan, patientId, config, templates, fixedId).suggestions);
    if (key !== undefined) memo.set(key, orders);
  }
  return {
    monitored: true,
    grade: assessment.grade === undefined ? 'indeterminate' : String(assessment.grade),
    episodeMax: assessment.episodeMaxGrade === undefined ? 'none' : String(assessment.episodeMaxGrade),
    card: card === undefined ? 'none' : `${card.templateId} (${card.indicator})`,
    ...(card === undefined ? {} : { indicator: card.indicator }),
    orders,
  };
}
