/**
 * A treatment plan in words and orders: the short plan of a summary ("tocilizumab 560 mg recommended",
 * shortened to "tocilizumab recommended" when the summary is too long, C1), the order lines of a card's
 * detail (each drug named once, C3; T-B, F2 "exclude other causes", S2-T lines), and the one-click
 * suggestions (draft MedicationRequests).
 */
import type { Config } from '../config/types.js';
import type { Suggestion } from './card-types.js';
import { draftMedicationRequest, singleInfusionTiming } from './medication-request.js';
import { formatNumber, formatUtc, phrase } from './render-template.js';
import { steroidPart } from './steroid-text.js';
import type { TocilizumabDose } from './tocilizumab-dose.js';
import type { CardTemplates } from './templates.js';
import type { LimitCheck } from './tocilizumab-limits.js';
import type { TocilizumabPlan, TreatmentPlan } from './treatment-plan.js';
import { conceptName, countText } from './wording.js';

/** What a plan says and offers. */
export interface PlanText {
  /** For the summary: what to do now, in a few words. */
  readonly summary: string;
  /** The same, shorter (C1: the plan is shortened before any finding). */
  readonly summaryShort: string;
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

/** What the plan adds beyond tocilizumab and the steroid, decided from the assessment. */
export interface PlanNotes {
  /** F2: the grade ≥ 1 rests on masking by this agent: exclude other causes. */
  readonly maskedBy?: string;
  /** T-B: the index therapy is this T-cell engager and the grade is ≥ 1: hold its next dose. */
  readonly holdEngager?: string;
  /** C3: name the refractory options (grade 4). */
  readonly refractory?: boolean;
  /** T-P: the product that allows early corticosteroids at grade 2. */
  readonly earlyProduct?: string;
}

/**
 * Why T-L blocks, e.g. "3 doses in the last 24 h (max 3); last dose …, less than 8 h ago".
 * @param check - a blocked T-L check
 * @param config - the limits
 * @param t - templates
 * @param options - `selectedOrderIds` (OS2: other selected, unsigned tocilizumab drafts counted as doses
 *   now; the spacing then comes from them, and the card must not call them given) and `onHoldDoseTimes`
 *   (T-L: doses on hold are called so); `signing`: order-sign, where those orders are signed together
 */
export function limitReasons(
  check: LimitCheck,
  config: Config,
  t: CardTemplates,
  options: { readonly selectedOrderIds?: readonly string[]; readonly onHoldDoseTimes?: readonly string[]; readonly signing?: boolean } = {},
): string {
  const selectedOrderIds = options.selectedOrderIds ?? [];
  const onHoldDoseTimes = options.onHoldDoseTimes ?? [];
  const limits = config.treatment.tocilizumab;
  return check.blocks
    .map((b) => {
      if (b.limit === 'per-24h') return phrase(t, 'limit.per-24h', { doses: countText(t, 'dose', b.count), max: limits.maxDosesPer24h });
      if (b.limit === 'per-episode') return phrase(t, 'limit.per-episode', { doses: countText(t, 'dose', b.count), max: limits.maxDosesPerEpisode });
      if (selectedOrderIds.length > 0) {
        return phrase(t, options.signing === true ? 'limit.spacing-signing' : 'limit.spacing-selected', { orderIds: selectedOrderIds.join(', '), hours: limits.minHoursBetweenDoses });
      }
      const last = check.lastDoseAt === undefined ? undefined : new Date(check.lastDoseAt).toISOString();
      return phrase(t, 'limit.spacing', {
        last: last === undefined ? '' : formatUtc(last),
        onHold: last !== undefined && onHoldDoseTimes.includes(last) ? phrase(t, 'evidence.tocilizumab-on-hold') : '',
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

/** One drug's part of a plan. */
export interface PlanPart {
  /** Goes into "… recommended" in the summary. */
  readonly recommend?: string;
  /** A status said as is in the summary (held, maximum reached, weight needed, continue). */
  readonly status?: string;
  /** The part in a word or two, for a shortened summary. */
  readonly short?: string;
  readonly lines: readonly string[];
  /** T-L blocks tocilizumab: the card points to the next line (C3: each drug named once). */
  readonly blocked?: boolean;
  readonly suggestion?: Suggestion;
}

/**
 * The tocilizumab part of a plan: a dose with its suggestion, or why there is none.
 * @param plan - T-D/T-L decision
 * @param consider - T1 wording ("consider")
 * @param ctx - wording context
 */
export function tocilizumabPart(plan: TocilizumabPlan, consider: boolean, ctx: PlanContext, onHoldDoseTimes: readonly string[] = []): PlanPart {
  const t = ctx.templates;
  const toci = ctx.config.treatment.tocilizumab;
  if (plan.status === 'blocked') {
    const reasons = limitReasons(plan.check, ctx.config, t, { onHoldDoseTimes });
    const next = plan.check.nextAllowedAt;
    if (next === undefined) {
      const status = phrase(t, 'plan.tocilizumab-max');
      return { status, short: status, lines: [phrase(t, 'order.tocilizumab-max', { reasons })], blocked: true };
    }
    const time = formatUtc(new Date(next).toISOString());
    return {
      status: phrase(t, 'plan.tocilizumab-held', { time }),
      short: phrase(t, 'plan.tocilizumab-held-short'),
      lines: [phrase(t, 'order.tocilizumab-held', { reasons, time })],
      blocked: true,
    };
  }
  if (plan.status === 'no-weight') {
    return {
      status: phrase(t, 'plan.tocilizumab-no-weight'),
      short: phrase(t, 'plan.tocilizumab-no-weight'),
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
        short: phrase(t, 'plan.tocilizumab-short'),
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
        short: phrase(t, 'plan.tocilizumab-short'),
        lines: [phrase(t, 'order.tocilizumab', values)],
        suggestion: tocilizumabSuggestion(doseMg, false, ctx),
      };
}

/** The lines after the drugs: next line and refractory options once (C3), F2, T-B, S2-T. */
function closingLines(plan: TreatmentPlan, parts: readonly PlanPart[], notes: PlanNotes, ctx: PlanContext): string[] {
  const t = ctx.templates;
  const lines: string[] = [];
  const blocked = parts.some((p) => p.blocked === true);
  if (blocked && plan.steroid === undefined) lines.push(phrase(t, 'order.next-line-steroids'));
  if (blocked || notes.refractory === true) lines.push(phrase(t, 'order.refractory'));
  if (notes.maskedBy !== undefined) lines.push(phrase(t, 'order.exclude-causes', { agent: notes.maskedBy }));
  if (notes.holdEngager !== undefined) lines.push(phrase(t, 'order.hold-engager', { product: notes.holdEngager }));
  if (plan.conditionOnly) lines.push(phrase(t, 'order.condition-only', { days: ctx.config.grading.monitoringWindowDays }));
  return lines;
}

function summaryOf(parts: readonly PlanPart[], t: CardTemplates, short: boolean): string {
  const recommended = parts.flatMap((p) => (p.recommend === undefined ? [] : [short ? (p.short ?? p.recommend) : p.recommend]));
  const statuses = parts.flatMap((p) => (p.recommend !== undefined || p.status === undefined ? [] : [short ? (p.short ?? p.status) : p.status]));
  return [...(recommended.length > 0 ? [phrase(t, 'plan.recommend', { items: recommended.join(' + ') })] : []), ...statuses].join('; ');
}

/**
 * Words and suggestions for a whole plan.
 * @param plan - from planTreatment
 * @param fallback - the summary plan when nothing is ordered (`plan.supportive`, `plan.none`)
 * @param ctx - wording context
 * @param notes - F2, T-B, C3 and T-P context
 * @param onHoldDoseTimes - T-L: tocilizumab doses on hold (worded so)
 */
export function renderPlan(
  plan: TreatmentPlan,
  fallback: 'plan.supportive' | 'plan.none',
  ctx: PlanContext,
  notes: PlanNotes = {},
  onHoldDoseTimes: readonly string[] = [],
): PlanText {
  const t = ctx.templates;
  const parts: PlanPart[] = [];
  if (plan.tocilizumab !== undefined) parts.push(tocilizumabPart(plan.tocilizumab, plan.persistentFever, ctx, onHoldDoseTimes));
  if (plan.steroid !== undefined) {
    const reason = plan.refractory
      ? { refractoryDoses: plan.limits.dosesInEpisode }
      : notes.earlyProduct === undefined ? {} : { earlyProduct: notes.earlyProduct };
    parts.push(steroidPart(plan.steroid, reason, ctx));
  }
  const none = plan.conditionOnly ? phrase(t, 'plan.condition-only') : phrase(t, fallback);
  const summary = summaryOf(parts, t, false);
  return {
    summary: summary === '' ? none : summary,
    summaryShort: summary === '' ? none : summaryOf(parts, t, true),
    orders: [...parts.flatMap((p) => p.lines), ...closingLines(plan, parts, notes, ctx)].join('\n'),
    suggestions: parts.flatMap((p) => (p.suggestion === undefined ? [] : [p.suggestion])),
  };
}
