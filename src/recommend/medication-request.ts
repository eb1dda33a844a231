/**
 * Draft MedicationRequests for order suggestions (contract.md "Order suggestions"; crs-rules.md section 4):
 * status `draft`, intent `proposal`, the RxNorm ingredient coding, route, dose in mg and timing, so the
 * EHR can place the order in one click.
 */
import type { CodeableConcept, Dosage, Medication, MedicationRequest, Quantity, Timing } from 'fhir/r4.js';
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
 * A corticosteroid regimen: every `everyHours`, for `durationDays` when limited (methylprednisolone 3 days,
 * T-C), `doses` times when counted (T-P: once).
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
      ...(regimen.doses === undefined ? {} : { count: regimen.doses }),
    },
  };
}

type DoseAndRate = NonNullable<Dosage['doseAndRate']>[number];

function mg(value: number): DoseAndRate['doseQuantity'] {
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

/** The RxNorm ingredient an order suggestion must carry (contract.md "Order suggestions"). */
export interface IngredientCoding {
  readonly rxnorm: string;
  readonly display: string;
}

function hasCoding(concept: CodeableConcept | undefined, rxnorm: string): boolean {
  return (concept?.coding ?? []).some((c) => c.system === RXNORM && c.code === rxnorm);
}

/** `concept` with the RxNorm ingredient coding appended when missing (its other codings and text kept). */
function withIngredient(concept: CodeableConcept | undefined, ingredient: IngredientCoding): CodeableConcept {
  if (hasCoding(concept, ingredient.rxnorm)) return concept ?? {};
  const coding = { system: RXNORM, code: ingredient.rxnorm, display: ingredient.display };
  return { ...concept, coding: [...(concept?.coding ?? []), coding] };
}

/**
 * Codes the medication of a draft with the RxNorm ingredient, in place. `medication[x]` is a choice, so a
 * draft that names its product by `medicationReference` keeps it (never both): a reference to a contained
 * Medication gets the ingredient coding on that Medication's code (FHIR allows a generic code beside a
 * product code); a reference to an external Medication cannot be coded without replacing the product the
 * physician picked, so it returns false.
 */
function codeMedication(copy: MedicationRequest, ingredient: IngredientCoding): boolean {
  if (copy.medicationReference === undefined) {
    copy.medicationCodeableConcept = withIngredient(copy.medicationCodeableConcept, ingredient);
    return true;
  }
  const reference = copy.medicationReference.reference;
  if (reference === undefined || !reference.startsWith('#')) return false;
  const contained = (copy.contained ?? []).find(
    (r): r is Medication => r.resourceType === 'Medication' && r.id === reference.slice(1),
  );
  if (contained === undefined) return false;
  contained.code = withIngredient(contained.code, ingredient);
  return true;
}

/** A dose in mg from a Quantity in mg or g (UCUM code, else unit text); undefined for anything else. */
function massInMg(quantity: Quantity | undefined): number | undefined {
  const unit = quantity?.code ?? quantity?.unit;
  if (typeof quantity?.value !== 'number') return undefined;
  if (unit === 'mg') return quantity.value;
  return unit === 'g' ? quantity.value * 1000 : undefined;
}

/** A mass per time unit (`mg/h`, `g/min`, `ug/h`, ...): such a rate scales with the dose. */
const MASS_PER_TIME = /^(ug|mg|g)\/(s|min|h|d)$/;
const MASS = /^(ug|mg|g)$/;
const TIME = /^(s|min|h|d)$/;
const unitOf = (quantity: Quantity | undefined): string => quantity?.code ?? quantity?.unit ?? '';

/** `value` scaled by `factor`, to 4 significant digits (1.116 g/h, 868 mg/h: no false precision). */
function scaled(quantity: Quantity, factor: number): Quantity {
  return { ...quantity, value: Number(((quantity.value ?? 0) * factor).toPrecision(4)) };
}

/**
 * One dose-and-rate entry with its rate made to agree with the new dose. A rate in mass per time
 * (`rateQuantity` in mg/h, or a `rateRatio` of a mass over a time) is scaled by new/old dose, which keeps
 * the infusion time the physician chose (700 mg at 700 mg/h becomes 560 mg at 560 mg/h: still 60 min).
 * Any other rate (mL/h depends on the dilution, a range, unknown units) cannot be derived from the dose
 * and is dropped, as is every rate when the old dose is not a mass: a rate that contradicts the dose is
 * worse than none (the EHR asks for it at signing).
 */
function withRateFor(entry: DoseAndRate, factor: number | undefined): DoseAndRate {
  const { rateQuantity, rateRatio, rateRange, ...rest } = entry;
  if (factor === undefined || rateRange !== undefined) return rest;
  if (rateQuantity !== undefined) {
    return MASS_PER_TIME.test(unitOf(rateQuantity)) ? { ...rest, rateQuantity: scaled(rateQuantity, factor) } : rest;
  }
  if (rateRatio?.numerator !== undefined && MASS.test(unitOf(rateRatio.numerator)) && TIME.test(unitOf(rateRatio.denominator))) {
    return { ...rest, rateRatio: { ...rateRatio, numerator: scaled(rateRatio.numerator, factor) } };
  }
  return rest;
}

/**
 * The selected draft with its dose rewritten (OS1 `update`): same id and everything else kept, except that
 * the dose becomes `doseMg` mg, the rates of that dosage follow the new dose (scaled, or dropped when they
 * cannot be derived from it, `withRateFor`), a free-text instruction that would contradict it is replaced
 * by `sig`, the status is `draft` and the medication carries the RxNorm ingredient coding (contract
 * "Order suggestions").
 * @param draft - the selected draft as the EHR sent it
 * @param dose - the corrected dose and the instruction text for it
 * @param ingredient - the RxNorm ingredient (`treatment.tocilizumab.rxnorm`)
 * @returns undefined when the draft references an external Medication (no contract-conform update exists)
 *   or has no id (order-sign: an update could not name the order it rewrites)
 */
export function withCorrectedDose(
  draft: MedicationRequest,
  dose: { readonly doseMg: number; readonly sig: string },
  ingredient: IngredientCoding,
): MedicationRequest | undefined {
  if (typeof draft.id !== 'string' || draft.id === '') return undefined;
  const copy = structuredClone(draft);
  if (!codeMedication(copy, ingredient)) return undefined;
  const dosages = copy.dosageInstruction ?? [];
  const index = Math.max(0, dosages.findIndex((d) => (d.doseAndRate ?? []).some((r) => r.doseQuantity !== undefined)));
  const dosage: Dosage = dosages[index] ?? {};
  const rates = dosage.doseAndRate ?? [];
  const rateIndex = Math.max(0, rates.findIndex((r) => r.doseQuantity !== undefined));
  const oldMg = massInMg(rates[rateIndex]?.doseQuantity);
  const factor = oldMg === undefined || oldMg <= 0 ? undefined : dose.doseMg / oldMg;
  rates[rateIndex] = { ...(rates[rateIndex] ?? {}), doseQuantity: mg(dose.doseMg) };
  const coherent = rates.map((entry) => withRateFor(entry, factor));
  dosages[index] = { ...dosage, doseAndRate: coherent, ...(dosage.text === undefined ? {} : { text: dose.sig }) };
  copy.dosageInstruction = dosages;
  copy.status = 'draft';
  return prune(copy) as MedicationRequest;
}
