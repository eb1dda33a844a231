/**
 * The corticosteroid part of a plan in words and orders (T2, grade 3, grade 4, T-P): the regimen with its
 * one-click draft order and how it ends (T-C), an escalation that replaces a lower current regimen (T-E),
 * "continue … — no second corticosteroid" when the exposure already covers the grade (T-S), or a check of
 * a corticosteroid whose dose was not charted.
 */
import type { SteroidRegimen } from '../config/types.js';
import type { Suggestion } from './card-types.js';
import { draftMedicationRequest, regimenTiming } from './medication-request.js';
import type { PlanContext, PlanPart } from './plan-text.js';
import { capitalise, formatUtc, phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';
import type { SteroidPlan } from './treatment-plan.js';
import { conceptName, countText, doseMgText, steroidDoseText } from './wording.js';

/**
 * "every 6 h", "once daily" or "once".
 * @param regimen - a steroid regimen
 * @param t - templates
 */
export function frequencyText(regimen: SteroidRegimen, t: CardTemplates): string {
  if (regimen.doses === 1) return phrase(t, 'frequency.once');
  return regimen.everyHours === 24 ? phrase(t, 'frequency.daily') : phrase(t, 'frequency.every-hours', { hours: regimen.everyHours });
}

/**
 * A regimen in a few words: "methylprednisolone 1000 mg IV once daily".
 * @param regimen - a steroid regimen
 * @param ctx - wording context
 */
export function regimenText(regimen: SteroidRegimen, ctx: PlanContext): string {
  return phrase(ctx.templates, 'plan.steroid', steroidValues(regimen, ctx));
}

function steroidValues(regimen: SteroidRegimen, ctx: PlanContext): { drug: string; doseMg: number; frequency: string } {
  return { drug: conceptName(regimen.concept, ctx.config), doseMg: regimen.doseMg, frequency: frequencyText(regimen, ctx.templates) };
}

function steroidSuggestion(regimen: SteroidRegimen, escalation: boolean, ctx: PlanContext): Suggestion {
  const t = ctx.templates;
  const values = steroidValues(regimen, ctx);
  const course = regimen.durationDays !== undefined;
  const days = regimen.durationDays ?? 0;
  // T-C: the order says how it ends; the methylprednisolone order carries its 3-day bound in its timing.
  const sig = course ? phrase(t, 'sig.steroid-course', { ...values, days }) : phrase(t, 'sig.steroid', values);
  const resource = draftMedicationRequest(ctx.patientId, {
    rxnorm: regimen.rxnorm,
    display: values.drug,
    doseMg: regimen.doseMg,
    sig,
    timing: regimenTiming(regimen),
  });
  const label = escalation
    ? phrase(t, 'suggestion.steroid-escalate', values)
    : course
      ? phrase(t, 'suggestion.steroid-course', { ...values, days })
      : phrase(t, 'suggestion.steroid', values);
  return {
    label,
    uuid: ctx.newId(),
    isRecommended: true,
    actions: [{ type: 'create', description: phrase(t, 'action.create', { sig }), resource }],
  };
}

/** T-C: how a corticosteroid course ends (review, taper, antifungal prophylaxis). */
function courseLines(regimen: SteroidRegimen, ctx: PlanContext): string[] {
  const t = ctx.templates;
  const lines = [phrase(t, 'course.review')];
  if (regimen.durationDays !== undefined) {
    lines.push(phrase(t, 'course.taper-after-days', { drug: conceptName(regimen.concept, ctx.config), days: regimen.durationDays }));
  }
  return lines;
}

/** Why the grade calls for this regimen: T2 (refractory) or T-P (early, per product). */
export interface SteroidReason {
  /** T2: the tocilizumab doses that make grade 2 refractory. */
  readonly refractoryDoses?: number;
  /** T-P: the product whose label allows earlier corticosteroids. */
  readonly earlyProduct?: string;
}

function orderLine(r: SteroidRegimen, escalateFrom: string | undefined, reason: SteroidReason, ctx: PlanContext): string {
  const t = ctx.templates;
  const values = steroidValues(r, ctx);
  // An order line opens with the drug: capitalised like "**Tocilizumab 560 mg IV**" beside it.
  const line = { ...values, drug: capitalise(values.drug) };
  if (escalateFrom !== undefined) return phrase(t, 'order.steroid-escalate', { ...values, current: escalateFrom });
  if (reason.refractoryDoses !== undefined) return phrase(t, 'order.steroid-refractory', { ...line, doses: countText(t, 'dose', reason.refractoryDoses) });
  if (reason.earlyProduct !== undefined) return phrase(t, 'order.steroid-early', { ...line, product: reason.earlyProduct });
  if (r.durationDays !== undefined) return phrase(t, 'order.steroid-course', { ...line, days: r.durationDays });
  return phrase(t, 'order.steroid', line);
}

/**
 * The steroid part of a plan.
 * @param plan - T-S/T-E decision
 * @param reason - T2 or T-P context for the order line
 * @param ctx - wording context
 */
export function steroidPart(plan: SteroidPlan, reason: SteroidReason, ctx: PlanContext): PlanPart {
  const t = ctx.templates;
  const r = plan.regimen;
  if (plan.status === 'continue') {
    const drug = conceptName(plan.current.concept, ctx.config);
    return {
      status: phrase(t, 'plan.steroid-continue', { drug }),
      short: phrase(t, 'plan.steroid-continue-short', { drug }),
      lines: [phrase(t, 'order.steroid-continue', { drug, dose: doseMgText(plan.current, t), time: formatUtc(plan.current.time) })],
    };
  }
  if (plan.status === 'unknown-dose') {
    const drug = conceptName(plan.current.concept, ctx.config);
    return {
      status: phrase(t, 'plan.steroid-unknown-dose', { drug }),
      short: phrase(t, 'plan.steroid-unknown-dose-short'),
      lines: [phrase(t, 'order.steroid-unknown-dose', { drug: capitalise(drug), time: formatUtc(plan.current.time), regimen: regimenText(r, ctx) })],
    };
  }
  const values = steroidValues(r, ctx);
  const escalateFrom = plan.escalateFrom === undefined ? undefined : steroidDoseText(plan.escalateFrom, t, ctx.config);
  return {
    recommend: phrase(t, escalateFrom === undefined ? 'plan.steroid' : 'plan.steroid-escalate', values),
    short: values.drug,
    lines: [orderLine(r, escalateFrom, reason, ctx), ...courseLines(r, ctx)],
    suggestion: steroidSuggestion(r, escalateFrom !== undefined, ctx),
  };
}
