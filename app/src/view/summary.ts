/** The header line: current grade, episode maximum, index therapy and day +N, fever masking. */
import type { Timeline } from '../timeline-model.js';
import { formatGrade, formatTime } from './format.js';

/**
 * Renders the summary.
 * @param element - the summary element
 * @param timeline - the model
 */
export function renderSummary(element: HTMLElement, timeline: Timeline): void {
  const a = timeline.current;
  const facts: string[] = [`Now (${formatTime(a.evaluatedAt)}): ${formatGrade(a.grade)}`];
  facts.push(a.episodeMaxGrade === undefined ? 'episode maximum indeterminate' : `episode maximum ${a.episodeMaxGrade}${a.episodeMaxGradeAt === undefined ? '' : ` (first ${formatTime(a.episodeMaxGradeAt)})`}`);
  const therapy = a.monitoring.indexTherapy;
  facts.push(therapy === undefined ? `CRS diagnosis on record, episode from ${formatTime(a.monitoring.episodeStart)}` : `day +${a.monitoring.dayPlus ?? 0} after ${therapy.display}`);
  if (a.fever.masked) facts.push('fever masked (F2)');
  element.replaceChildren(
    ...facts.map((fact) => {
      const item = document.createElement('li');
      item.textContent = fact;
      return item;
    }),
  );
}
