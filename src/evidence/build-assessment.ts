/**
 * Assembles the plain-JSON `Assessment` (the `crs-cds.assessment` extension) from the engine's parts. It
 * follows the CDS Hooks JSON rule (contract revision 2): optional keys and empty lists are omitted, never
 * null or empty; an indeterminate grade is `grade` omitted plus `indeterminate: true`.
 */
import type { Assessment, DataGap, DataQualityNote, EvidenceItem, Finding } from '../grading/assessment.js';
import { maskingAt } from '../grading/masking.js';
import type { CrsGrade, EpisodeMax, MaskingPeriod } from '../grading/types.js';
import type { WindowSummary } from './current-window.js';
import type { EpisodeFacts } from './episode-facts.js';
import { DAY_MS, isoOf } from './fhir-time.js';
import { medicationItem } from './evidence-items.js';
import { compareIds } from './partition-resources.js';
import type { Scope } from './scope.js';
import type { MedicationEvent } from './types.js';

/** Everything the assessment is made of. */
export interface AssessmentParts {
  readonly asOf: number;
  readonly lookbackHours: number;
  readonly episode: EpisodeFacts;
  readonly window: WindowSummary;
  readonly current: CrsGrade;
  readonly episodeMax: EpisodeMax;
  readonly tocilizumab: Assessment['tocilizumab'];
  readonly corticosteroids: Assessment['corticosteroids'];
  readonly weight: Assessment['weight'] | undefined;
  readonly spo2Below: number;
  readonly notes: readonly DataQualityNote[];
}

/** `{ [key]: list }` when the list has items, `{}` otherwise (the JSON rule: no empty arrays). */
function listOf<K extends string, T>(key: K, list: readonly T[]): { [P in K]?: readonly T[] } {
  return (list.length === 0 ? {} : { [key]: list }) as { [P in K]?: readonly T[] };
}

function monitoring(scope: Scope, asOf: number): Assessment['monitoring'] {
  const therapy = scope.indexTherapy;
  // A charted id that is not a string is no id.
  const conditionIds = scope.conditions.map((c) => c.id).filter((id): id is string => typeof id === 'string' && id !== '');
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
    ...listOf('conditionIds', conditionIds),
  };
}

/** The agent that started a masking period (the earliest id among agents given at that instant). */
function agentAt(agents: readonly MedicationEvent[], period: MaskingPeriod): EvidenceItem | undefined {
  let best: MedicationEvent | undefined;
  for (const a of agents) {
    if (a.start === period.from && (best === undefined || compareIds(a.id, best.id) < 0)) best = a;
  }
  return best === undefined ? undefined : medicationItem(best);
}

function fever(parts: AssessmentParts): Assessment['fever'] {
  const { episode, window, current, asOf } = parts;
  const { firstFeverAt } = episode;
  const agents = episode.medications.maskingAgents;
  const active = maskingAt(episode.masking, asOf);
  const ended = active === undefined ? episode.masking.filter((p) => p.to <= asOf).pop() : undefined;
  const maskedBy = active === undefined ? undefined : agentAt(agents, active);
  const endedAgent = ended === undefined ? undefined : agentAt(agents, ended);
  return {
    present: current.febrile,
    ...(window.maxTemperature === undefined ? {} : { max: window.maxTemperature }),
    ...(window.latestTemperature === undefined ? {} : { latest: window.latestTemperature }),
    ...(firstFeverAt === undefined ? {} : { firstFeverAt: isoOf(firstFeverAt) }),
    masked: current.masked,
    ...(maskedBy === undefined ? {} : { maskedBy }),
    ...(ended === undefined || endedAgent === undefined ? {} : { maskingEnded: { at: isoOf(ended.to), by: ended.endedBy, agent: endedAgent } }),
  };
}

function findings(parts: AssessmentParts, oxygenEvidence: readonly EvidenceItem[]): Finding[] {
  const { window, current } = parts;
  const { sbpBelow, mapBelow } = window.facts.thresholds;
  const out: Finding[] = [];
  if (current.notAttributable) {
    // Grade table, grade 0: hypotension or oxygen need without fever is not attributable to CRS.
    const evidence: EvidenceItem[] = [];
    if (window.lowestSbp?.value !== undefined && window.lowestSbp.value < sbpBelow) evidence.push(window.lowestSbp);
    if (window.lowestMap?.value !== undefined && window.lowestMap.value < mapBelow) evidence.push(window.lowestMap);
    evidence.push(...window.vasopressors, ...oxygenEvidence);
    out.push({ code: 'not-attributable-without-fever', ...listOf('evidence', evidence) });
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
  const { window, current, episodeMax, episode } = parts;
  const oxygenEvidence = window.oxygenByTier.get(current.oxygenTier) ?? [];
  const ageThreshold = episode.sbpThresholds.atAsOf;
  return {
    scale: 'ASTCT-2019',
    ...(current.grade === null ? { indeterminate: true as const } : { grade: current.grade }),
    ...(episodeMax.grade === null ? {} : { episodeMaxGrade: episodeMax.grade }),
    ...(episodeMax.at === undefined ? {} : { episodeMaxGradeAt: isoOf(episodeMax.at) }),
    evaluatedAt: isoOf(parts.asOf),
    lookbackHours: parts.lookbackHours,
    monitoring: monitoring(episode.scope, parts.asOf),
    fever: fever(parts),
    hypotension: {
      tier: current.hypotensionTier,
      ...(window.lowestSbp === undefined ? {} : { lowestSbp: window.lowestSbp }),
      ...(window.lowestMap === undefined ? {} : { lowestMap: window.lowestMap }),
      ...(ageThreshold === undefined ? {} : { sbpThreshold: ageThreshold }),
      ...listOf('vasopressors', window.vasopressors),
      maxConcurrentVasopressors: window.facts.maxConcurrentVasopressors,
      ...(window.concurrencyInferred && current.hypotensionTier === 'multiple-vasopressors' ? { concurrencyInferredFromRates: true as const } : {}),
    },
    oxygen: {
      tier: current.oxygenTier,
      ...listOf('evidence', oxygenEvidence),
      ...(window.lowestSpo2 === undefined ? {} : { lowestSpo2: window.lowestSpo2 }),
      ...(window.roomAir === undefined || current.oxygenTier !== 'none' ? {} : { roomAir: window.roomAir }),
      ...listOf('unrecognisedDevices', window.unrecognisedDevices),
    },
    tocilizumab: parts.tocilizumab,
    ...(parts.corticosteroids === undefined ? {} : { corticosteroids: parts.corticosteroids }),
    ...(parts.weight === undefined ? {} : { weight: parts.weight }),
    ...listOf('findings', findings(parts, oxygenEvidence)),
    ...listOf('dataGaps', dataGaps(parts)),
    ...listOf('dataQuality', parts.notes),
  };
}
