/** The page's one status line (a polite live region: screen readers hear progress and errors). */

/**
 * Shows a status message.
 * @param text - plain text (never data from the FHIR server)
 * @param tone - `error` is styled and announced as an error
 */
export function showStatus(text: string, tone: 'info' | 'error' = 'info'): void {
  const status = document.getElementById('status');
  if (status === null) return;
  status.textContent = text;
  status.dataset['tone'] = tone;
}
