/**
 * The clinical engine's entry point: from one patient's FHIR R4 resources and an evaluation time, decide
 * whether the patient is monitored (S1–S3) and assess CRS by ASTCT 2019 (section 3): current grade in the
 * lookback window, episode maximum (G-M), and the inputs of the management rules (T-L, T-S, T-D).
 */
import type { Resource } from 'fhir/r4.js';
import type { Config } from '../config/types.js';
import type { Assessment, DataQualityNote } from '../grading/assessment.js';
import { episodeMaxGrade } from '../grading/episode-max.js';
import { gradeCrs } from '../grading/grade-crs.js';
import type { EpisodeSeries, GradingThresholds } from '../grading/types.js';
import { buildAssessment } from './build-assessment.js';
import { compareIds, partitionResources } from './partition-resources.js';
import { summariseWindow } from './current-window.js';
import { extractMedications } from './extract-medications.js';
import { tierRank } from './extract-oxygen.js';
import { vasopressorSteps } from './extract-vasopressors.js';
import { extractVitals } from './extract-vitals.js';
import { DAY_MS, HOUR_MS } from './fhir-time.js';
import { determineMasking } from './masking.js';
import { determineScope } from './scope.js';
import { corticosteroidLastDoses, latestWeight, tocilizumabInputs } from './treatment-inputs.js';

/** H2: the concept key that never counts toward "multiple" (config contract). */
const VASOPRESSIN = 'vasopressin';

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
  const now = asOf.getTime();
  const { grading } = config;
  const resources = partitionResources(input);
  const medications = extractMedications([...resources.administrations, ...resources.medications], now, config);
  const scope = determineScope(
    resources.conditions,
    medications.therapies,
    now,
    grading.monitoringWindowDays,
    config.codeLists.crsConditions,
  );
  if (scope === undefined) return null;

  const vitals = extractVitals(resources.observations, now, config);
  const episodeStart = scope.episodeStart;
  const lookbackMs = grading.lookbackHours * HOUR_MS;
  const thresholds: GradingThresholds = {
    feverCelsius: grading.feverCelsius,
    sbpBelow: grading.sbpBelow,
    mapBelow: grading.mapBelow,
    lowFlowMaxLpm: grading.lowFlowMaxLpm,
  };
  // S1-E: only data at or after the episode start counts, and nothing after asOf.
  const inEpisode = <T extends { readonly start: number; readonly end: number }>(items: readonly T[]): T[] =>
    items.filter((r) => r.start <= now && r.end >= episodeStart);
  const temperatures = inEpisode(vitals.temperatures);
  const masking = determineMasking(temperatures, medications.maskingAgents, episodeStart, grading.feverCelsius);
  const steps = vasopressorSteps(medications.vasopressors, VASOPRESSIN)
    .filter((s) => s.end > episodeStart && s.start <= now)
    .map((s) => ({ ...s, start: Math.max(s.start, episodeStart) }));
  const devices = inEpisode(vitals.devices);
  const flows = inEpisode(vitals.flows);
  const sbp = inEpisode(vitals.sbp);
  const map = inEpisode(vitals.map);

  const from = Math.max(now - lookbackMs, episodeStart);
  const window = summariseWindow({
    from,
    to: now,
    thresholds,
    masked: masking.maskedBy !== undefined,
    temperatures,
    ignoredTemperatureTimes: vitals.ignoredTemperatureTimes.filter((t) => t >= episodeStart),
    sbp,
    map,
    spo2: inEpisode(vitals.spo2),
    flows,
    devices,
    vasopressors: inEpisode(medications.vasopressors),
    vasopressorSteps: steps,
  });
  const current = gradeCrs(window.facts);

  const series: EpisodeSeries = {
    thresholds,
    episodeStart,
    asOf: now,
    lookbackMs,
    temperatures,
    sbp,
    map,
    flows: flows.filter((f) => f.value > 0),
    deviceRanks: devices
      .filter((d) => d.tier !== undefined && d.tier !== 'none')
      .map((d) => ({ start: d.start, end: d.end, value: tierRank(d.tier ?? 'none') })),
    vasopressorSteps: steps,
    ...(masking.maskedBy === undefined ? {} : { maskedFrom: masking.maskedBy.start }),
  };
  const episodeMax = episodeMaxGrade(series);

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
    scope,
    window,
    current,
    episodeMax,
    masking,
    tocilizumab: tocilizumabInputs(medications.tocilizumab, now, episodeStart),
    corticosteroidLastDose: corticosteroidLastDoses(medications.corticosteroids),
    weight: latestWeight(vitals.weights, now, grading.weightMaxAgeDays),
    thresholds,
    spo2Below: grading.spo2Below,
    notes: notes.map((n) => n.note).sort(compareNotes),
  });
}
