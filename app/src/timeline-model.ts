/**
 * What the timeline shows, derived from the engine's trajectory only (never from FHIR directly): the
 * hourly grade, the readings the engine graded on, the oxygen tier per hour, vasopressor infusions,
 * treatment doses, masked periods (F2) and data-quality notes, each datum with its resource id and time.
 */
import type { Assessment, DataQualityNote, EvidenceItem, Grade, OxygenTier } from '../../src/grading/assessment.js';
import { HOUR_MS, type EngineConfig, type Trajectory } from './trajectory.js';

/** A reading the engine used, at its clinical time. */
export interface Reading {
  readonly t: number;
  readonly value: number;
  readonly item: EvidenceItem;
}

/** A time span [from, to], ms. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/** The O1 tier over one span, with the devices and flows that set it. */
export interface OxygenSpan extends Span {
  readonly tier: OxygenTier;
  readonly evidence: readonly EvidenceItem[];
}

/** H1-P: the SBP threshold that applied over one span (the adult `sbpBelow`, or the age-based one for a child). */
export interface SbpThresholdSpan extends Span {
  readonly mmHg: number;
  /** The age it was chosen for; absent when the adult threshold applied. */
  readonly age?: { readonly ageYears: number; readonly ageMonths?: number };
}

/** One vasopressor administration: from its start to the end of the last hour it was active in. */
export interface InfusionBar extends Span {
  readonly concept: string;
  readonly item: EvidenceItem;
}

export type DoseKind = 'anti-cytokine' | 'corticosteroid' | 'antipyretic';

/** A treatment administration (tocilizumab and other anti-cytokines, corticosteroids, antipyretics). */
export interface DoseMarker {
  readonly t: number;
  readonly kind: DoseKind;
  readonly item: EvidenceItem;
}

/** The grade at one evaluation instant. */
export interface GradePoint {
  readonly t: number;
  /** null = indeterminate (G-I). */
  readonly grade: Grade | null;
  readonly masked: boolean;
  readonly assessment: Assessment;
}

export interface Timeline {
  readonly episodeStart: number;
  readonly end: number;
  /** The assessment at the end of the range (what a card would say now). */
  readonly current: Assessment;
  readonly grades: readonly GradePoint[];
  readonly temperature: readonly Reading[];
  readonly sbp: readonly Reading[];
  readonly map: readonly Reading[];
  readonly spo2: readonly Reading[];
  readonly oxygen: readonly OxygenSpan[];
  readonly vasopressors: readonly InfusionBar[];
  readonly doses: readonly DoseMarker[];
  /** F2: hours during which fever was not required. */
  readonly masked: readonly Span[];
  readonly notes: readonly DataQualityNote[];
  readonly thresholds: { readonly feverCelsius: number; readonly sbpBelow: number; readonly mapBelow: number; readonly spo2Below: number };
  /** H1-P: the SBP threshold each graded hour used, merged over equal hours (a birthday can change it). */
  readonly sbpThresholds: readonly SbpThresholdSpan[];
}

const itemKey = (i: { readonly resourceType: string; readonly id?: string; readonly time?: string; readonly kind?: string }): string =>
  `${i.resourceType}/${i.id ?? ''}@${i.time ?? ''}#${i.kind ?? ''}`;

/** Adds the item once per resource reading. */
function collect(into: Map<string, Reading>, item: EvidenceItem | undefined): void {
  if (item?.value === undefined) return;
  const key = itemKey(item);
  if (!into.has(key)) into.set(key, { t: Date.parse(item.time), value: item.value, item });
}

const byTime = <T extends { readonly t: number }>(list: Iterable<T>): T[] => [...list].sort((a, b) => a.t - b.t);

/** Merges consecutive spans that carry the same value. */
function mergeSpans<T extends Span>(spans: readonly T[], same: (a: T, b: T) => boolean, join: (a: T, b: T) => T): T[] {
  const out: T[] = [];
  for (const span of spans) {
    const last = out[out.length - 1];
    if (last !== undefined && last.to === span.from && same(last, span)) out[out.length - 1] = join(last, span);
    else out.push(span);
  }
  return out;
}

function doseKind(concept: string, config: EngineConfig): DoseKind | undefined {
  const lists = config.codeLists;
  if (Object.hasOwn(lists.vasopressors, concept) || Object.hasOwn(lists.inotropes, concept)) return undefined;
  if (Object.hasOwn(lists.antiCytokines, concept)) return 'anti-cytokine';
  if (Object.hasOwn(lists.corticosteroids, concept)) return 'corticosteroid';
  return Object.hasOwn(lists.antipyretics, concept) ? 'antipyretic' : undefined;
}

/**
 * The timeline of a trajectory.
 * @param trajectory - from gradeTrajectory (at least one hour)
 * @param config - the configuration it was computed with (thresholds, which concepts are treatments)
 */
export function buildTimeline(trajectory: Trajectory, config: EngineConfig): Timeline {
  const hours = trajectory.hours;
  const last = hours[hours.length - 1];
  if (last === undefined) throw new Error('buildTimeline needs at least one graded hour');
  const current = last.assessment;
  const episodeStart = Date.parse(current.monitoring.episodeStart);
  const temperature = new Map<string, Reading>();
  const sbp = new Map<string, Reading>();
  const map = new Map<string, Reading>();
  const spo2 = new Map<string, Reading>();
  const bars = new Map<string, InfusionBar>();
  const doses = new Map<string, DoseMarker>();
  const notes = new Map<string, DataQualityNote>();
  const oxygen: OxygenSpan[] = [];
  const masked: Span[] = [];
  const grades: GradePoint[] = [];
  const sbpThresholds: SbpThresholdSpan[] = [];
  const { grading } = config;

  let previous = episodeStart;
  for (const { at, assessment, hour } of hours) {
    const from = Math.max(previous, at - HOUR_MS);
    previous = at;
    // Contract revision 2: an indeterminate grade is omitted; the chart draws it as a gap (null).
    grades.push({ t: at, grade: assessment.grade ?? null, masked: assessment.fever.masked, assessment });
    const ageThreshold = assessment.hypotension.sbpThreshold;
    sbpThresholds.push(ageThreshold === undefined ? { from, to: at, mmHg: grading.sbpBelow } : { from, to: at, mmHg: ageThreshold.mmHg, age: ageThreshold });
    if (assessment.fever.masked) {
      // F2 starts at the administration that established it, not at the start of its hour.
      const maskedBy = assessment.fever.maskedBy?.time;
      masked.push({ from: maskedBy === undefined ? from : Math.min(at, Math.max(from, Date.parse(maskedBy))), to: at });
    }
    collect(temperature, hour.fever.max);
    collect(sbp, hour.hypotension.lowestSbp);
    collect(map, hour.hypotension.lowestMap);
    collect(spo2, hour.oxygen.lowestSpo2);
    oxygen.push({ from, to: at, tier: hour.oxygen.tier, evidence: [...(hour.oxygen.evidence ?? []), ...(hour.oxygen.unrecognisedDevices ?? [])] });
    for (const item of hour.hypotension.vasopressors ?? []) {
      const key = itemKey(item);
      const kind = doseKind(item.kind, config);
      if (kind !== undefined) {
        if (!doses.has(key)) doses.set(key, { t: Date.parse(item.time), kind, item });
        continue;
      }
      const bar = bars.get(key);
      bars.set(key, { from: bar?.from ?? Math.max(Date.parse(item.time), episodeStart), to: at, concept: item.kind, item });
    }
    for (const note of [...(assessment.dataQuality ?? []), ...(hour.dataQuality ?? [])]) notes.set(itemKey({ ...note, time: note.code }), note);
  }

  return {
    episodeStart,
    end: last.at,
    current,
    grades,
    temperature: byTime(temperature.values()),
    sbp: byTime(sbp.values()),
    map: byTime(map.values()),
    spo2: byTime(spo2.values()),
    oxygen: mergeSpans(oxygen, (a, b) => a.tier === b.tier, (a, b) => ({ ...a, to: b.to, evidence: [...a.evidence, ...b.evidence] })),
    vasopressors: [...bars.values()].sort((a, b) => a.from - b.from),
    doses: byTime(doses.values()),
    masked: mergeSpans(masked, () => true, (a, b) => ({ from: a.from, to: b.to })),
    notes: [...notes.values()],
    thresholds: { feverCelsius: grading.feverCelsius, sbpBelow: grading.sbpBelow, mapBelow: grading.mapBelow, spo2Below: grading.spo2Below },
    sbpThresholds: mergeSpans(sbpThresholds, (a, b) => a.mmHg === b.mmHg, (a, b) => ({ ...b, from: a.from })),
  };
}
