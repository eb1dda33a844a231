/**
 * The assessment of one patient at many evaluation times (a grade trajectory, a what-if replay): the
 * resources are sorted by type, the Observations and the administrations are read once; each instant
 * then limits those facts to itself (what depends on the evaluation time, such as a running infusion or
 * an E3-R rate record not yet superseded, is decided per instant) and scopes the episode (S1–S3, S1-E),
 * the masking periods (F2), the H1-P thresholds and the episode maximum (G-M) exactly as `assessPatient`
 * does at that time. From one instant to the next, what has not changed is carried: the vital signs are
 * indexed once per episode start (episode-readings.ts); the masking periods already ended are kept
 * (masking-tracker.ts) and the G-M sweep continues with the new data (episode-max.ts), both only where
 * the later facts are checked to keep the earlier ones.
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import type { Assessment } from '../grading/assessment.js';
import { createEpisodeMaxTracker } from '../grading/episode-max.js';
import { assessEpisode } from './assess-patient.js';
import { episodeFromFacts } from './episode-facts.js';
import { medicationsAt, readAdministrations } from './extract-medications.js';
import { vitalsTimeline, type ReadingsAt } from './episode-readings.js';
import { extractVitals, type VitalsConfig } from './extract-vitals.js';
import { createMaskingTracker } from './masking-tracker.js';
import type { VitalsFacts } from './types.js';
import { partitionResources } from './partition-resources.js';

/** The assessment at one instant. */
export interface TrajectoryPoint {
  /** Evaluation time, ms. */
  readonly at: number;
  /** What `assessPatient(resources, at, config)` returns: null when the patient is not monitored (S3). */
  readonly assessment: Assessment | null;
}

/**
 * The vital signs of one patient's resources, extracted once per extraction settings (VitalsConfig) for
 * all its trajectories: a replay's two configurations usually differ in thresholds only.
 */
export type SharedVitals = Map<string, VitalsFacts>;

function vitalsOf(observations: readonly Resource[], config: VitalsConfig, shared: SharedVitals | undefined): VitalsFacts {
  const key = JSON.stringify([config.grading.plausible, config.codeLists.observations, config.codeLists.oxygenDevices]);
  // JSON writes NaN and ±Infinity as null: such a key could stand for two settings, so it shares nothing.
  const sharing = shared !== undefined && !key.includes('null') ? shared : undefined;
  let vitals = sharing?.get(key);
  if (vitals === undefined) {
    vitals = extractVitals(observations, Number.POSITIVE_INFINITY, config);
    sharing?.set(key, vitals);
  }
  return vitals;
}

/**
 * Assesses one patient at each of `instants`, equal at every instant to `assessPatient`.
 * @param input - the patient's resources
 * @param instants - evaluation times, ms, in any order (yielded in the order given)
 * @param config - grading options, code lists and treatment settings
 * @param shared - vital signs already extracted from the same `input` for another configuration
 */
export function* assessTrajectory(
  input: readonly Resource[],
  instants: Iterable<number>,
  config: Pick<Config, 'grading' | 'codeLists' | 'treatment'>,
  shared?: SharedVitals,
): Generator<TrajectoryPoint> {
  const resources = partitionResources(input);
  const administrations = readAdministrations([...resources.administrations, ...resources.medications], config);
  let vitals: ((asOf: number) => ReadingsAt) | undefined;
  const episodeMax = createEpisodeMaxTracker();
  const masking = createMaskingTracker();
  for (const at of instants) {
    const medications = medicationsAt(administrations, at, config);
    const episode = episodeFromFacts(
      resources,
      medications,
      (episodeStart) => (vitals ??= vitalsTimeline(vitalsOf(resources.observations, config, shared), config.grading.feverCelsius))(at)(episodeStart),
      at,
      config,
      masking,
    );
    yield { at, assessment: episode === undefined ? null : assessEpisode(episode, config, episodeMax) };
  }
}
