/**
 * The hourly ASTCT grade trajectory of one patient, computed by the service's own engine
 * (`assessTrajectory`: at every instant what `assessPatient`, the function behind every card and
 * `crs-cds grade --at`, answers). This module is the ONE place that knows how the trajectory is
 * computed; everything else in the app reads `Trajectory`.
 *
 * Two passes over the same instants, each extracting the record once:
 * - at each hour with the site's configuration: the grade the service would answer at that time;
 * - over the hour alone (a lookback of just under an hour), for what the engine read in that hour: its extreme
 *   readings, oxygen tier and evidence, and the administrations active in it. The engine lists active
 *   administrations (with resource ids and times) only for vasopressors, so the treatment concepts
 *   (anti-cytokines, corticosteroids, antipyretics) are listed there too for that pass; its grade is
 *   never read.
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../../src/config/types.js';
import { assessTrajectory } from '../../src/evidence/assess-trajectory.js';
import type { Assessment } from '../../src/grading/assessment.js';

/** The configuration sections the engine reads. */
export type EngineConfig = Pick<Config, 'grading' | 'codeLists' | 'treatment'>;

export const HOUR_MS = 3_600_000;

/** One evaluation instant of the trajectory. */
export interface TrajectoryHour {
  /** Evaluation time, ms (a whole hour, or the end of the range). */
  readonly at: number;
  /** The assessment at `at` with the site's configuration: what `crs-cds grade --at` answers. */
  readonly assessment: Assessment;
  /**
   * What the engine read in the hour ending at `at`: extreme readings, oxygen tier and evidence,
   * vasopressor and treatment administrations active in it (`hypotension.vasopressors`).
   */
  readonly hour: Assessment;
}

export interface Trajectory {
  /** Oldest first; empty when the patient is not monitored at `to`. */
  readonly hours: readonly TrajectoryHour[];
}

/**
 * The hour pass reads (at − 1 h, at] (the engine's windows are closed: [at − lookback, at]; 1 ms less than
 * an hour makes the start open). So a reading on the hour belongs to the one hour it closes, and an
 * infusion that stops on the hour is not active in the next one.
 */
const HOUR_PASS_LOOKBACK_HOURS = 1 - 1 / HOUR_MS;

/** The hour-pass configuration described above. */
function hourProbeConfig(config: EngineConfig): EngineConfig {
  const { codeLists } = config;
  return {
    ...config,
    grading: { ...config.grading, lookbackHours: HOUR_PASS_LOOKBACK_HOURS },
    codeLists: {
      ...codeLists,
      vasopressors: { ...codeLists.vasopressors, ...codeLists.antiCytokines, ...codeLists.corticosteroids, ...codeLists.antipyretics },
    },
  };
}

/**
 * Grades `to` and every whole hour in [from, to], newest first, lazily: one extraction of the record
 * serves the whole range, and a caller can draw after every day it takes.
 * @param resources - the patient's FHIR resources
 * @param config - the site's effective configuration (grading, code lists, treatment)
 * @param from - first instant, ms (rounded up to the hour)
 * @param to - last instant, ms (the evaluation time)
 */
export function* hoursNewestFirst(resources: readonly Resource[], config: EngineConfig, from: number, to: number): Generator<TrajectoryHour> {
  const instants: number[] = [];
  const lastWholeHour = Math.floor(to / HOUR_MS) * HOUR_MS;
  if (lastWholeHour !== to) instants.push(to);
  for (let at = lastWholeHour; at >= from; at -= HOUR_MS) instants.push(at);
  const hourPass = assessTrajectory(resources, instants, hourProbeConfig(config));
  for (const { at, assessment } of assessTrajectory(resources, instants, config)) {
    const hour = hourPass.next().value?.assessment;
    // Outside the monitoring window (S1) there is no assessment: nothing to chart at that instant.
    if (assessment !== null && hour != null) yield { at, assessment, hour };
  }
}

/**
 * Grades every whole hour in [from, to], and `to` itself when it is not a whole hour. Consecutive
 * ranges ([h0, h1 − 1 h], [h1, now]) therefore add up to the range they cover.
 * @param resources - the patient's FHIR resources
 * @param config - the site's effective configuration (grading, code lists, treatment)
 * @param from - first instant, ms (rounded up to the hour)
 * @param to - last instant, ms (the evaluation time)
 */
export function gradeTrajectory(resources: readonly Resource[], config: EngineConfig, from: number, to: number): Trajectory {
  return { hours: [...hoursNewestFirst(resources, config, from, to)].reverse() };
}
