/**
 * Draft MedicationRequests for order suggestions (contract.md "Order suggestions"; crs-rules.md section 4):
 * status `draft`, intent `proposal`, the RxNorm ingredient coding, route, dose in mg and timing, so the
 * EHR can place the order in one click.
 */
import type { Dosage, MedicationRequest, Timing } from 'fhir/r4.js';
import { RXNORM, SNOMED } from '../config/defaults.js';
import type { SteroidRegimen } from '../config/types.js';

const UCUM = 'http://unitsofmeasure.org';
/** The configured route (`SteroidRegimen.route`) as SNOMED CT. */
const ROUTES = { IV: { system: SNOMED, code: '47625008', display: 'Intravenous route' } } as const;

export interface DraftSpec {
  readonly rxnorm: string;
  /** Ingredient name for the coding display. */
  readonly display: string;
  readonly doseMg: number;
  /** Human-readable instruction (from the phrases). */
  readonly sig: string;
  readonly timing: Timing;
}

/**
 * One tocilizumab infusion (T-D): a single dose given over `infusionMinutes`.
 * @param infusionMinutes - `treatment.tocilizumab.infusionMinutes`
 */
export function singleInfusionTiming(infusionMinutes: number): Timing {
  return { repeat: { count: 1, duration: infusionMinutes, durationUnit: 'min' } };
}

/**
 * A corticosteroid regimen: every `everyHours`, for `durationDays` when limited (methylprednisolone 3 days).
 * @param regimen - `treatment.steroids.*`
 */
export function regimenTiming(regimen: SteroidRegimen): Timing {
  return {
    repeat: {
      frequency: 1,
      period: regimen.everyHours,
      periodUnit: 'h',
      ...(regimen.durationDays === undefined
        ? {}
        : { boundsDuration: { value: regimen.durationDays, unit: 'd', system: UCUM, code: 'd' } }),
    },
  };
}

function mg(value: number): NonNullable<Dosage['doseAndRate']>[number]['doseQuantity'] {
  return { value, unit: 'mg', system: UCUM, code: 'mg' };
}

/**
 * A new draft order.
 * @param patientId - the hook's patient id (subject `Patient/<id>`)
 * @param spec - what to order
 */
export function draftMedicationRequest(patientId: string, spec: DraftSpec): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    status: 'draft',
    intent: 'proposal',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: spec.rxnorm, display: spec.display }],
      text: spec.display,
    },
    dosageInstruction: [
      {
        text: spec.sig,
        timing: spec.timing,
        route: { coding: [ROUTES.IV], text: 'IV' },
        doseAndRate: [{ doseQuantity: mg(spec.doseMg) }],
      },
    ],
  };
}

/** Drops nulls, empty strings, arrays and objects: FHIR JSON forbids them and so do card invariants. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(prune).filter((v) => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, prune(v)] as const)
      .filter(([, v]) => v !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return value === null || value === '' ? undefined : value;
}

/**
 * The selected draft with its dose rewritten (OS1 `update`): same id and everything else kept, except that
 * the dose becomes `doseMg` mg and a free-text instruction that would contradict it is replaced by `sig`.
 * @param draft - the selected draft as the EHR sent it
 * @param doseMg - the corrected dose
 * @param sig - instruction text for the corrected dose
 */
export function withCorrectedDose(draft: MedicationRequest, doseMg: number, sig: string): MedicationRequest {
  const copy = structuredClone(draft);
  const dosages = copy.dosageInstruction ?? [];
  const index = Math.max(0, dosages.findIndex((d) => (d.doseAndRate ?? []).some((r) => r.doseQuantity !== undefined)));
  const dosage: Dosage = dosages[index] ?? {};
  const rates = dosage.doseAndRate ?? [];
  const rateIndex = Math.max(0, rates.findIndex((r) => r.doseQuantity !== undefined));
  rates[rateIndex] = { ...(rates[rateIndex] ?? {}), doseQuantity: mg(doseMg) };
  dosages[index] = { ...dosage, doseAndRate: rates, ...(dosage.text === undefined ? {} : { text: sig }) };
  copy.dosageInstruction = dosages;
  return prune(copy) as MedicationRequest;
}
