/**
 * "Extract once": everything the grading of one patient needs, read from the FHIR resources once per
 * evaluation time and configuration: the scope and episode (S1–S3), the episode's vital signs and
 * administrations (section 2), the H1-P thresholds, and the F2 masking periods. Grading any window of the
 * episode (the current one, every instant of G-M) is then cheap and pure.
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import { maskingPeriods } from '../grading/masking.js';
import type { EpisodeSeries, GradingThresholds, MaskingPeriod, TimedValue, VasopressorStep } from '../grading/types.js';
import { extractMedications, type MedicationFacts } from './extract-medications.js';
import { tierRank } from './extract-oxygen.js';
import { vasopressorSteps } from './extract-vasopressors.js';
import { extractVitals } from './extract-vitals.js';
import { HOUR_MS } from './fhir-time.js';
import { maskingInput, type MaskingFacts } from './masking-input.js';
import { partitionResources, type PartitionedResources } from './partition-resources.js';
import { sbpThresholds, type SbpThresholds } from './patient-age.js';
import { determineScope, type Scope } from './scope.js';
import type { DeviceReading, GradedReadings } from './types.js';
import { episodeReadings, type BeyondEpisode, type ReadingsAt } from './episode-readings.js';

/** H2: the concept key that never counts toward "multiple" (config contract). */
const VASOPRESSIN = 'vasopressin';

/** The episode's data, limited to [episodeStart, asOf] (S1-E), plus what is needed beyond it. */
export interface EpisodeFacts extends GradedReadings {
  readonly asOf: number;
  readonly scope: Scope;
  /** Weights, unusable temperatures and notes up to asOf (read beyond the episode). */
  readonly vitals: BeyondEpisode;
  readonly medications: MedicationFacts;
  readonly thresholds: GradingThresholds;
  readonly sbpThresholds: SbpThresholds;
  readonly vasopressorSteps: readonly VasopressorStep[];
  /** T1, F2: the first fever of the episode, ms. */
  readonly firstFeverAt?: number;
  readonly masking: readonly MaskingPeriod[];
  /** The graded readings that may lie in [from, asOf] (episode-readings.ts): what the current window reads. */
  readonly mayOverlap: (from: number) => GradedReadings;
}

/**
 * Extracts the episode of a patient at `asOf`; undefined when the patient is not monitored (S3).
 * @param input - the patient's resources
 * @param asOf - evaluation time, ms
 * @param config - grading options, code lists and treatment settings
 */
export function extractEpisode(
  input: readonly Resource[],
  asOf: number,
  config: Pick<Config, 'grading' | 'codeLists' | 'treatment'>,
): EpisodeFacts | undefined {
  const resources = partitionResources(input);
  const medications = extractMedications([...resources.administrations, ...resources.medications], asOf, config);
  const readingsAt: ReadingsAt = (episodeStart) =>
    episodeReadings(extractVitals(resources.observations, asOf, config), episodeStart, asOf, config.grading.feverCelsius);
  return episodeFromFacts(resources, medications, readingsAt, asOf, config);
}

/**
 * The episode at `asOf` from facts already extracted up to `asOf` (the trajectory extracts the vital
 * signs once and limits them per instant); undefined when the patient is not monitored (S3).
 * @param resources - the patient's resources by type (Conditions and Patients are read here)
 * @param medications - medication facts up to asOf
 * @param readingsAt - the vital signs at asOf given the episode start, read only for a monitored patient
 * @param asOf - evaluation time, ms
 * @param config - grading options, code lists and treatment settings
 * @param f2 - the F2 masking periods of the facts at asOf (a trajectory passes one that keeps the periods
 *   already ended)
 */
export function episodeFromFacts(
  resources: PartitionedResources,
  medications: MedicationFacts,
  readingsAt: ReadingsAt,
  asOf: number,
  config: Pick<Config, 'grading' | 'codeLists' | 'treatment'>,
  f2: (facts: MaskingFacts, asOf: number) => MaskingPeriod[] = (facts) => maskingPeriods(maskingInput(facts)),
): EpisodeFacts | undefined {
  const { grading } = config;
  const scope = determineScope(resources.conditions, medications.therapies, asOf, grading.monitoringWindowDays, config.codeLists.crsConditions);
  if (scope === undefined) return undefined;

  const { episodeStart } = scope;
  const { vitals, readings: facts, feverTimes, bloodPressureTimes, mayOverlap } = readingsAt(episodeStart);
  const ages = sbpThresholds(resources.patients, episodeStart, asOf, grading);
  const thresholds: GradingThresholds = {
    feverCelsius: grading.feverCelsius,
    sbpBelow: grading.sbpBelow,
    mapBelow: grading.mapBelow,
    lowFlowMaxLpm: grading.lowFlowMaxLpm,
    fio2LowFlowAbovePercent: grading.fio2LowFlowAbovePercent,
    fio2HighFlowFromPercent: grading.fio2HighFlowFromPercent,
  };
  const steps = vasopressorSteps(medications.vasopressors, VASOPRESSIN)
    .filter((s) => s.end > episodeStart && s.start <= asOf)
    .map((s) => ({ ...s, start: Math.max(s.start, episodeStart) }));
  const masking = f2(
    {
      sbp: facts.sbp,
      map: facts.map,
      flows: facts.flows,
      fio2: facts.fio2,
      devices: facts.devices,
      feverTimes,
      bloodPressureTimes,
      episodeStart,
      thresholds,
      sbpThresholds: ages.steps,
      agents: medications.maskingAgents.filter((a) => a.start <= asOf),
      vasopressorSteps: steps,
      resolutionMs: grading.resolutionHours * HOUR_MS,
      maxMs: grading.maskingMaxHours * HOUR_MS,
    },
    asOf,
  );
  const firstFeverAt = feverTimes[0];
  return {
    asOf,
    scope,
    vitals,
    medications,
    thresholds,
    sbpThresholds: ages,
    temperatures: facts.temperatures,
    sbp: facts.sbp,
    map: facts.map,
    spo2: facts.spo2,
    flows: facts.flows,
    fio2: facts.fio2,
    devices: facts.devices,
    vasopressorSteps: steps,
    ...(firstFeverAt === undefined ? {} : { firstFeverAt }),
    masking,
    mayOverlap,
  };
}

/**
 * A device's O1 rank, the same object for the same reading: a trajectory's G-M then finds the earlier
 * hour's data unchanged by identity (series-extension.ts).
 */
const deviceRanks = new WeakMap<DeviceReading, TimedValue>();
function deviceRank(d: DeviceReading): TimedValue {
  let rank = deviceRanks.get(d);
  if (rank === undefined) {
    rank = { start: d.start, end: d.end, value: tierRank(d.tier) };
    deviceRanks.set(d, rank);
  }
  return rank;
}

/**
 * The G-M series of an episode.
 * @param e - the episode
 * @param lookbackMs - the lookback window
 */
export function episodeSeries(e: EpisodeFacts, lookbackMs: number): EpisodeSeries {
  return {
    thresholds: e.thresholds,
    sbpThresholds: e.sbpThresholds.steps,
    episodeStart: e.scope.episodeStart,
    asOf: e.asOf,
    lookbackMs,
    temperatures: e.temperatures,
    sbp: e.sbp,
    map: e.map,
    flows: e.flows.filter((f) => f.value > 0),
    fio2: e.fio2,
    deviceRanks: e.devices.filter((d) => d.tier !== 'none').map(deviceRank),
    vasopressorSteps: e.vasopressorSteps,
    masking: e.masking,
  };
}
