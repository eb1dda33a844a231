/**
 * The clinical engine's entry point: from one patient's FHIR R4 resources and an evaluation time, decide
 * whether the patient is monitored (S1–S3) and assess CRS by ASTCT 2019 (section 3): current grade in the
 * lookback window, episode maximum (G-M), and the inputs of the management rules (T-L, T-S, T-D).
 * The episode is extracted once (episode-facts.ts); grading the windows is pure.
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import type { Assessment, DataQualityNote } from '../grading/assessment.js';
import { episodeMaxGrade } from '../grading/episode-max.js';
import { gradeCrs } from '../grading/grade-crs.js';
import { maskingAt } from '../grading/masking.js';
import type { EpisodeMax, EpisodeSeries } from '../grading/types.js';
import { buildAssessment } from './build-assessment.js';
import { summariseWindow } from './current-window.js';
import { episodeSeries, extractEpisode, type EpisodeFacts } from './episode-facts.js';
import { DAY_MS, HOUR_MS } from './fhir-time.js';
import { compareIds } from './partition-resources.js';
import { corticosteroidExposure, latestWeight, tocilizumabInputs } from './treatment-inputs.js';

/** Notes in a stable order, whatever the input order. */
function compareNotes(a: DataQualityNote, b: DataQualityNote): number {
  const byType = a.resourceType.localeCompare(b.resourceType);
  if (byType !== 0) return byType;
  const byId = compareIds(a.id, b.id);
  return byId !== 0 ? byId : `${a.code}|${a.kind ?? ''}`.localeCompare(`${b.code}|${b.kind ?? ''}`);
}

/**
 * Assesses one patient at `asOf`.
 * @param input - the patient's resources (Patient, Observation, MedicationAdministration, Medication,
 *   Condition; anything else is ignored)
 * @param asOf - evaluation time; data timed after it is ignored (replay)
 * @param config - grading options, code lists and treatment settings
 * @returns the assessment, or null when the patient is not monitored (S3)
 */
export function assessPatient(
  input: readonly Resource[],
  asOf: Date,
  config: Pick<Config, 'grading' | 'codeLists' | 'treatment'>,
): Assessment | null {
  const episode = extractEpisode(input, asOf.getTime(), config);
  return episode === undefined ? null : assessEpisode(episode, config);
}

/**
 * Assesses an extracted episode at its evaluation time (`episode.asOf`).
 * @param episode - the episode's facts up to its evaluation time
 * @param config - grading options and treatment settings
 * @param episodeMax - G-M of the episode's series (a trajectory passes one that continues its sweep)
 */
export function assessEpisode(
  episode: EpisodeFacts,
  config: Pick<Config, 'grading' | 'treatment'>,
  episodeMax: (series: EpisodeSeries) => EpisodeMax = episodeMaxGrade,
): Assessment {
  const now = episode.asOf;
  const { grading } = config;
  const { scope, vitals, medications } = episode;
  const episodeStart = scope.episodeStart;
  const lookbackMs = grading.lookbackHours * HOUR_MS;
  const from = Math.max(now - lookbackMs, episodeStart);
  const masking = maskingAt(episode.masking, now);
  // H1-P: the current window is graded with the threshold of the evaluation time.
  const sbpBelow = episode.sbpThresholds.atAsOf?.mmHg ?? grading.sbpBelow;
  const window = summariseWindow({
    readings: episode.mayOverlap(from),
    vasopressorSteps: episode.vasopressorSteps,
    from,
    to: now,
    thresholds: { ...episode.thresholds, sbpBelow },
    masked: masking !== undefined,
    // The window lies in the episode (from ≥ episodeStart), so what it keeps of these is in the episode too.
    ignoredTemperatureTimes: vitals.ignoredTemperatureTimes,
    vasopressors: episode.medications.vasopressors,
  });
  const current = gradeCrs(window.facts);

  const weightFrom = now - grading.weightMaxAgeDays * DAY_MS;
  const monitoringFrom = now - grading.monitoringWindowDays * DAY_MS;
  const notes = [...vitals.notes, ...medications.notes].filter(({ note, at }) => {
    if (at === undefined) return true;
    if (note.kind === 'weight') return at >= weightFrom && at <= now;
    if (note.resourceType === 'MedicationAdministration') return at >= monitoringFrom && at <= now;
    return at >= from && at <= now;
  });

  return buildAssessment({
    asOf: now,
    lookbackHours: grading.lookbackHours,
    episode,
    window,
    current,
    episodeMax: episodeMax(episodeSeries(episode, lookbackMs)),
    tocilizumab: tocilizumabInputs(medications.tocilizumab, now, episodeStart),
    corticosteroids: corticosteroidExposure(medications.corticosteroids, now, config.treatment),
    weight: latestWeight(vitals.weights, now, grading.weightMaxAgeDays),
    spo2Below: grading.spo2Below,
    notes: notes.map((n) => n.note).sort(compareNotes),
  });
}
