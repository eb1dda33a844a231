/**
 * The clinical pipeline for one hook call: evidence → grading → recommendations. Pure (no I/O): the
 * protocol layer has already resolved prefetch into `input.resources`, and the CLI passes a Bundle's
 * entries. Both therefore answer identically for the same data and evaluation time.
 */
import type { Config } from '../config/types.js';
import { classifyDraftOrders, classifyOrdersToSign } from '../evidence/classify-draft-orders.js';
import { assessPatient } from '../evidence/assess-patient.js';
import { ASSESSMENT_EXTENSION, type Assessment } from '../grading/assessment.js';
import type { HookInput } from '../protocol/runtime.js';
import { adviseOrderSelect } from '../recommend/advise-order-select.js';
import type { Card, CdsHooksResponse } from '../recommend/card-types.js';
import { recommendPatientView } from '../recommend/recommend-patient-view.js';
import type { CardTemplates } from '../recommend/templates.js';
import { timelineLink, withTimelineLink } from '../recommend/timeline-link.js';

/**
 * @param config - the effective configuration
 * @param templates - validated card templates
 * @param newId - uuid source for cards and suggestions (deterministic in the CLI and tests)
 */
export function createHookEvaluator(
  config: Config,
  templates: CardTemplates,
  newId?: () => string,
): (input: HookInput) => CdsHooksResponse {
  return (input) => {
    const assessment = assessPatient(input.resources, input.evaluatedAt, config);
    if (assessment === null) return { cards: [] }; // S3: unmonitored patients get no CRS cards
    const cards = cardsFor(input, assessment, config, templates, newId);
    return { cards, extension: { [ASSESSMENT_EXTENSION]: assessment } };
  };
}

function cardsFor(
  input: HookInput,
  assessment: Assessment,
  config: Config,
  templates: CardTemplates,
  newId: (() => string) | undefined,
): readonly Card[] {
  const patientId = String(input.context['patientId']);
  switch (input.service.hook) {
    case 'patient-view': {
      // Every patient-view card of a monitored patient links to the CRS timeline app (contract).
      const link = timelineLink(config, templates, input.origin);
      return recommendPatientView(assessment, patientId, config, templates, newId).map((card) => withTimelineLink(card, link));
    }
    case 'order-select': {
      const drafts = classifyDraftOrders(input.context, input.resources, config);
      return adviseOrderSelect(assessment, drafts, patientId, config, templates, newId);
    }
    case 'order-sign': {
      // The same checks on every order being signed (no selections at signing).
      const orders = classifyOrdersToSign(input.context, input.resources, config);
      return adviseOrderSelect(assessment, orders, patientId, config, templates, newId, 'order-sign');
    }
  }
}
