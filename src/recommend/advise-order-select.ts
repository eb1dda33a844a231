/**
 * Order-select advice on the draft orders a physician has selected (crs-rules.md section 5).
 *
 * OS1 When a selected tocilizumab dose is above the per-dose maximum, or above the T-D dose by more than
 *     `doseTolerancePercent` Then warning + an `update` suggestion with the T-D dose (without a weight only
 *     the maximum is checked, and no corrected dose is offered).
 * OS2 When tocilizumab now would break T-L (the selected draft is the next dose) Then critical.
 * OS3 When tocilizumab or a corticosteroid is selected at grade 0, 1 or indeterminate (for tocilizumab: and
 *     T1 does not apply) Then info with the grade (indeterminate: the data gap, confirm the indication), its
 *     evidence and, when the index therapy is CAR-T, the CAR-T efficacy reminder.
 * OS4 When a vasopressor is selected for a febrile (or fever-masked) patient Then info: grade ≥ 3 applies,
 *     with the bundle of grade max(3, current grade), T-S/T-E applied to its corticosteroid.
 * T-S When a systemic corticosteroid is selected at grade ≥ 2 while the corticosteroid exposure of the
 *     T-S window already covers what the grade calls for (a steroid on top of pulse methylprednisolone),
 *     or a dose of unknown strength was given Then warning: continue the current one, no second one.
 * OS5 When the patient is not monitored or the drug is unrelated (a topical steroid, F2) Then nothing.
 * Order-select checks the selected drafts; order-sign runs the same checks on every order being signed,
 * and its wording names the other orders counted now (OS2) as signed together, not as selected.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import { buildCard } from './build-card.js';
import type { Card } from './card-types.js';
import { gapText, notesBlock } from './data-notes.js';
import type { DraftOrder } from './draft-order.js';
import { evidenceBlock } from './evidence-block.js';
import { orderWords } from './order-words.js';
import { withCorrectedDose } from './medication-request.js';
import { doseBasis, limitReasons, renderPlan, tocilizumabSig, type PlanContext } from './plan-text.js';
import { formatNumber, formatUtc, phrase } from './render-template.js';
import { steroidActiveCard } from './steroid-order-check.js';
import { summaryFindings } from './summary-findings.js';
import type { CardTemplates } from './templates.js';
import { tocilizumabDose } from './tocilizumab-dose.js';
import type { LimitCheck } from './tocilizumab-limits.js';
import { isConditionOnly, limitsNow, persistentFeverApplies, planSteroid, planTocilizumab } from './treatment-plan.js';
import { conceptName, countText, gradeText } from './wording.js';

/** The hooks whose draft orders are checked. */
export type OrderHook = 'order-select' | 'order-sign';

/** Everything the checks share for one call. */
export interface Advice {
  readonly a: Assessment;
  /** Which hook asks: the orders counted now (OS2) are selected (order-select) or signed together (order-sign). */
  readonly hook: OrderHook;
  readonly config: Config;
  readonly t: CardTemplates;
  readonly ctx: PlanContext;
  readonly newId: () => string;
}

/** OS1 */
function doseCard(draft: DraftOrder, adv: Advice): Card | undefined {
  const { a, config, t } = adv;
  const ordered = draft.doseMg;
  if (ordered === undefined) return undefined;
  const toci = config.treatment.tocilizumab;
  if (a.weight === undefined) {
    if (ordered <= toci.maxDoseMg) return undefined;
    const values = {
      ...orderWords(draft, adv),
      orderId: draft.id,
      orderedMg: formatNumber(ordered),
      maxDoseMg: toci.maxDoseMg,
      weightMaxAgeDays: config.grading.weightMaxAgeDays,
    };
    return buildCard(t.cards['crs-os-dose-no-weight'], { values }, adv.newId);
  }
  const dose = tocilizumabDose(a.weight.kg, toci, config.grading.doseRoundingMg);
  // OS1 "above the weight-based dose by more than 10%": measured from the unrounded dose, so rounding
  // down (579.2 → 579 mg) does not narrow the tolerance; the rounded dose is what the update suggests.
  const tolerated = dose.exactMg * (1 + toci.doseTolerancePercent / 100);
  if (ordered <= toci.maxDoseMg && ordered <= tolerated) return undefined;
  const sig = tocilizumabSig(dose.doseMg, adv.ctx);
  const updated = withCorrectedDose(
    draft.resource,
    { doseMg: dose.doseMg, sig },
    { rxnorm: toci.rxnorm, display: conceptName(toci.concept, config) },
  );
  // No update for a draft naming an external Medication: it cannot carry the RxNorm coding (contract)
  // without replacing the product; the card still gives the correct dose.
  const suggestions =
    updated === undefined
      ? []
      : [
          {
            label: phrase(t, 'suggestion.correct-dose', { doseMg: dose.doseMg }),
            uuid: adv.newId(),
            isRecommended: true,
            actions: [
              {
                type: 'update' as const,
                description: phrase(t, 'action.update', { orderId: draft.id, doseMg: dose.doseMg }),
                resource: updated,
              },
            ],
          },
        ];
  const values = {
    ...orderWords(draft, adv),
    orderId: draft.id,
    orderedMg: formatNumber(ordered),
    doseMg: dose.doseMg,
    basis: doseBasis(dose, a.weight, adv.ctx),
    maxDoseMg: toci.maxDoseMg,
    tolerancePercent: toci.doseTolerancePercent,
  };
  return buildCard(t.cards['crs-os-dose'], { values, suggestions, selectionBehavior: 'at-most-one' }, adv.newId);
}

/**
 * OS2
 * @param selectedOrderIds - the other selected tocilizumab drafts counted as doses now (not given)
 */
function limitCard(draft: DraftOrder, check: LimitCheck, selectedOrderIds: readonly string[], adv: Advice): Card | undefined {
  if (check.allowed) return undefined;
  const { a, t, config } = adv;
  const next =
    check.nextAllowedAt === undefined
      ? phrase(t, 'next.none')
      : phrase(t, 'next.at', { time: formatUtc(new Date(check.nextAllowedAt).toISOString()) });
  // Charted doses are "counted" (T-L: on hold counts too, and is called so); selected drafts are named as such.
  const charted = limitsNow(a, config);
  const onHoldDoseTimes = a.tocilizumab.onHoldDoseTimes ?? [];
  const last = charted.lastDoseAt === undefined ? undefined : new Date(charted.lastDoseAt).toISOString();
  const history = [
    last === undefined
      ? ''
      : phrase(t, 'history.tocilizumab', {
          doses24h: countText(t, 'dose', charted.dosesLast24h),
          dosesEpisode: countText(t, 'dose', charted.dosesInEpisode),
          last: formatUtc(last),
          onHold: onHoldDoseTimes.includes(last) ? phrase(t, 'evidence.tocilizumab-on-hold') : '',
        }),
    selectedOrderIds.length === 0
      ? ''
      : phrase(t, adv.hook === 'order-sign' ? 'history.signing' : 'history.selected', { orderIds: selectedOrderIds.join(', ') }),
  ]
    .filter((line) => line !== '')
    .join(' ');
  const values = {
    ...orderWords(draft, adv),
    orderId: draft.id,
    reasons: limitReasons(check, config, t, { selectedOrderIds, onHoldDoseTimes, signing: adv.hook === 'order-sign' }),
    next,
    history,
    // C3: the next line, each drug named once.
    nextLine: [phrase(t, 'order.next-line-steroids'), phrase(t, 'order.refractory')].join('\n'),
  };
  return buildCard(t.cards['crs-os-limit'], { values }, adv.newId);
}

/** OS3: the CAR-T efficacy reminder applies only when the index therapy is a CAR-T product. */
function carTReminder(a: Assessment, t: CardTemplates): string {
  return a.monitoring.indexTherapy?.category === 'car-t' ? phrase(t, 'reminder.car-t-steroids') : '';
}

/** OS3 */
function notIndicatedCard(draft: DraftOrder, adv: Advice): Card | undefined {
  const { a, config, t } = adv;
  if (a.grade !== undefined && a.grade > 1) return undefined;
  if (draft.kind === 'tocilizumab' && persistentFeverApplies(a, config)) return undefined;
  const drug = conceptName(draft.concept ?? draft.kind, config);
  const evidence = evidenceBlock(a, t, config, limitsNow(a, config).dosesInEpisode);
  const reminder = carTReminder(a, t);
  const notes = notesBlock(a, t, config);
  if (a.grade === undefined) {
    // G-I: the grade is unknown, not low; say what is missing and ask to confirm the indication.
    const values = { drug, selected: orderWords(draft, adv).selected, gap: gapText(a, t).detail, reminder, evidence, notes };
    return buildCard(t.cards['crs-os-indeterminate'], { values }, adv.newId);
  }
  const findings = summaryFindings(a, t, config).map((f) => f.text);
  const values = {
    drug,
    selected: orderWords(draft, adv).selected,
    grade: gradeText(a.grade, t),
    findings: findings.length > 0 ? findings.join(', ') : phrase(t, 'finding.no-fever', { lookbackHours: a.lookbackHours }),
    reminder,
    evidence,
    notes,
  };
  return buildCard(t.cards['crs-os-not-indicated'], { values }, adv.newId);
}

/** OS4: the bundle of grade max(3, current grade), so a grade-4 patient sees the grade-4 steroid. */
function vasopressorCard(draft: DraftOrder, adv: Advice): Card | undefined {
  const { a, config, t } = adv;
  if (!a.fever.present && !a.fever.masked) return undefined;
  const bundleGrade = a.grade === 4 ? 4 : 3;
  const limits = limitsNow(a, config);
  const regimen = bundleGrade === 4 ? config.treatment.steroids.grade4 : config.treatment.steroids.grade3;
  // S2-T: the bundle's orders are withheld for a patient monitored by a CRS diagnosis alone.
  const conditionOnly = isConditionOnly(a, config);
  const plan = renderPlan(
    {
      conditionOnly,
      ...(conditionOnly ? {} : { tocilizumab: planTocilizumab(a, config, limits), steroid: planSteroid(a, regimen, config) }),
      persistentFever: false,
      refractory: false,
      limits,
    },
    'plan.none',
    adv.ctx,
    bundleGrade === 4 && !conditionOnly ? { refractory: true } : {},
    a.tocilizumab.onHoldDoseTimes,
  );
  const values = {
    drug: conceptName(draft.concept ?? draft.kind, config),
    grade: gradeText(a.grade, t),
    findings: summaryFindings(a, t, config)
      .map((f) => f.text)
      .join(', '),
    bundleGrade,
    orders: plan.orders,
    care: phrase(t, bundleGrade === 4 ? 'care.grade-4' : 'care.grade-3'),
    evidence: evidenceBlock(a, t, config, limits.dosesInEpisode),
  };
  return buildCard(t.cards['crs-os-vasopressor'], { values }, adv.newId);
}

/**
 * Cards for order-select (the selected drafts) and order-sign (every order being signed): one card per problem.
 * @param assessment - the grading of the patient; null when not monitored (OS5: no cards)
 * @param drafts - the selected draft orders, or the orders being signed, classified
 * @param patientId - the hook's `context.patientId`
 * @param config - effective configuration
 * @param templates - loaded card templates
 * @param newId - uuid source (default crypto.randomUUID)
 * @param hook - the calling hook (default order-select)
 */
export function adviseOrderSelect(
  assessment: Assessment | null,
  drafts: readonly DraftOrder[],
  patientId: string,
  config: Config,
  templates: CardTemplates,
  newId: () => string = randomUUID,
  hook: OrderHook = 'order-select',
): Card[] {
  if (assessment === null) return [];
  const adv: Advice = { a: assessment, hook, config, t: templates, newId, ctx: { patientId, config, templates, newId } };
  const cards: (Card | undefined)[] = [];
  // Each earlier selected (or co-signed) tocilizumab order counts as a dose given now for the next one (OS2).
  const now = Date.parse(assessment.evaluatedAt);
  const selectedTocilizumab: string[] = [];
  for (const draft of drafts) {
    if (draft.kind === 'tocilizumab') {
      const check = limitsNow(assessment, config, Array<number>(selectedTocilizumab.length).fill(now));
      cards.push(doseCard(draft, adv), limitCard(draft, check, [...selectedTocilizumab], adv), notIndicatedCard(draft, adv));
      selectedTocilizumab.push(draft.id);
    } else if (draft.kind === 'corticosteroid') {
      const notIndicated = notIndicatedCard(draft, adv);
      // One card per draft: at grade ≤ 1 the OS3 card (its evidence lists the current corticosteroids).
      cards.push(notIndicated ?? steroidActiveCard(draft, adv));
    } else if (draft.kind === 'vasopressor') {
      cards.push(vasopressorCard(draft, adv));
    }
  }
  return cards.filter((c): c is Card => c !== undefined);
}
