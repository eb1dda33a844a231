/**
 * Small pieces of card wording shared by every card: drug and product names from the code lists, the
 * grade, counts in English (C6: "1 dose", "2 doses", never "dose(s)"), ages (H1-P) and doses as charted.
 */
import type { Config, ConceptMap } from '../config/types.js';
import type { CorticosteroidDose, Grade } from '../grading/assessment.js';
import { formatNumber, formatUtc, phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';

/**
 * A concept key as a drug or product name: the first configured name, else the key without hyphens.
 * @param key - concept key (`dexamethasone`, `axicabtagene-ciloleucel`)
 * @param config - for the code lists
 */
export function conceptName(key: string, config: Config): string {
  const lists: ConceptMap[] = [
    config.codeLists.antiCytokines,
    config.codeLists.corticosteroids,
    config.codeLists.vasopressors,
    config.codeLists.inotropes,
    config.codeLists.antipyretics,
    config.codeLists.crsTherapies.carT,
    config.codeLists.crsTherapies.tCellEngagers,
  ];
  const concept = lists.find((list) => Object.hasOwn(list, key))?.[key];
  return concept?.names[0] ?? key.replace(/-/g, ' ');
}

/**
 * The grade as shown: a digit, or "indeterminate" (G-I: `grade` omitted).
 * @param grade - assessment grade
 * @param t - templates
 */
export function gradeText(grade: Grade | undefined, t: CardTemplates): string {
  return grade === undefined ? phrase(t, 'grade.indeterminate') : String(grade);
}

/**
 * C6: a count in English ("1 dose", "3 doses").
 * @param t - templates
 * @param noun - which noun
 * @param count - how many
 */
export function countText(t: CardTemplates, noun: 'dose' | 'record', count: number): string {
  return phrase(t, count === 1 ? `count.${noun}.one` : `count.${noun}.other`, { count });
}

/**
 * H1-P: an age as the threshold was chosen for it ("6", "5 months", "under 1 month").
 * @param age - whole years, and months under one year
 * @param t - templates
 */
export function ageText(age: { readonly ageYears: number; readonly ageMonths?: number }, t: CardTemplates): string {
  if (age.ageYears > 0 || age.ageMonths === undefined) return phrase(t, 'age.years', { years: age.ageYears });
  return age.ageMonths === 0 ? phrase(t, 'age.newborn') : phrase(t, 'age.months', { months: age.ageMonths });
}

/**
 * A corticosteroid administration as charted: "methylprednisolone 1000 mg at 2026-11-21 08:00 UTC".
 * @param dose - from the assessment's T-S inputs
 * @param t - templates
 * @param config - for the drug name
 */
export function steroidDoseText(dose: CorticosteroidDose, t: CardTemplates, config: Config): string {
  return phrase(t, 'evidence.corticosteroid-dose', {
    drug: conceptName(dose.concept, config),
    dose: doseMgText(dose, t),
    time: formatUtc(dose.time),
  });
}

/**
 * "1000 mg", or "(dose not charted)".
 * @param dose - a corticosteroid administration
 * @param t - templates
 */
export function doseMgText(dose: CorticosteroidDose, t: CardTemplates): string {
  return dose.doseMg === undefined ? phrase(t, 'dose.not-charted') : phrase(t, 'dose.mg', { doseMg: formatNumber(dose.doseMg) });
}
