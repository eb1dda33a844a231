/**
 * The findings of a card's summary (C1), most important first: temperature (or "afebrile after …" when
 * the grade rests on F2 masking), hypotension (the vasopressors or the low SBP, with its age-based
 * threshold under H1-P), oxygen (the device that set the tier, or an unrecognised device), and low SpO2
 * without documented oxygen support (O1). The findings that set the grade are marked essential: a summary
 * too long for 140 characters shortens the plan first and never drops them.
 */
import type { Config } from '../config/types.js';
import type { Assessment, EvidenceItem, HypotensionTier, OxygenTier } from '../grading/assessment.js';
import { chartText, formatNumber, formatTemperature, phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';
import { ageText, conceptName } from './wording.js';

/** One finding of a summary. */
export interface SummaryFinding {
  readonly text: string;
  /** C1: it set the grade (or O1's low SpO2): never dropped from the summary. */
  readonly essential: boolean;
}

const HYPOTENSION_RANK: Readonly<Record<HypotensionTier, number>> = { none: 0, hypotension: 2, 'one-vasopressor': 3, 'multiple-vasopressors': 4 };
const OXYGEN_RANK: Readonly<Record<OxygenTier, number>> = { none: 0, 'low-flow': 2, 'high-flow': 3, 'positive-pressure': 4 };

/**
 * Drug names of vasopressor evidence, each once ("norepinephrine + epinephrine").
 * @param items - evidence items whose kind is a concept key
 * @param config - for the names
 */
export function distinctNames(items: readonly EvidenceItem[], config: Config): string {
  return [...new Set(items.map((i) => conceptName(i.kind, config)))].join(' + ');
}

/**
 * H1/H2 in a few words, or undefined when the column is empty.
 * @param a - the assessment
 * @param t - templates
 * @param config - thresholds and names
 */
export function hypotensionFinding(a: Assessment, t: CardTemplates, config: Config): string | undefined {
  const h = a.hypotension;
  if (h.tier === 'one-vasopressor' || h.tier === 'multiple-vasopressors') {
    return phrase(t, 'finding.vasopressors', { drugs: distinctNames(h.vasopressors ?? [], config) });
  }
  if (h.tier !== 'hypotension') return undefined;
  const threshold = h.sbpThreshold?.mmHg ?? config.grading.sbpBelow;
  const sbp = h.lowestSbp?.value;
  if (sbp !== undefined && sbp < threshold) {
    const value = formatNumber(sbp, 0);
    return h.sbpThreshold === undefined
      ? phrase(t, 'finding.sbp', { value })
      : phrase(t, 'finding.sbp-child', { value, threshold: formatNumber(threshold, 0), age: ageText(h.sbpThreshold, t) });
  }
  if (h.lowestMap?.value !== undefined) return phrase(t, 'finding.map', { value: formatNumber(h.lowestMap.value, 0) });
  return undefined;
}

/** How one oxygen datum is named in a summary: the device as charted, the flow, or the FiO2. */
function oxygenSource(item: EvidenceItem, tier: Exclude<OxygenTier, 'none'>, t: CardTemplates): string {
  if (item.kind === 'o2-flow' && item.value !== undefined) return phrase(t, 'source.flow', { value: formatNumber(item.value) });
  if (item.kind === 'fio2' && item.value !== undefined) return phrase(t, 'source.fio2', { value: formatNumber(item.value, 0) });
  return chartText(item.display ?? phrase(t, `tier.${tier}`));
}

/**
 * O1 in a few words (the device that set the tier), or undefined when no support was documented.
 * @param a - the assessment
 * @param t - templates
 */
export function oxygenFinding(a: Assessment, t: CardTemplates): string | undefined {
  const tier = a.oxygen.tier;
  if (tier === 'none') return undefined;
  const evidence = a.oxygen.evidence ?? [];
  // O1: a tier that rests on unrecognised devices alone is named as such.
  const unrecognised = evidence.length > 0 && evidence.every((e) => e.unrecognised === true);
  if (unrecognised) return phrase(t, 'finding.oxygen-unrecognised', { device: chartText(evidence[0]?.display ?? '') });
  const named = evidence.find((e) => e.kind === 'o2-device' && e.display !== undefined) ?? evidence[0];
  if (named === undefined) return phrase(t, 'finding.oxygen-tier', { tier: phrase(t, `tier.${tier}`) });
  return phrase(t, `finding.oxygen.${tier}`, { source: oxygenSource(named, tier, t) });
}

/**
 * The summary findings of an assessment, most important first.
 * @param a - the assessment
 * @param t - templates
 * @param config - thresholds and code lists
 */
export function summaryFindings(a: Assessment, t: CardTemplates, config: Config): SummaryFinding[] {
  const items: SummaryFinding[] = [];
  const hypotensionRank = HYPOTENSION_RANK[a.hypotension.tier];
  const oxygenRank = OXYGEN_RANK[a.oxygen.tier];
  const graded = a.grade !== undefined && a.grade >= 1;
  if (a.fever.present && a.fever.max?.value !== undefined) {
    items.push({ text: phrase(t, 'finding.fever', { temp: formatTemperature(a.fever.max.value) }), essential: a.grade === 1 });
  } else if (a.fever.masked && a.fever.maskedBy !== undefined) {
    // F2: a grade that rests on masking says so in the summary.
    items.push({ text: phrase(t, 'finding.masked', { agent: conceptName(a.fever.maskedBy.kind, config) }), essential: graded });
  } else if (a.grade !== undefined) {
    items.push({ text: phrase(t, 'finding.no-fever', { lookbackHours: a.lookbackHours }), essential: false });
  }
  // C1/C2: the column that set the grade (both when equal); an indeterminate card names every need.
  const hypotension = hypotensionFinding(a, t, config);
  if (hypotension !== undefined) items.push({ text: hypotension, essential: a.grade === undefined || hypotensionRank >= oxygenRank });
  const oxygen = oxygenFinding(a, t);
  if (oxygen !== undefined) items.push({ text: oxygen, essential: a.grade === undefined || oxygenRank >= hypotensionRank });
  const lowSpo2 = a.findings?.find((f) => f.code === 'low-spo2-without-oxygen')?.evidence?.[0];
  if (lowSpo2?.value !== undefined) items.push({ text: phrase(t, 'finding.low-spo2', { value: formatNumber(lowSpo2.value, 0) }), essential: true });
  return items;
}
