/** Data-quality notes: every reading or record the engine ignored, and why (E1, E5, E6, E7, E8). */
import type { DataQualityNote } from '../../../src/grading/assessment.js';
import { formatQuantity } from './format.js';

const REASONS: Readonly<Record<DataQualityNote['code'], string>> = {
  'unknown-unit': 'unit not understood',
  'implausible-value': 'implausible value',
  'missing-time': 'no clinical time',
  'unresolved-medication': 'medication could not be identified',
  'status-not-counted': 'status that never counts',
  'unlisted-temperature-code': 'temperature code not on the body-temperature list',
};

/** Why a note's datum was ignored, with the status (E1) or the code (E8) it names. */
function reason(note: DataQualityNote): string {
  const detail = note.status ?? note.observationCode;
  return detail === undefined ? REASONS[note.code] : `${REASONS[note.code]} (${detail})`;
}

/**
 * Renders the notes list.
 * @param list - the list element
 * @param notes - the timeline's notes
 */
export function renderNotes(list: HTMLElement, notes: readonly DataQualityNote[]): void {
  if (notes.length === 0) {
    const none = document.createElement('li');
    none.textContent = 'None: every reading and record in the episode was usable.';
    list.replaceChildren(none);
    return;
  }
  list.replaceChildren(
    ...notes.map((note) => {
      const item = document.createElement('li');
      const value = note.value === undefined ? '' : ` ${formatQuantity(note.value, note.unit)}`;
      item.textContent = `Ignored ${note.kind ?? note.resourceType}${value}: ${reason(note)} `;
      const ref = document.createElement('code');
      ref.textContent = `${note.resourceType}/${note.id ?? '(no id)'}`;
      item.append(ref);
      return item;
    }),
  );
}
