/**
 * The audit records of one answered hook call (issue 11): one per card, with the template that rendered
 * it, the grade and episode maximum of the assessment, and each suggestion's uuid, label and drug
 * family. Pure: no clock, no storage. Nothing from the request is copied but the service id; the patient
 * arrives already hashed.
 */
import type { MedicationRequest } from 'fhir/r4.js';
import { RXNORM } from '../config/defaults.js';
import type { Config } from '../config/types.js';
import { ASSESSMENT_EXTENSION } from '../grading/assessment.js';
import { cardTemplateId } from '../recommend/build-card.js';
import type { CdsHooksResponse, Suggestion } from '../recommend/card-types.js';
import type { AuditRecord, AuditSuggestion, SuggestedDrug } from '../storage/audit-store.js';

/** What the caller knows about the call beside its response. */
export interface AnsweredCall {
  readonly serviceId: string;
  readonly configVersion: string;
  readonly patientHash: string;
  readonly answeredAt: Date;
}

/** The ingredient a suggestion orders: the RxNorm code of its first MedicationRequest action. */
function orderedRxnorm(suggestion: Suggestion): string | undefined {
  for (const action of suggestion.actions ?? []) {
    const resource = action.resource as MedicationRequest | undefined;
    if (resource?.resourceType !== 'MedicationRequest') continue;
    const coding = resource.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM);
    if (coding?.code !== undefined) return coding.code;
  }
  return undefined;
}

/** The drug family of a suggestion by the configured tocilizumab and steroid-regimen codes (T-D, T2, grades 3–4). */
function drugOf(suggestion: Suggestion, treatment: Config['treatment']): SuggestedDrug | undefined {
  const code = orderedRxnorm(suggestion);
  if (code === undefined) return undefined;
  if (code === treatment.tocilizumab.rxnorm) return 'tocilizumab';
  return Object.values(treatment.steroids).some((regimen) => regimen.rxnorm === code) ? 'corticosteroid' : undefined;
}

/** A grade from the assessment extension: a number 0–4, else absent (indeterminate or none). */
function gradeValue(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * @param response - the answer as sent (cards built by the recommend layer)
 * @param call - service, configuration version, hashed patient and time
 * @param treatment - the configuration's `treatment` (which codes are tocilizumab and the steroids)
 * @returns one record per card; none for an answer without cards
 */
export function auditRecords(response: CdsHooksResponse, call: AnsweredCall, treatment: Config['treatment']): AuditRecord[] {
  const assessment = (response.extension?.[ASSESSMENT_EXTENSION] ?? {}) as { grade?: unknown; episodeMaxGrade?: unknown };
  const grade = gradeValue(assessment.grade);
  const episodeMaxGrade = gradeValue(assessment.episodeMaxGrade);
  const recordedAt = call.answeredAt.toISOString();
  return response.cards.map((card) => ({
    cardUuid: card.uuid,
    serviceId: call.serviceId,
    templateId: cardTemplateId(card) ?? 'unknown',
    indicator: card.indicator,
    ...(grade === undefined ? {} : { grade }),
    ...(episodeMaxGrade === undefined ? {} : { episodeMaxGrade }),
    suggestions: (card.suggestions ?? []).map((s): AuditSuggestion => {
      const drug = drugOf(s, treatment);
      return { uuid: s.uuid, label: s.label, ...(drug === undefined ? {} : { drug }) };
    }),
    configVersion: call.configVersion,
    patientHash: call.patientHash,
    recordedAt,
  }));
}
