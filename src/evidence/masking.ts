/**
 * F2 fever masking: within the episode a fever (F1 threshold) was documented and, at or after that fever,
 * an anti-cytokine agent, systemic corticosteroid or antipyretic was administered (E2). Masking starts at
 * that administration and lasts for the rest of the episode; an agent given before the first fever does
 * not mask.
 */
import { compareIds } from './partition-resources.js';
import type { MedicationEvent, Reading } from './types.js';

/** The first fever of the episode and when masking was established. */
export interface MaskingFacts {
  /** T1, F2: time of the first fever in the episode, ms. */
  readonly firstFeverAt?: number;
  /** F2: the administration that established masking. */
  readonly maskedBy?: MedicationEvent;
}

/**
 * F2 facts for an episode.
 * @param temperatures - usable temperatures up to asOf (°C)
 * @param agents - masking agents administered up to asOf
 * @param episodeStart - S1-E, ms
 * @param feverCelsius - F1 threshold
 */
export function determineMasking(
  temperatures: readonly Reading[],
  agents: readonly MedicationEvent[],
  episodeStart: number,
  feverCelsius: number,
): MaskingFacts {
  let firstFeverAt: number | undefined;
  for (const t of temperatures) {
    if (t.value < feverCelsius || t.end < episodeStart) continue;
    const at = Math.max(t.start, episodeStart);
    if (firstFeverAt === undefined || at < firstFeverAt) firstFeverAt = at;
  }
  if (firstFeverAt === undefined) return {};
  let maskedBy: MedicationEvent | undefined;
  for (const agent of agents) {
    if (agent.start < firstFeverAt) continue;
    if (
      maskedBy === undefined ||
      agent.start < maskedBy.start ||
      (agent.start === maskedBy.start && compareIds(agent.id, maskedBy.id) < 0)
    ) {
      maskedBy = agent;
    }
  }
  return maskedBy === undefined ? { firstFeverAt } : { firstFeverAt, maskedBy };
}
