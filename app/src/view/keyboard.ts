/**
 * Keyboard use of the chart (WCAG 2.1.1): with the chart focused, ← → move one graded hour, Page Up /
 * Page Down one day, Home / End to the first or last hour; the details panel follows.
 */

const STEPS: Readonly<Record<string, number>> = { ArrowLeft: -1, ArrowRight: 1, PageUp: -24, PageDown: 24 };

/**
 * Wires the keys.
 * @param element - the focusable chart region
 * @param current - the selected index (undefined: none yet)
 * @param count - how many graded hours there are
 * @param select - called with the new index
 */
export function bindChartKeys(element: HTMLElement, current: () => number | undefined, count: () => number, select: (index: number) => void): void {
  element.addEventListener('keydown', (event) => {
    const last = count() - 1;
    if (last < 0) return;
    let next: number | undefined;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (STEPS[event.key] !== undefined) next = (current() ?? last) + (STEPS[event.key] as number);
    if (next === undefined) return;
    event.preventDefault();
    select(Math.min(last, Math.max(0, next)));
  });
}
