/**
 * T-L (crs-rules.md section 4): at most 3 tocilizumab doses in any 24 h (a dose at t is blocked when 3 lie
 * in (t − 24 h, t]), at most 4 in the episode (only doses at or after the episode start), and no sooner than
 * 8 h after the previous dose (exactly 8 h is allowed). Doses before the episode count for the 24 h and 8 h
 * rules. The next allowed time is the latest release; there is none once the episode maximum is reached.
 */
import type { TreatmentConfig } from '../config/types.js';

const HOUR_MS = 3_600_000;

export type TocilizumabLimit = 'per-24h' | 'per-episode' | 'spacing';

export interface LimitBlock {
  readonly limit: TocilizumabLimit;
  /** Doses counted by this limit (for `spacing`: 1). */
  readonly count: number;
  /** When this limit stops blocking, ms; absent for `per-episode` (never within the episode). */
  readonly releaseAt?: number;
}

export interface LimitCheck {
  readonly allowed: boolean;
  readonly blocks: readonly LimitBlock[];
  /** Latest release of all blocks, ms; absent when allowed or when the episode maximum is reached. */
  readonly nextAllowedAt?: number;
  readonly dosesLast24h: number;
  readonly dosesInEpisode: number;
  readonly lastDoseAt?: number;
}

/**
 * Whether a tocilizumab dose at `at` respects T-L.
 * @param doseTimes - start times of given doses, ms, any order (times after `at` are ignored)
 * @param episodeStart - S1-E episode start, ms
 * @param at - when the new dose would be given, ms
 * @param limits - `config.treatment.tocilizumab`
 */
export function checkTocilizumabLimits(
  doseTimes: readonly number[],
  episodeStart: number,
  at: number,
  limits: TreatmentConfig['tocilizumab'],
): LimitCheck {
  const given = doseTimes.filter((t) => t <= at).sort((a, b) => a - b);
  const window = given.filter((t) => t > at - 24 * HOUR_MS);
  const inEpisode = given.filter((t) => t >= episodeStart).length;
  const last = given[given.length - 1];
  const blocks: LimitBlock[] = [];

  if (window.length >= limits.maxDosesPer24h) {
    // The count drops below the maximum when the dose that makes it full leaves (t − 24 h, t].
    const leaving = window[window.length - limits.maxDosesPer24h];
    blocks.push({ limit: 'per-24h', count: window.length, releaseAt: (leaving ?? at) + 24 * HOUR_MS });
  }
  if (inEpisode >= limits.maxDosesPerEpisode) blocks.push({ limit: 'per-episode', count: inEpisode });
  if (last !== undefined && at - last < limits.minHoursBetweenDoses * HOUR_MS) {
    blocks.push({ limit: 'spacing', count: 1, releaseAt: last + limits.minHoursBetweenDoses * HOUR_MS });
  }

  const maxReached = blocks.some((b) => b.limit === 'per-episode');
  const releases = blocks.flatMap((b) => (b.releaseAt === undefined ? [] : [b.releaseAt]));
  return {
    allowed: blocks.length === 0,
    blocks,
    ...(maxReached || releases.length === 0 ? {} : { nextAllowedAt: Math.max(...releases) }),
    dosesLast24h: window.length,
    dosesInEpisode: inEpisode,
    ...(last === undefined ? {} : { lastDoseAt: last }),
  };
}
