/**
 * The assessment of one patient at many evaluation times (a grade trajectory, a what-if replay): the
 * resources are sorted by type and the Observations (the bulk of a record) are extracted once; each
 * instant then limits those facts to itself and scopes the episode (S1–S3, S1-E), the masking periods
 * (F2), the H1-P thresholds and the episode maximum (G-M) exactly as `assessPatient` does at that time.
 * Administrations are few and their E3/E3-R activity depends on the evaluation time (a running infusion,
 * a rate record not yet superseded), so they are extracted per instant by the same function.
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import { assessEpisode } from './assess-patient.js';
import { episodeFromFacts } from './episode-facts.js';
import { extractMedications } from './extract-medications.js';
import { extractVitals, vitalsUpTo } from './extract-vitals.js';
import { partitionResources } from './partition-resources.js';
import type { VitalsFacts } from './types.js';

/** The assessment at one instant. */
export interface TrajectoryPoint {
  /** Evaluation time, ms. */
  readonly at: number;
  /** What `assessPatient(resources, at, config)` returns: null when the patient is not monitored (S3). */
  readonly assessment: Assessment | null;
}

/**
 * Assesses one patient at each of `instants`, equal at every instant to `assessPatient`.
 * @param input - the patient's resources
 * @param instants - evaluation times, ms, in any order (yielded in the order given)
 * @param config - grading options, code lists and treatment settings
 */
export function* assessTrajectory(
  input: readonly Resource[],
  instants: Iterable<number>,
  config: Pick<Config, 'grading' | 'codeLists' | 'treatment'>,
): Generator<TrajectoryPoint> {
  const resources = partitionResources(input);
  const administrations = [...resources.administrations, ...resources.medications];
  let vitals: VitalsFacts | undefined;
  for (const at of instants) {
    const medications = extractMedications(administrations, at, config);
    const episode = episodeFromFacts(
      resources,
      medications,
      () => vitalsUpTo((vitals ??= extractVitals(resources.observations, Number.POSITIVE_INFINITY, config)), at),
      at,
      config,
    );
    yield { at, assessment: episode === undefined ? null : assessEpisode(episode, config) };
  }
}
