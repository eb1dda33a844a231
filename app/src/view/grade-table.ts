/** The hourly grades as a table: the chart's data for screen readers, and for copying. */
import type { Timeline } from '../timeline-model.js';
import { formatGrade, formatTime } from './format.js';

/**
 * Renders the table body, newest first.
 * @param body - the table's tbody
 * @param timeline - the model
 */
export function renderGradeTable(body: HTMLTableSectionElement, timeline: Timeline): void {
  const rows = [...timeline.grades].reverse().map((point) => {
    const row = document.createElement('tr');
    row.dataset['time'] = new Date(point.t).toISOString();
    const cells = [formatTime(point.t), formatGrade(point.grade), point.masked ? 'yes' : 'no', point.assessment.hypotension.tier, point.assessment.oxygen.tier];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    return row;
  });
  body.replaceChildren(...rows);
}
