/** The details panel: the selected hour's grade and every datum in it, with its FHIR resource id and time. */
import type { HourDetails } from '../hour-details.js';
import { formatGrade, formatQuantity, formatTime } from './format.js';

/**
 * Renders the details of one hour.
 * @param panel - the details element (a live region)
 * @param details - the hour, or undefined to clear
 */
export function renderDetails(panel: HTMLElement, details: HourDetails | undefined): void {
  panel.replaceChildren();
  if (details === undefined) return;
  const { point } = details;
  const heading = document.createElement('h2');
  heading.textContent = `${formatTime(point.t)}: ${formatGrade(point.grade)}${point.masked ? ' (fever masked, F2)' : ''}`;
  panel.append(heading);
  if (details.items.length === 0) {
    const none = document.createElement('p');
    none.textContent = 'No graded reading or administration in this hour.';
    panel.append(none);
    return;
  }
  const list = document.createElement('ul');
  for (const { label, item } of details.items) {
    const li = document.createElement('li');
    const value = item.value === undefined ? '' : ` ${formatQuantity(item.value, item.unit)}`;
    const display = item.display === undefined ? '' : ` ${item.display}`;
    li.textContent = `${label}:${display}${value} at ${formatTime(item.time)} `;
    const ref = document.createElement('code');
    ref.textContent = `${item.resourceType}/${item.id ?? '(no id)'}`;
    li.append(ref);
    list.append(li);
  }
  panel.append(list);
}
