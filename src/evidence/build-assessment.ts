/**
 * Assembles the plain-JSON `Assessment` (the `crs-cds.assessment` extension) from the engine's parts:
 * optional keys are omitted rather than undefined, required arrays are always present.
 */
import type { Assessment, DataGap, DataQualityNote, EvidenceItem, Finding } from '../grading/assessment.js';
import type { CrsGrade, EpisodeMax, GradingThresholds } from '../grading/types.js';
import type { WindowSummary } from './current-window.js';
import { DAY_MS, isoOf } from './fhir-time.js';
import { medicationItem } from './evidence-items.js';
import type { MaskingFacts } from './masking.js';
import type { Scope } from './scope.js';

/** Everything the assessment is made of. */
export interface AssessmentParts {
  readonly asOf: number;
  readonly lookbackHours: number;
  readonly scope: Scope;
  readonly window: WindowSummary;
  readonly current: CrsGrade;
  readonly episodeMax: EpisodeMax;
  readonly masking: MaskingFacts;
  readonly tocilizumab: Assessment['tocilizumab'];
  readonly corticosteroidLastDose: Assessment['corticosteroidLastDose'];
  readonly weight: Assessment['weight'] | undefined;
  readonly thresholds: GradingThresholds;
  readonly spo2Below: number;
  readonly notes: readonly DataQualityNote[];
}

function monitoring(scope: Scope, asOf: number): Assessment['monitoring'] {
  const therapy = scope.indexTherapy;
  // A charted id that is not a string is no id.
  const conditionIds = scope.conditions.map((c) => c.id).filter((id): id is string => typeof id === 'string');
  return {
    basis: scope.basis,
    episodeStart: isoOf(scope.episodeStart),
    ...(therapy === undefined
      ? {}
      : {
          indexTherapy: {
            concept: therapy.concept,
            category: therapy.category,
            display: therapy.display ?? therapy.concept,
            start: isoOf(therapy.start),
            ...(therapy.id === undefined ? {} : { id: therapy.id }),
          },
          // S1: whole 24 h periods since the index therapy started (day 0 = the first 24 h).
          dayPlus: Math.floor((asOf - therapy.start) / DAY_MS),
        }),
    ...(conditionIds.length === 0 ? {} : { conditionIds }),
  };
}

function findings(parts: AssessmentParts, oxygenEvidence: readonly EvidenceItem[]): Finding[] {
  const { window, current, thresholds } = parts;
  const out: Finding[] = [];
  if (current.notAttributable) {
    // Grade table, grade 0: hypotension or oxygen need without fever is not attributable to CRS.
    const evidence: EvidenceItem[] = [];
    if (window.lowestSbp?.value !== undefined && window.lowestSbp.value < thresholds.sbpBelow) evidence.push(window.lowestSbp);
    if (window.lowestMap?.value !== undefined && window.lowestMap.value < thresholds.mapBelow) evidence.push(window.lowestMap);
    evidence.push(...window.vasopressors, ...oxygenEvidence);
    out.push({ code: 'not-attributable-without-fever', evidence });
  }
  const spo2 = window.lowestSpo2;
  if (spo2?.value !== undefined && spo2.value < parts.spo2Below && current.oxygenTier === 'none') {
    // O1: low SpO2 without documented oxygen support is shown, never graded.
    out.push({ code: 'low-spo2-without-oxygen', evidence: [spo2] });
  }
  return out;
}

function dataGaps(parts: AssessmentParts): DataGap[] {
  const gaps: DataGap[] = [];
  if (parts.current.grade === null) {
    gaps.push({ code: parts.window.onlyUnusableTemperatures ? 'no-usable-temperature' : 'no-temperature' });
  }
  if (parts.weight === undefined) gaps.push({ code: 'no-weight' });
  return gaps;
}

/**
 * Builds the assessment.
 * @param parts - the engine's results
 */
export function buildAssessment(parts: AssessmentParts): Assessment {
  const { window, current, episodeMax, masking } = parts;
  const oxygenEvidence = window.oxygenByTier.get(current.oxygenTier) ?? [];
  return {
    scale: 'ASTCT-2019',
    grade: current.grade,
    episodeMaxGrade: episodeMax.grade,
    ...(episodeMax.at === undefined ? {} : { episodeMaxGradeAt: isoOf(episodeMax.at) }),
    evaluatedAt: isoOf(parts.asOf),
    lookbackHours: parts.lookbackHours,
    monitoring: monitoring(parts.scope, parts.asOf),
    fever: {
      present: current.febrile,
      ...(window.maxTemperature === undefined ? {} : { max: window.maxTemperature }),
      ...(masking.firstFeverAt === undefined ? {} : { firstFeverAt: isoOf(masking.firstFeverAt) }),
      masked: current.masked,
      ...(masking.maskedBy === undefined ? {} : { maskedBy: medicationItem(masking.maskedBy) }),
    },
    hypotension: {
      tier: current.hypotensionTier,
      ...(window.lowestSbp === undefined ? {} : { lowestSbp: window.lowestSbp }),
      ...(window.lowestMap === undefined ? {} : { lowestMap: window.lowestMap }),
      vasopressors: window.vasopressors,
      maxConcurrentVasopressors: window.facts.maxConcurrentVasopressors,
    },
    oxygen: {
      tier: current.oxygenTier,
      evidence: oxygenEvidence,
      ...(window.lowestSpo2 === undefined ? {} : { lowestSpo2: window.lowestSpo2 }),
      ...(window.unrecognisedDevices.length === 0 ? {} : { unrecognisedDevices: window.unrecognisedDevices }),
    },
    tocilizumab: parts.tocilizumab,
    corticosteroidLastDose: parts.corticosteroidLastDose,
    ...(parts.weight === undefined ? {} : { weight: parts.weight }),
    findings: findings(parts, oxygenEvidence),
    dataGaps: dataGaps(parts),
    dataQuality: parts.notes,
  };
}
