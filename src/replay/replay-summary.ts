/** The cohort-wide totals of a replay, accumulated patient by patient (nothing per patient is kept). */
import { DIFF_FIELDS, type Burden, type DiffField, type PatientReplay } from './replay-patient.js';

export interface ReplaySummary {
  readonly patients: number;
  readonly hours: number;
  readonly episodeHours: number;
  /** Patients with at least one change of the field. */
  readonly patientsChanged: Readonly<Record<DiffField | 'any', number>>;
  readonly baseline: Burden;
  readonly proposed: Burden;
}

const noCards = (): Record<keyof Burden, number> => ({ cards: 0, info: 0, warning: 0, critical: 0 });

/** A summary that grows with each patient. */
export function summaryAccumulator(): { add(patient: PatientReplay): void; result(): ReplaySummary } {
  let patients = 0;
  let hours = 0;
  let episodeHours = 0;
  const changed: Record<DiffField | 'any', number> = { grade: 0, episodeMax: 0, orders: 0, card: 0, any: 0 };
  const baseline = noCards();
  const proposed = noCards();
  return {
    add(p) {
      patients += 1;
      hours += p.hours;
      episodeHours += p.episodeHours;
      for (const field of DIFF_FIELDS) if (p.changes.some((c) => c.field === field)) changed[field] += 1;
      if (p.changes.length > 0) changed.any += 1;
      for (const key of Object.keys(baseline) as (keyof Burden)[]) {
        baseline[key] += p.baseline[key];
        proposed[key] += p.proposed[key];
      }
    },
    result: () => ({ patients, hours, episodeHours, patientsChanged: { ...changed }, baseline: { ...baseline }, proposed: { ...proposed } }),
  };
}
