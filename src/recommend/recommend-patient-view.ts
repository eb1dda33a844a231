/**
 * Patient-view: the one card a physician sees for a monitored patient (crs-rules.md section 4 grade table,
 * G-I, C1–C6). Grade 1 info, 2 warning, 3–4 critical; grade 0 only with `grading.showGradeZero`; an
 * indeterminate grade gets one info card naming the missing data and any hypotension or oxygen need (C2).
 * Low SpO2 without documented oxygen support raises the indicator to at least warning (O1, C1).
 * Wording comes from `cards/`.
 *
 * When grade ≥ 2 (or T1 at grade 1) Then tocilizumab per T-D unless T-L blocks or no weight is known;
 * when T2, T-P, grade 3 or grade 4 Then the configured corticosteroid per T-S/T-E; when S2-T Then neither.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { Assessment, Grade } from '../grading/assessment.js';
import { buildCard, cardIndicator } from './build-card.js';
import type { Card, Indicator } from './card-types.js';
import { gapText, notesBlock } from './data-notes.js';
import { evidenceBlock } from './evidence-block.js';
import { renderPlan, type PlanNotes, type PlanText } from './plan-text.js';
import { phrase } from './render-template.js';
import { summaryFindings, type SummaryFinding } from './summary-findings.js';
import type { CardTemplateId } from './template-catalog.js';
import type { CardTemplates } from './templates.js';
import { limitsNow, planTreatment, type TreatmentPlan } from './treatment-plan.js';
import { conceptName } from './wording.js';

const GRADE_TEMPLATES: Readonly<Record<Grade, CardTemplateId>> = {
  0: 'crs-grade-0',
  1: 'crs-grade-1',
  2: 'crs-grade-2',
  3: 'crs-grade-3',
  4: 'crs-grade-4',
};

/** O1/C1: low SpO2 without documented oxygen support raises the card to at least a warning. */
function lowestIndicator(a: Assessment): Indicator | undefined {
  return (a.findings ?? []).some((f) => f.code === 'low-spo2-without-oxygen') ? 'warning' : undefined;
}

/** C1: every finding, then the essential ones only (the findings that set the grade are never dropped). */
function findingTexts(findings: readonly SummaryFinding[]): { readonly all: string; readonly essential: string } {
  const essential = findings.filter((f) => f.essential);
  return {
    all: findings.map((f) => f.text).join(', '),
    essential: (essential.length > 0 ? essential : findings).map((f) => f.text).join(', '),
  };
}

function indeterminateCard(a: Assessment, config: Config, t: CardTemplates, newId: () => string): Card {
  const gap = gapText(a, t);
  const findings = summaryFindings(a, t, config).map((f) => f.text);
  const values = {
    gap: gap.short,
    gapDetail: gap.detail,
    findings: findings.length === 0 ? '' : phrase(t, 'summary.findings', { findings: findings.join(', ') }),
    evidence: evidenceBlock(a, t, config, limitsNow(a, config).dosesInEpisode),
    notes: notesBlock(a, t, config),
    lookbackHours: a.lookbackHours,
  };
  const indicatorAtLeast = lowestIndicator(a);
  return buildCard(t.cards['crs-data-incomplete'], { values, ...(indicatorAtLeast === undefined ? {} : { indicatorAtLeast }) }, newId);
}

/** F2, T-B, C3 and T-P lines of the plan. */
function planNotes(a: Assessment, plan: TreatmentPlan, config: Config): PlanNotes {
  const grade = a.grade ?? 0;
  const therapy = a.monitoring.indexTherapy;
  const early = therapy !== undefined && grade === 2 && !plan.refractory && config.treatment.earlySteroidProducts.includes(therapy.concept);
  return {
    ...(grade >= 1 && !a.fever.present && a.fever.masked && a.fever.maskedBy !== undefined
      ? { maskedBy: conceptName(a.fever.maskedBy.kind, config) }
      : {}),
    ...(grade >= 1 && therapy?.category === 't-cell-engager' ? { holdEngager: conceptName(therapy.concept, config) } : {}),
    ...(grade === 4 && !plan.conditionOnly ? { refractory: true } : {}),
    ...(early ? { earlyProduct: conceptName(therapy.concept, config) } : {}),
  };
}

/** What patient-view shows for a monitored patient, decided before any text is rendered. */
export interface PatientViewDecision {
  readonly templateId: CardTemplateId;
  readonly indicator: Indicator;
  /** The treatment plan of a graded patient; absent for the indeterminate card (G-I), which suggests no order. */
  readonly plan?: TreatmentPlan;
}

/**
 * The patient-view card's template, indicator and plan: what {@link recommendPatientView} renders, and what
 * a replay compares without rendering text.
 * @param assessment - the grading of a monitored patient
 * @param config - effective configuration (`grading.showGradeZero`, `treatment`)
 * @param templates - loaded card templates
 * @returns undefined when no card is shown (grade 0 without showGradeZero)
 */
export function decidePatientView(assessment: Assessment, config: Config, templates: CardTemplates): PatientViewDecision | undefined {
  const a = assessment;
  if (a.grade === 0 && !config.grading.showGradeZero) return undefined;
  const templateId = a.grade === undefined ? 'crs-data-incomplete' : GRADE_TEMPLATES[a.grade];
  const indicator = cardIndicator(templates.cards[templateId], lowestIndicator(a));
  return a.grade === undefined ? { templateId, indicator } : { templateId, indicator, plan: planTreatment(a, config) };
}

/** What a plan's words and suggestions read of the assessment. */
function planInputs(a: Assessment, plan: TreatmentPlan, config: Config) {
  return {
    fallback: a.grade === 0 ? ('plan.none' as const) : ('plan.supportive' as const),
    firstFeverAt: a.fever.firstFeverAt,
    notes: planNotes(a, plan, config),
    onHoldDoseTimes: a.tocilizumab.onHoldDoseTimes,
  };
}

/**
 * The words and order suggestions of a graded patient's plan, as the card shows them.
 * @param assessment - the grading (grade defined)
 * @param plan - its plan, from {@link decidePatientView}
 * @param patientId - the subject of suggested orders
 * @param config - effective configuration
 * @param templates - loaded card templates
 * @param newId - uuid source for suggestions
 */
export function patientViewPlan(
  assessment: Assessment,
  plan: TreatmentPlan,
  patientId: string,
  config: Config,
  templates: CardTemplates,
  newId: () => string,
): PlanText {
  const { fallback, firstFeverAt, notes, onHoldDoseTimes } = planInputs(assessment, plan, config);
  return renderPlan(plan, fallback, { patientId, config, templates, newId, ...(firstFeverAt === undefined ? {} : { firstFeverAt }) }, notes, onHoldDoseTimes);
}

/**
 * Everything {@link patientViewPlan} renders from besides its fixed context (patient, configuration,
 * templates, uuids), as text: two plans with the same key render the same, so a replay renders each
 * distinct plan of a patient once.
 * @param assessment - the grading (grade defined)
 * @param plan - its plan
 * @param config - effective configuration
 * @returns the key; undefined when the text could stand for two plans (JSON writes NaN and ±Infinity as
 *   null, and a plan holds no null of its own)
 */
export function patientViewPlanKey(assessment: Assessment, plan: TreatmentPlan, config: Config): string | undefined {
  const key = JSON.stringify([plan, planInputs(assessment, plan, config)]);
  return key.includes('null') ? undefined : key;
}

/**
 * Cards for patient-view.
 * @param assessment - the grading of a monitored patient
 * @param patientId - the hook's `context.patientId` (subject of suggested orders)
 * @param config - effective configuration (`grading.showGradeZero`, `treatment`)
 * @param templates - loaded card templates
 * @param newId - uuid source for cards and suggestions (default crypto.randomUUID)
 * @returns one card, or none for grade 0 without showGradeZero
 */
export function recommendPatientView(
  assessment: Assessment,
  patientId: string,
  config: Config,
  templates: CardTemplates,
  newId: () => string = randomUUID,
): Card[] {
  const a = assessment;
  const decision = decidePatientView(a, config, templates);
  if (decision === undefined) return [];
  if (decision.plan === undefined || a.grade === undefined) return [indeterminateCard(a, config, templates, newId)];

  const plan = decision.plan;
  const text = patientViewPlan(a, plan, patientId, config, templates, newId);
  const findings = findingTexts(summaryFindings(a, templates, config));
  const values = {
    grade: a.grade,
    findings: findings.all,
    plan: text.summary,
    evidence: evidenceBlock(a, templates, config, plan.limits.dosesInEpisode),
    orders: text.orders,
    notes: notesBlock(a, templates, config, { weightExplained: plan.tocilizumab?.status === 'no-weight' }),
    lookbackHours: a.lookbackHours,
  };
  // C1: shorten the plan first, then drop the findings that did not set the grade.
  const summaryValues = [
    values,
    { ...values, plan: text.summaryShort },
    { ...values, findings: findings.essential },
    { ...values, findings: findings.essential, plan: text.summaryShort },
  ];
  const indicatorAtLeast = lowestIndicator(a);
  return [
    buildCard(
      templates.cards[decision.templateId],
      {
        values,
        summaryValues,
        suggestions: text.suggestions,
        selectionBehavior: 'any',
        ...(indicatorAtLeast === undefined ? {} : { indicatorAtLeast }),
      },
      newId,
    ),
  ];
}
