/**
 * A treatment plan in words and orders: the short plan of a summary ("tocilizumab 560 mg recommended"),
 * the order lines of a card's detail, and the one-click suggestions (draft MedicationRequests).
 */
import type { Config, SteroidRegimen } from '../config/types.js';
import type { Suggestion } from './card-types.js';
import { conceptName } from './describe-assessment.js';
import { draftMedicationRequest, regimenTiming, singleInfusionTiming } from './medication-request.js';
import { capitalise, formatNumber, formatUtc, phrase } from './render-template.js';
import type { TocilizumabDose } from './tocilizumab-dose.js';
import type { CardTemplates } from './templates.js';
import type { LimitCheck } from './tocilizumab-limits.js';
import type { SteroidPlan, TocilizumabPlan, TreatmentPlan } from './treatment-plan.js';

/** What a plan says and offers. */
export interface PlanText {
  /** For the summary: what to do now, in a few words. */
  readonly summary: string;
  /** Markdown list lines for the detail ('' when none). */
  readonly orders: string;
  readonly suggestions: readonly Suggestion[];
}

/** Everything the plan wording needs besides the plan. */
export interface PlanContext {
  readonly patientId: string;
  readonly config: Config;
  readonly templates: CardTemplates;
  readonly newId: () => string;
  /** First fever of the episode (T1 wording). */
  readonly firstFeverAt?: string;
}

/**
 * "every 6 h" or "once daily".
 * @param regimen - a steroid regimen
 * @param t - templates
 */
export function frequencyText(regimen: SteroidRegimen, t: CardTemplates): string {
  return regimen.everyHours === 24 ? phrase(t, 'frequency.daily') : phrase(t, 'frequency.every-hours', { hours: regimen.everyHours });
}

/**
 * Why T-L blocks, e.g. "3 doses in the last 24 h (max 3); last dose …, less than 8 h ago".
 * @param check - a blocked T-L check
 * @param config - the limits
 * @param t - templates
 * @param selectedOrderIds - OS2: other selected (unsigned) tocilizumab drafts counted as doses now; the
 *   spacing then comes from them, and the card must not call them given
 */
export function limitReasons(check: LimitCheck, config: Config, t: CardTemplates, selectedOrderIds: readonly string[] = []): string {
  const limits = config.treatment.tocilizumab;
  return check.blocks
    .map((b) => {
      if (b.limit === 'per-24h') return phrase(t, 'limit.per-24h', { count: b.count, max: limits.maxDosesPer24h });
      if (b.limit === 'per-episode') return phrase(t, 'limit.per-episode', { count: b.count, max: limits.maxDosesPerEpisode });
      if (selectedOrderIds.length > 0) {
        return phrase(t, 'limit.spacing-selected', { orderIds: selectedOrderIds.join(', '), hours: limits.minHoursBetweenDoses });
      }
      return phrase(t, 'limit.spacing', {
        last: check.lastDoseAt === undefined ? '' : formatUtc(new Date(check.lastDoseAt).toISOString()),
        hours: limits.minHoursBetweenDoses,
      });
    })
    .join('; ');
}

/**
 * T-D basis in words: "8 mg/kg × 70 kg, weighed …" or "maximum dose 800 mg; 120 kg, weighed …".
 * @param dose - the T-D dose
 * @param weight - the weight it was computed from
 * @param ctx - wording context
 */
export function doseBasis(dose: TocilizumabDose, weight: { readonly kg: number; readonly at: string }, ctx: PlanContext): string {
  const t = ctx.templates;
  const values = { weightKg: formatNumber(weight.kg), weightAt: formatUtc(weight.at) };
  return dose.capped
    ? phrase(t, 'dose.basis-capped', { ...values, maxDoseMg: ctx.config.treatment.tocilizumab.maxDoseMg })
    : phrase(t, 'dose.basis', { ...values, mgPerKg: dose.mgPerKg });
}

/**
 * The order instruction of a tocilizumab dose ("tocilizumab 560 mg IV over 60 min, single dose").
 * @param doseMg - the dose
 * @param ctx - wording context (infusion time)
 */
export function tocilizumabSig(doseMg: number, ctx: PlanContext): string {
  return phrase(ctx.templates, 'sig.tocilizumab', { doseMg, infusionMinutes: ctx.config.treatment.tocilizumab.infusionMinutes });
}

function tocilizumabSuggestion(doseMg: number, consider: boolean, ctx: PlanContext): Suggestion {
  const t = ctx.templates;
  const infusionMinutes = ctx.config.treatment.tocilizumab.infusionMinutes;
  const sig = tocilizumabSig(doseMg, ctx);
  const resource = draftMedicationRequest(ctx.patientId, {
    rxnorm: ctx.config.treatment.tocilizumab.rxnorm,
    display: conceptName(ctx.config.treatment.tocilizumab.concept, ctx.config),
    doseMg,
    sig,
    timing: singleInfusionTiming(infusionMinutes),
  });
  return {
    label: phrase(t, consider ? 'suggestion.consider-tocilizumab' : 'suggestion.tocilizumab', { doseMg, infusionMinutes }),
    uuid: ctx.newId(),
    ...(consider ? {} : { isRecommended: true }),
    actions: [{ type: 'create', description: phrase(t, 'action.create', { sig }), resource }],
  };
}

function steroidSuggestion(regimen: SteroidRegimen, ctx: PlanContext): Suggestion {
  const t = ctx.templates;
  const values = {
    drug: conceptName(regimen.concept, ctx.config),
    doseMg: regimen.doseMg,
    frequency: frequencyText(regimen, t),
    ...(regimen.durationDays === undefined ? {} : { days: regimen.durationDays }),
  };
  const course = regimen.durationDays !== undefined;
  const sig = phrase(t, course ? 'sig.steroid-course' : 'sig.steroid', values);
  const resource = draftMedicationRequest(ctx.patientId, {
    rxnorm: regimen.rxnorm,
    display: values.drug,
    doseMg: regimen.doseMg,
    sig,
    timing: regimenTiming(regimen),
  });
  return {
    label: phrase(t, course ? 'suggestion.steroid-course' : 'suggestion.steroid', values),
    uuid: ctx.newId(),
    isRecommended: true,
    actions: [{ type: 'create', description: phrase(t, 'action.create', { sig }), resource }],
  };
}

interface Part {
  /** Goes into "… recommended" in the summary. */
  readonly recommend?: string;
  /** A status said as is in the summary (held, maximum reached, weight needed, already on). */
  readonly status?: string;
  readonly lines: readonly string[];
  /** Lines that go after every order line (the next-line pointer when tocilizumab is held). */
  readonly footer?: readonly string[];
  readonly suggestion?: Suggestion;
}

/**
 * The tocilizumab part of a plan: a dose with its suggestion, or why there is none.
 * @param plan - T-D/T-L decision
 * @param consider - T1 wording ("consider")
 * @param ctx - wording context
 */
export function tocilizumabPart(plan: TocilizumabPlan, consider: boolean, ctx: PlanContext): Part {
  const t = ctx.templates;
  const toci = ctx.config.treatment.tocilizumab;
  if (plan.status === 'blocked') {
    const reasons = limitReasons(plan.check, ctx.config, t);
    const next = plan.check.nextAllowedAt;
    const nextLine = phrase(t, 'order.next-line');
    if (next === undefined) {
      return { status: phrase(t, 'plan.tocilizumab-max'), lines: [phrase(t, 'order.tocilizumab-max', { reasons })], footer: [nextLine] };
    }
    const time = formatUtc(new Date(next).toISOString());
    return {
      status: phrase(t, 'plan.tocilizumab-held', { time }),
      lines: [phrase(t, 'order.tocilizumab-held', { reasons, time })],
      footer: [nextLine],
    };
  }
  if (plan.status === 'no-weight') {
    return {
      status: phrase(t, 'plan.tocilizumab-no-weight'),
      lines: [
        phrase(t, 'order.tocilizumab-no-weight', {
          weightMaxAgeDays: ctx.config.grading.weightMaxAgeDays,
          mgPerKg: toci.mgPerKg,
          mgPerKgLowWeight: toci.mgPerKgLowWeight,
          lowWeightBelowKg: toci.lowWeightBelowKg,
          maxDoseMg: toci.maxDoseMg,
        }),
      ],
    };
  }
  const doseMg = plan.dose.doseMg;
  const values = { doseMg, infusionMinutes: toci.infusionMinutes, basis: doseBasis(plan.dose, { kg: plan.weightKg, at: plan.weightAt }, ctx) };
  const hours = ctx.config.treatment.persistentFeverHours;
  return consider
    ? {
        status: phrase(t, 'plan.consider-tocilizumab', { doseMg, hours }),
        lines: [
          phrase(t, 'order.consider-tocilizumab', {
            ...values,
            hours,
            firstFever: ctx.firstFeverAt === undefined ? '' : formatUtc(ctx.firstFeverAt),
          }),
        ],
        suggestion: tocilizumabSuggestion(doseMg, true, ctx),
      }
    : {
        recommend: phrase(t, 'plan.tocilizumab', { doseMg }),
        lines: [phrase(t, 'order.tocilizumab', values)],
        suggestion: tocilizumabSuggestion(doseMg, false, ctx),
      };
}

/**
 * The steroid part of a plan: the regimen with its suggestion, or T-S "already receiving".
 * @param plan - T-S decision
 * @param refractoryDoses - T2: the tocilizumab doses that make grade 2 refractory (undefined otherwise)
 * @param ctx - wording context
 */
export function steroidPart(plan: SteroidPlan, refractoryDoses: number | undefined, ctx: PlanContext): Part {
  const t = ctx.templates;
  const r = plan.regimen;
  const drug = conceptName(r.concept, ctx.config);
  if (plan.status === 'active') {
    return {
      status: phrase(t, 'plan.steroid-active', { drug }),
      lines: [phrase(t, 'order.steroid-active', { drug, time: formatUtc(plan.lastDoseAt) })],
    };
  }
  const values = { drug, doseMg: r.doseMg, frequency: frequencyText(r, t) };
  // An order line opens with the drug: capitalised like "**Tocilizumab 560 mg IV**" beside it.
  const lineValues = { ...values, drug: capitalise(drug) };
  const line =
    refractoryDoses !== undefined
      ? phrase(t, 'order.steroid-refractory', { ...lineValues, count: refractoryDoses })
      : r.durationDays !== undefined
        ? phrase(t, 'order.steroid-course', { ...lineValues, days: r.durationDays })
        : phrase(t, 'order.steroid', lineValues);
  return { recommend: phrase(t, 'plan.steroid', values), lines: [line], suggestion: steroidSuggestion(r, ctx) };
}

/**
 * Words and suggestions for a whole plan.
 * @param plan - from planTreatment
 * @param fallback - the summary plan when nothing is ordered (`plan.supportive`, `plan.none`)
 * @param ctx - wording context
 */
export function renderPlan(plan: TreatmentPlan, fallback: 'plan.supportive' | 'plan.none', ctx: PlanContext): PlanText {
  const parts: Part[] = [];
  if (plan.tocilizumab !== undefined) parts.push(tocilizumabPart(plan.tocilizumab, plan.persistentFever, ctx));
  if (plan.steroid !== undefined) {
    parts.push(steroidPart(plan.steroid, plan.refractory ? plan.limits.dosesInEpisode : undefined, ctx));
  }
  const recommended = parts.flatMap((p) => (p.recommend === undefined ? [] : [p.recommend]));
  const summaryItems = [
    ...(recommended.length > 0 ? [phrase(ctx.templates, 'plan.recommend', { items: recommended.join(' + ') })] : []),
    ...parts.flatMap((p) => (p.status === undefined ? [] : [p.status])),
  ];
  return {
    summary: summaryItems.length > 0 ? summaryItems.join('; ') : phrase(ctx.templates, fallback),
    orders: [...parts.flatMap((p) => p.lines), ...parts.flatMap((p) => p.footer ?? [])].join('\n'),
    suggestions: parts.flatMap((p) => (p.suggestion === undefined ? [] : [p.suggestion])),
  };
}
