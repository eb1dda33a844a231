/** What the timeline holds around one instant: the graded hour it falls in and every datum of that hour. */
import type { EvidenceItem } from '../../src/grading/assessment.js';
import type { GradePoint, Timeline } from './timeline-model.js';
import { HOUR_MS } from './trajectory.js';

/** A datum with what it is, for the details list. */
export interface DetailItem {
  readonly label: string;
  readonly item: EvidenceItem;
}

export interface HourDetails {
  /** The evaluation instant closing the hour. */
  readonly point: GradePoint;
  /** Its index in `timeline.grades` (keyboard navigation). */
  readonly index: number;
  readonly from: number;
  readonly items: readonly DetailItem[];
}

const within = (t: number, from: number, to: number): boolean => t > from && t <= to;

/**
 * The hour at `index` of the grade points.
 * @param timeline - the model
 * @param index - 0 … grades.length − 1 (clamped)
 */
export function hourDetails(timeline: Timeline, index: number): HourDetails | undefined {
  const i = Math.min(timeline.grades.length - 1, Math.max(0, index));
  const point = timeline.grades[i];
  if (point === undefined) return undefined;
  const previous = timeline.grades[i - 1];
  const from = Math.max(previous?.t ?? timeline.episodeStart - 1, point.t - HOUR_MS);
  const items: DetailItem[] = [];
  const readings = [
    ['Temperature', timeline.temperature],
    ['SBP', timeline.sbp],
    ['MAP', timeline.map],
    ['SpO2', timeline.spo2],
  ] as const;
  for (const [label, list] of readings) {
    for (const r of list) if (within(r.t, from, point.t)) items.push({ label, item: r.item });
  }
  const oxygen = timeline.oxygen.find((s) => s.from < point.t && s.to >= point.t);
  for (const item of oxygen?.evidence ?? []) if (within(Date.parse(item.time), from, point.t)) items.push({ label: `Oxygen (${oxygen?.tier})`, item });
  for (const bar of timeline.vasopressors) if (bar.from <= point.t && bar.to > from) items.push({ label: 'Vasopressor running', item: bar.item });
  for (const dose of timeline.doses) if (within(dose.t, from, point.t)) items.push({ label: `Dose (${dose.kind})`, item: dose.item });
  return { point, index: i, from, items };
}

/**
 * The index of the graded hour containing `t` (the first instant at or after it).
 * @param timeline - the model
 * @param t - time, ms
 */
export function hourIndexAt(timeline: Timeline, t: number): number {
  const i = timeline.grades.findIndex((g) => g.t >= t);
  return i === -1 ? timeline.grades.length - 1 : i;
}
