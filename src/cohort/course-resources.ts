/**
 * FHIR R4 resources of one planned course, shaped like US Core (vital-signs category; LOINC codes of
 * crs-rules.md 6.5 with body temperature 8310-5; a blood-pressure panel with systolic and diastolic
 * components; pulse oximetry with the inhaled O2 flow rate as a component; UCUM units) and the FHIR
 * MedicationAdministration examples (RxNorm ingredient codes of 6.2/6.3, infusions as effectivePeriod,
 * dose and route). Oxygen devices are SNOMED CT codes of 6.1 under "method of oxygen delivery".
 */
import type { CodeableConcept, MedicationAdministration, Observation, Patient, Resource } from 'fhir/r4.js';
import { LOINC, RXNORM, SNOMED } from '../config/defaults.js';
import type { CoursePlan, OxygenTier } from './course-plan.js';
import { HOUR_MS } from './course-plan.js';
import { itemSeed, seededRandom } from './random.js';

const UCUM = 'http://unitsofmeasure.org';
const VITAL_SIGNS: CodeableConcept[] = [
  { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] },
];
const loinc = (code: string, display: string): CodeableConcept => ({ coding: [{ system: LOINC, code, display }], text: display });
const quantity = (value: number, unit: string, code = unit) => ({ value, unit, system: UCUM, code });

const DEVICES: Readonly<Record<OxygenTier, { code: string; display: string }>> = {
  'low-flow': { code: '336623009', display: 'Oxygen nasal cannula' },
  'high-flow': { code: '426854004', display: 'High flow oxygen nasal cannula' },
  'positive-pressure': { code: '243142003', display: 'Dual pressure spontaneous ventilation support' },
};
const DRUGS = {
  tocilizumab: '612865',
  dexamethasone: '3264',
  methylprednisolone: '6902',
  acetaminophen: '161',
  norepinephrine: '7512',
  epinephrine: '3992',
  phenylephrine: '8163',
  vasopressin: '11149',
} as const;
const ROUTES: Readonly<Record<'iv' | 'oral', CodeableConcept>> = {
  iv: { coding: [{ system: SNOMED, code: '47625008', display: 'Intravenous route' }] },
  oral: { coding: [{ system: SNOMED, code: '26643006', display: 'Oral route' }] },
};

const iso = (t: number): string => new Date(t).toISOString().replace('.000Z', 'Z');
const round1 = (v: number): number => Math.round(v * 10) / 10;

/**
 * @param plan - the course
 * @param seed - the cohort seed (values are drawn from their own stream, so plans stay comparable)
 * @returns every resource of the patient: Patient first, then in time order per kind
 */
export function courseResources(plan: CoursePlan, seed: number): Resource[] {
  const r = seededRandom(itemSeed(seed ^ 0x27d4eb2f, Number(plan.patientId.slice(-5))));
  const subject = { reference: `Patient/${plan.patientId}` };
  const id = (kind: string, n: number): string => `${plan.patientId}-${kind}-${n}`;
  const out: Resource[] = [];
  const patient: Patient = {
    resourceType: 'Patient',
    id: plan.patientId,
    meta: { tag: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'HTEST', display: 'test health data' }] },
    name: [{ family: 'Synthetic', given: [`Cohort ${plan.patientId.slice(-5)}`] }],
    gender: plan.gender,
    birthDate: plan.birthDate,
  };
  out.push(patient);

  const observation = (kind: string, n: number, at: number, code: CodeableConcept, rest: Partial<Observation>, vitalSign = true): Observation => ({
    resourceType: 'Observation',
    id: id(kind, n),
    status: 'final',
    ...(vitalSign ? { category: VITAL_SIGNS } : {}),
    code,
    subject,
    effectiveDateTime: iso(at),
    ...rest,
  });
  [plan.infusionAt - 24 * HOUR_MS, plan.infusionAt + 7 * 24 * HOUR_MS].forEach((at, n) => {
    if (at <= plan.courseEnd) {
      out.push(observation('weight', n, at, loinc('29463-7', 'Body weight'), { valueQuantity: quantity(round1(plan.weightKg + r.between(-0.8, 0.8)), 'kg') }));
    }
  });

  const child = plan.ageYears < 10;
  // H1-P: a child's low pressure is below the age limit (70 + 2 × age) as well as the adult 90 mmHg.
  const lowSbpMax = Math.min(90, child ? 70 + 2 * plan.ageYears : 90) - 4;
  const inside = (t: number, i: { start: number; end: number } | undefined): boolean => i !== undefined && t >= i.start && t < i.end;
  plan.vitalsAt.forEach((t, n) => {
    const at = (): number => t + r.int(0, 9) * 60 * 1000;
    const febrile = inside(t, plan.fever);
    const oxygen = plan.oxygen.find((o) => inside(t, o));
    const onPressor = plan.vasopressors.some((v) => inside(t, v));
    const temp = febrile ? r.between(38.3, 40.2) : r.between(36.4, 37.6);
    out.push(observation('temp', n, at(), loinc('8310-5', 'Body temperature'), { valueQuantity: quantity(round1(temp), 'Cel') }));
    const sbp = inside(t, plan.hypotension) ? r.int(lowSbpMax - 12, lowSbpMax) : onPressor ? r.int(94, 108) : child ? r.int(96, 116) : r.int(106, 138);
    out.push(
      observation('bp', n, at(), loinc('85354-9', 'Blood pressure panel with all children optional'), {
        component: [
          { code: loinc('8480-6', 'Systolic blood pressure'), valueQuantity: quantity(sbp, 'mmHg', 'mm[Hg]') },
          { code: loinc('8462-4', 'Diastolic blood pressure'), valueQuantity: quantity(Math.round(sbp * r.between(0.55, 0.68)), 'mmHg', 'mm[Hg]') },
        ],
      }),
    );
    out.push(observation('hr', n, at(), loinc('8867-4', 'Heart rate'), { valueQuantity: quantity(febrile ? r.int(104, 138) : r.int(64, 96), '/min') }));
    out.push(observation('rr', n, at(), loinc('9279-1', 'Respiratory rate'), { valueQuantity: quantity(oxygen === undefined ? r.int(14, 20) : r.int(22, 30), '/min') }));
    const spo2 = oxygen === undefined ? r.int(94, 99) : r.int(91, 96);
    out.push(
      observation('spo2', n, at(), { coding: [{ system: LOINC, code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' }, { system: LOINC, code: '2708-6', display: 'Oxygen saturation in Arterial blood' }] }, {
        valueQuantity: quantity(spo2, '%'),
        ...(oxygen?.flowLpm === undefined
          ? {}
          : { component: [{ code: loinc('3151-8', 'Inhaled oxygen flow rate'), valueQuantity: quantity(oxygen.flowLpm, 'L/min') }] }),
      }),
    );
    if (oxygen !== undefined) {
      const device = DEVICES[oxygen.tier];
      out.push(
        observation(
          'o2device',
          n,
          at(),
          loinc('107117-4', 'Method of oxygen delivery'),
          { valueCodeableConcept: { coding: [{ system: SNOMED, ...device }], text: device.display } },
          false,
        ),
      );
    }
  });

  const administration = (
    kind: string,
    n: number,
    drug: keyof typeof DRUGS | { text: string },
    timing: Pick<MedicationAdministration, 'effectiveDateTime' | 'effectivePeriod'>,
    dosage?: MedicationAdministration['dosage'],
  ): MedicationAdministration => ({
    resourceType: 'MedicationAdministration',
    id: id(kind, n),
    status: 'completed',
    medicationCodeableConcept: typeof drug === 'string' ? { coding: [{ system: RXNORM, code: DRUGS[drug], display: drug }], text: drug } : drug,
    subject,
    ...timing,
    ...(dosage === undefined ? {} : { dosage }),
  });
  out.push(administration('cart', 0, { text: plan.product }, { effectiveDateTime: iso(plan.infusionAt) }, { route: ROUTES.iv }));
  const upToEnd = <T extends { at: number }>(items: readonly T[]): T[] => items.filter((i) => i.at <= plan.courseEnd);
  upToEnd(plan.tocilizumabAt.map((at) => ({ at }))).forEach(({ at }, n) =>
    out.push(
      administration('toci', n, 'tocilizumab', { effectivePeriod: { start: iso(at), end: iso(at + HOUR_MS) } }, { route: ROUTES.iv, dose: quantity(plan.tocilizumabMg, 'mg') }),
    ),
  );
  upToEnd(plan.steroids).forEach((s, n) =>
    out.push(
      administration('steroid', n, s.drug, s.drug === 'methylprednisolone' ? { effectivePeriod: { start: iso(s.at), end: iso(s.at + HOUR_MS) } } : { effectiveDateTime: iso(s.at) }, {
        route: ROUTES.iv,
        dose: quantity(s.doseMg, 'mg'),
      }),
    ),
  );
  upToEnd(plan.acetaminophenAt.map((at) => ({ at }))).forEach(({ at }, n) =>
    out.push(administration('apap', n, 'acetaminophen', { effectiveDateTime: iso(at) }, { route: ROUTES.oral, dose: quantity(plan.acetaminophenMg, 'mg') })),
  );
  plan.vasopressors
    .filter((v) => v.start <= plan.courseEnd)
    .forEach((v, n) =>
      out.push(
        administration('pressor', n, v.drug, { effectivePeriod: { start: iso(v.start), end: iso(Math.min(v.end, plan.courseEnd)) } }, {
          route: ROUTES.iv,
          rateQuantity: v.drug === 'vasopressin' ? quantity(0.03, 'U/min', '[U]/min') : quantity(round1(r.between(0.05, 0.3)), 'ug/kg/min', 'ug/kg/min'),
        }),
      ),
    );
  return out;
}
