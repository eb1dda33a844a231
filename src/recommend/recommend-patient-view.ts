/**
 * Patient-view: the one card a physician sees for a monitored patient (crs-rules.md section 4 grade table,
 * G-I). Grade 1 info, 2 warning, 3–4 critical; grade 0 only with `grading.showGradeZero`; an indeterminate
 * grade gets one info card naming the missing data. Wording comes from `cards/`.
 *
 * When grade ≥ 2 (or T1 at grade 1) Then tocilizumab per T-D unless T-L blocks or no weight is known;
 * when T2, grade 3 or grade 4 Then the configured corticosteroid unless T-S says it is already given.
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/types.js';
import type { Assessment, Grade } from '../grading/assessment.js';
import { buildCard } from './build-card.js';
import type { Card } from './card-types.js';
import { evidenceBlock, notesBlock, summaryFindings } from './describe-assessment.js';
import { renderPlan } from './plan-text.js';
import { phrase } from './render-template.js';
import type { CardTemplateId } from './template-catalog.js';
import type { CardTemplates } from './templates.js';
import { limitsNow, planTreatment } from './treatment-plan.js';

const GRADE_TEMPLATES: Readonly<Record<Grade, CardTemplateId>> = {
  0: 'crs-grade-0',
  1: 'crs-grade-1',
  2: 'crs-grade-2',
  3: 'crs-grade-3',
  4: 'crs-grade-4',
};

/** Summary findings, longest first: all of them, then one fewer each time (the template's summaryShort has none). */
function findingSets(findings: readonly string[]): string[] {
  return findings.map((_f, i) => findings.slice(0, findings.length - i).join(', '));
}

function indeterminateCard(a: Assessment, config: Config, t: CardTemplates, newId: () => string): Card {
  const gapKey = a.dataGaps.some((g) => g.code === 'no-usable-temperature') ? 'gap.no-usable-temperature' : 'gap.no-temperature';
  const findings = summaryFindings(a, t, config);
  const values = {
    gap: phrase(t, gapKey, { lookbackHours: a.lookbackHours }),
    findings: findings.join(', '),
    evidence: evidenceBlock(a, t, config, limitsNow(a, config).dosesInEpisode),
    notes: notesBlock(a, t, config),
    lookbackHours: a.lookbackHours,
  };
  return buildCard(t.cards['crs-data-incomplete'], { values }, newId);
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
  if (a.grade === null) return [indeterminateCard(a, config, templates, newId)];
  if (a.grade === 0 && !config.grading.showGradeZero) return [];

  const plan = planTreatment(a, config);
  const text = renderPlan(plan, a.grade === 0 ? 'plan.none' : 'plan.supportive', {
    patientId,
    config,
    templates,
    newId,
    ...(a.fever.firstFeverAt === undefined ? {} : { firstFeverAt: a.fever.firstFeverAt }),
  });
  const findings = summaryFindings(a, templates, config);
  const values = {
    grade: a.grade,
    findings: findings.join(', '),
    plan: text.summary,
    evidence: evidenceBlock(a, templates, config, plan.limits.dosesInEpisode),
    orders: text.orders,
    notes: notesBlock(a, templates, config, { weightExplained: plan.tocilizumab?.status === 'no-weight' }),
    lookbackHours: a.lookbackHours,
  };
  return [
    buildCard(
      templates.cards[GRADE_TEMPLATES[a.grade]],
      {
        values,
        summaryValues: findingSets(findings).map((f) => ({ ...values, findings: f })),
        suggestions: text.suggestions,
        selectionBehavior: 'any',
      },
      newId,
    ),
  ];
}
