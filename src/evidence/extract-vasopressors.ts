/**
 * H2 vasopressor concurrency. The administrations' half-open activity periods (E3) are swept over their
 * endpoints into steps of a count function: how many distinct ingredients are active at each moment, with
 * and without vasopressin (which never counts toward "multiple", but alone is "a vasopressor"). Several
 * administrations of one ingredient count once. A step is emitted only after every edge at an instant has
 * been applied, so an infusion ending at 10:00 and one starting at 10:00 are never concurrent (E3 half-open).
 * A step is marked when some administration running in it was active only by E3-R rate inference.
 */
import type { VasopressorStep } from '../grading/types.js';
import type { MedicationEvent } from './types.js';

interface Edge {
  readonly at: number;
  /** +1 start, −1 end */
  readonly delta: 1 | -1;
  readonly concept: string;
  /** E3-R: the administration's activity was inferred from its charted rate. */
  readonly inferred: boolean;
}

/**
 * Steps of the vasopressor count function, in time order; periods where nothing is active are omitted.
 * @param events - vasopressor administrations (H2 concepts only)
 * @param excluded - the concept key that never counts toward "multiple" (vasopressin)
 */
export function vasopressorSteps(events: readonly MedicationEvent[], excluded: string): VasopressorStep[] {
  const edges: Edge[] = [];
  for (const e of events) {
    if (!(e.end > e.start)) continue;
    const inferred = e.rateInferred === true;
    edges.push({ at: e.start, delta: 1, concept: e.concept, inferred });
    if (Number.isFinite(e.end)) edges.push({ at: e.end, delta: -1, concept: e.concept, inferred });
  }
  edges.sort((a, b) => a.at - b.at);

  const running = new Map<string, number>();
  const steps: VasopressorStep[] = [];
  let active = 0;
  let concurrent = 0;
  let inferredRunning = 0;
  for (let i = 0; i < edges.length; i += 1) {
    const edge = edges[i] as Edge;
    const before = running.get(edge.concept) ?? 0;
    const after = before + edge.delta;
    running.set(edge.concept, after);
    const change = before === 0 && after > 0 ? 1 : before > 0 && after === 0 ? -1 : 0;
    active += change;
    if (edge.concept !== excluded) concurrent += change;
    if (edge.inferred) inferredRunning += edge.delta;
    const next = edges[i + 1];
    if (next !== undefined && next.at === edge.at) continue;
    if (active > 0) {
      const end = next?.at ?? Number.POSITIVE_INFINITY;
      steps.push(inferredRunning > 0 ? { start: edge.at, end, active, concurrent, inferred: true } : { start: edge.at, end, active, concurrent });
    }
  }
  return steps;
}

/**
 * H2 over one window [from, to]: whether a vasopressor is active, the most concurrent (vasopressin
 * excluded) and whether "multiple" rests only on activity inferred from charted rates (E3-R).
 * @param steps - from {@link vasopressorSteps}
 * @param from - window start, ms (closed)
 * @param to - window end, ms (closed)
 */
export function vasopressorsInWindow(
  steps: readonly VasopressorStep[],
  from: number,
  to: number,
): { readonly active: boolean; readonly maxConcurrent: number; readonly concurrencyInferred: boolean } {
  let active = false;
  let maxConcurrent = 0;
  let multipleCharted = false;
  let multipleInferred = false;
  for (const step of steps) {
    if (step.start > to || step.end <= from) continue;
    active = active || step.active > 0;
    maxConcurrent = Math.max(maxConcurrent, step.concurrent);
    if (step.concurrent >= 2) {
      if (step.inferred === true) multipleInferred = true;
      else multipleCharted = true;
    }
  }
  return { active, maxConcurrent, concurrencyInferred: multipleInferred && !multipleCharted };
}
