/**
 * Order-select advice on the draft orders a physician has selected (crs-rules.md section 5).
 *
 * OS1 When a selected tocilizumab dose is above the per-dose maximum, or above the T-D dose by more than
 *     `doseTolerancePercent` Then warning + an `update` suggestion with the T-D dose (without a weight only
 *     the maximum is checked, and no corrected dose is offered).
 * OS2 When tocilizumab now would break T-L (the selected draft is the next dose) Then critical.
 * OS3 When tocilizumab or a corticosteroid is selected at grade 0, 1 or indeterminate (for tocilizumab: and
 *     T1 does not apply) Then info with the grade, its evidence and the CAR-T efficacy reminder.
 * OS4 When a vasopressor is selected for a febrile (or fever-masked) patient Then info: grade ≥ 3 applies.
 * OS5 When the patient is not monitored or the drug is unrelated Then nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import { buildCard } from './build-card.js';
import type { Card } from './card-types.js';
import { conceptName, evidenceBlock, gradeText, notesBlock, summaryFindings } from './describe-assessment.js';
import type { DraftOrder } from './draft-order.js';
import { withCorrectedDose } from './medication-request.js';
import { limitReasons, renderPlan, type PlanContext } from './plan-text.js';
import { formatNumber, formatUtc, phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';
import { tocilizumabDose } from './tocilizumab-dose.js';
import type { LimitCheck } from './tocilizumab-limits.js';
import { limitsNow, persistentFeverApplies, planSteroid, planTocilizumab } from './treatment-plan.js';

interface Advice {
  readonly a: Assessment;
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
      orderId: draft.id,
      orderedMg: formatNumber(ordered),
      maxDoseMg: toci.maxDoseMg,
      weightMaxAgeDays: config.grading.weightMaxAgeDays,
    };
    return buildCard(t.cards['crs-os-dose-no-weight'], { values }, adv.newId);
  }
  const dose = tocilizumabDose(a.weight.kg, toci, config.grading.doseRoundingMg);
  const tolerated = dose.doseMg * (1 + toci.doseTolerancePercent / 100);
  if (ordered <= toci.maxDoseMg && ordered <= tolerated) return undefined;
  const weight = { weightKg: formatNumber(a.weight.kg), weightAt: formatUtc(a.weight.at) };
  const basis = dose.capped
    ? phrase(t, 'dose.basis-capped', { ...weight, maxDoseMg: toci.maxDoseMg })
    : phrase(t, 'dose.basis', { ...weight, mgPerKg: dose.mgPerKg });
  const sig = phrase(t, 'sig.tocilizumab', { doseMg: dose.doseMg, infusionMinutes: toci.infusionMinutes });
  const suggestion = {
    label: phrase(t, 'suggestion.correct-dose', { doseMg: dose.doseMg }),
    uuid: adv.newId(),
    isRecommended: true,
    actions: [
      {
        type: 'update' as const,
        description: phrase(t, 'action.update', { orderId: draft.id, doseMg: dose.doseMg }),
        resource: withCorrectedDose(draft.resource, dose.doseMg, sig),
      },
    ],
  };
  const values = {
    orderId: draft.id,
    orderedMg: formatNumber(ordered),
    doseMg: dose.doseMg,
    basis,
    maxDoseMg: toci.maxDoseMg,
    tolerancePercent: toci.doseTolerancePercent,
  };
  return buildCard(
    t.cards['crs-os-dose'],
    { values, suggestions: [suggestion], selectionBehavior: 'at-most-one' },
    adv.newId,
  );
}

/** OS2 */
function limitCard(draft: DraftOrder, check: LimitCheck, adv: Advice): Card | undefined {
  if (check.allowed) return undefined;
  const { t, config } = adv;
  const next =
    check.nextAllowedAt === undefined
      ? phrase(t, 'next.none')
      : phrase(t, 'next.at', { time: formatUtc(new Date(check.nextAllowedAt).toISOString()) });
  const history =
    check.lastDoseAt === undefined
      ? ''
      : phrase(t, 'history.tocilizumab', {
          count: check.dosesLast24h,
          countEpisode: check.dosesInEpisode,
          last: formatUtc(new Date(check.lastDoseAt).toISOString()),
        });
  const values = {
    orderId: draft.id,
    reasons: limitReasons(check, config, t),
    next,
    history,
    nextLine: phrase(t, 'order.next-line'),
  };
  return buildCard(t.cards['crs-os-limit'], { values }, adv.newId);
}

/** OS3 */
function notIndicatedCard(draft: DraftOrder, adv: Advice): Card | undefined {
  const { a, config, t } = adv;
  if (a.grade !== null && a.grade > 1) return undefined;
  if (draft.kind === 'tocilizumab' && persistentFeverApplies(a, config)) return undefined;
  const findings = summaryFindings(a, t, config);
  const values = {
    drug: conceptName(draft.concept ?? draft.kind, config),
    grade: gradeText(a.grade, t),
    findings: findings.length > 0 ? findings.join(', ') : phrase(t, 'finding.no-fever', { lookbackHours: a.lookbackHours }),
    evidence: evidenceBlock(a, t, config, limitsNow(a, config).dosesInEpisode),
    notes: notesBlock(a, t, config),
  };
  return buildCard(t.cards['crs-os-not-indicated'], { values }, adv.newId);
}

/** OS4 */
function vasopressorCard(draft: DraftOrder, adv: Advice): Card | undefined {
  const { a, config, t } = adv;
  if (!a.fever.present && !a.fever.masked) return undefined;
  const limits = limitsNow(a, config);
  const plan = renderPlan(
    {
      tocilizumab: planTocilizumab(a, config, limits),
      persistentFever: false,
      steroid: planSteroid(a, config.treatment.steroids.grade3, config),
      refractory: false,
      limits,
    },
    'plan.none',
    adv.ctx,
  );
  const values = {
    drug: conceptName(draft.concept ?? draft.kind, config),
    findings: summaryFindings(a, t, config).join(', '),
    orders: plan.orders,
    evidence: evidenceBlock(a, t, config, limits.dosesInEpisode),
  };
  return buildCard(t.cards['crs-os-vasopressor'], { values }, adv.newId);
}

/**
 * Cards for order-select.
 * @param assessment - the grading of the patient; null when not monitored (OS5: no cards)
 * @param drafts - the selected draft orders, classified
 * @param patientId - the hook's `context.patientId`
 * @param config - effective configuration
 * @param templates - loaded card templates
 * @param newId - uuid source (default crypto.randomUUID)
 */
export function adviseOrderSelect(
  assessment: Assessment | null,
  drafts: readonly DraftOrder[],
  patientId: string,
  config: Config,
  templates: CardTemplates,
  newId: () => string = randomUUID,
): Card[] {
  if (assessment === null) return [];
  const adv: Advice = { a: assessment, config, t: templates, newId, ctx: { patientId, config, templates, newId } };
  const cards: (Card | undefined)[] = [];
  // Each earlier selected tocilizumab draft counts as a dose given now for the next one (OS2).
  const now = Date.parse(assessment.evaluatedAt);
  let selectedTocilizumab = 0;
  for (const draft of drafts) {
    if (draft.kind === 'tocilizumab') {
      const check = limitsNow(assessment, config, Array<number>(selectedTocilizumab).fill(now));
      selectedTocilizumab += 1;
      cards.push(doseCard(draft, adv), limitCard(draft, check, adv), notIndicatedCard(draft, adv));
    } else if (draft.kind === 'corticosteroid') {
      cards.push(notIndicatedCard(draft, adv));
    } else if (draft.kind === 'vasopressor') {
      cards.push(vasopressorCard(draft, adv));
    }
  }
  return cards.filter((c): c is Card => c !== undefined);
}
