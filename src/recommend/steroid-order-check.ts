/**
 * T-S on order-select (crs-rules.md section 5: the same T-S/T-E logic as patient-view): a systemic
 * corticosteroid selected at CRS grade ≥ 2 is flagged when the corticosteroid exposure of the T-S window
 * already covers what the grade calls for (in dexamethasone equivalents: a steroid selected on top of
 * pulse methylprednisolone), when the grade calls for none while a corticosteroid was given, or when a
 * corticosteroid of unknown dose was given. A selection below the grade's regimen is the T-E escalation
 * and is not flagged.
 */
import type { Advice } from './advise-order-select.js';
import { buildCard } from './build-card.js';
import type { Card } from './card-types.js';
import type { DraftOrder } from './draft-order.js';
import { evidenceBlock } from './evidence-block.js';
import { orderWords } from './order-words.js';
import { formatNumber, phrase } from './render-template.js';
import { regimenText } from './steroid-text.js';
import { isRefractory, limitsNow, planSteroid, regimenFor } from './treatment-plan.js';
import { conceptName, gradeText, steroidDoseText } from './wording.js';

/**
 * The T-S card for one selected corticosteroid draft, or undefined when it does not duplicate.
 * @param draft - a draft classified as a corticosteroid
 * @param adv - the assessment, configuration, templates and uuid source
 */
export function steroidActiveCard(draft: DraftOrder, adv: Advice): Card | undefined {
  const { a, config, t } = adv;
  const exposure = a.corticosteroids;
  const current = exposure?.doses[0];
  if (exposure === undefined || current === undefined) return undefined;
  const limits = limitsNow(a, config);
  const regimen = regimenFor(a, config, isRefractory(a, config, limits));
  // Without a regimen at this grade any systemic exposure is "already receiving"; with one, T-S decides.
  if (regimen !== undefined && planSteroid(a, regimen, config).status === 'give') return undefined;
  const values = {
    ...orderWords(draft, adv),
    orderId: draft.id,
    drug: conceptName(draft.concept ?? draft.kind, config),
    current: steroidDoseText(current, t, config),
    exposure: formatNumber(exposure.dexamethasoneMg),
    grade: gradeText(a.grade, t),
    regimen: regimen === undefined ? phrase(t, 'regimen.none') : regimenText(regimen, adv.ctx),
    evidence: evidenceBlock(a, t, config, limits.dosesInEpisode),
  };
  return buildCard(t.cards['crs-os-steroid-active'], { values }, adv.newId);
}
