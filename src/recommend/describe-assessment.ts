/**
 * The evidence of an assessment in words from `cards/crs-phrases.json`: short findings for a summary
 * ("38.9 °C, SBP 84"), the evidence block of a card's detail (times, values, day +N, product, masking,
 * episode maximum, tocilizumab doses) and its data notes (findings, data gaps, ignored data).
 */
import type { Config, ConceptMap } from '../config/types.js';
import type { Assessment, DataQualityNote, EvidenceItem, Grade } from '../grading/assessment.js';
import { chartMarkdown, formatNumber, formatTemperature, formatUtc, phrase } from './render-template.js';
import type { CardTemplates } from './templates.js';

/** Data-quality notes listed one by one before the rest are counted. */
const MAX_NOTES = 3;
/** Oxygen devices and flows listed in the evidence. */
const MAX_OXYGEN_ITEMS = 3;

/**
 * A concept key as a drug or product name: the first configured name, else the key without hyphens.
 * @param key - concept key (`dexamethasone`, `axicabtagene-ciloleucel`)
 * @param config - for the code lists
 */
export function conceptName(key: string, config: Config): string {
  const lists: ConceptMap[] = [
    config.codeLists.antiCytokines,
    config.codeLists.corticosteroids,
    config.codeLists.vasopressors,
    config.codeLists.inotropes,
    config.codeLists.antipyretics,
    config.codeLists.crsTherapies.carT,
    config.codeLists.crsTherapies.tCellEngagers,
  ];
  const concept = lists.find((list) => Object.hasOwn(list, key))?.[key];
  return concept?.names[0] ?? key.replace(/-/g, ' ');
}

/**
 * The grade as shown: a digit, or "indeterminate".
 * @param grade - assessment grade
 * @param t - templates
 */
export function gradeText(grade: Grade | null, t: CardTemplates): string {
  return grade === null ? phrase(t, 'grade.indeterminate') : String(grade);
}

function distinctNames(items: readonly EvidenceItem[], config: Config): string {
  return [...new Set(items.map((i) => conceptName(i.kind, config)))].join(' + ');
}

function hypotensionFinding(a: Assessment, t: CardTemplates, config: Config): string | undefined {
  const h = a.hypotension;
  if (h.tier === 'one-vasopressor' || h.tier === 'multiple-vasopressors') {
    return phrase(t, 'finding.vasopressors', { drugs: distinctNames(h.vasopressors, config) });
  }
  if (h.tier !== 'hypotension') return undefined;
  if (h.lowestSbp?.value !== undefined && h.lowestSbp.value < config.grading.sbpBelow) {
    return phrase(t, 'finding.sbp', { value: formatNumber(h.lowestSbp.value, 0) });
  }
  if (h.lowestMap?.value !== undefined) return phrase(t, 'finding.map', { value: formatNumber(h.lowestMap.value, 0) });
  return undefined;
}

/**
 * Short findings for a summary, most important first: temperature (or masking), blood pressure, oxygen.
 * @param a - the assessment
 * @param t - templates
 * @param config - thresholds and code lists
 */
export function summaryFindings(a: Assessment, t: CardTemplates, config: Config): string[] {
  const items: string[] = [];
  if (a.fever.present && a.fever.max?.value !== undefined) {
    items.push(phrase(t, 'finding.fever', { temp: formatTemperature(a.fever.max.value) }));
  } else if (a.fever.masked) {
    items.push(phrase(t, 'finding.masked', { agent: conceptName(a.fever.maskedBy?.kind ?? '', config) }));
  } else if (a.grade !== null) {
    items.push(phrase(t, 'finding.no-fever', { lookbackHours: a.lookbackHours }));
  }
  const hypotension = hypotensionFinding(a, t, config);
  if (hypotension !== undefined) items.push(hypotension);
  if (a.oxygen.tier !== 'none') items.push(phrase(t, `finding.oxygen.${a.oxygen.tier}`));
  return items;
}

function contextLine(a: Assessment, t: CardTemplates, config: Config): string {
  const m = a.monitoring;
  if (m.indexTherapy !== undefined && m.dayPlus !== undefined) {
    return phrase(t, 'evidence.context-therapy', {
      dayPlus: m.dayPlus,
      product: conceptName(m.indexTherapy.concept, config),
      start: formatUtc(m.indexTherapy.start),
    });
  }
  return phrase(t, 'evidence.context-condition', { start: formatUtc(m.episodeStart) });
}

function temperatureLines(a: Assessment, t: CardTemplates, config: Config): string[] {
  const lines: string[] = [];
  const max = a.fever.max;
  if (max?.value === undefined) lines.push(phrase(t, 'evidence.no-temperature'));
  else {
    const values = { temp: formatTemperature(max.value), time: formatUtc(max.time) };
    lines.push(phrase(t, a.fever.present ? 'evidence.fever' : 'evidence.temperature', values));
  }
  if (a.fever.masked && a.fever.maskedBy !== undefined) {
    const agent = conceptName(a.fever.maskedBy.kind, config);
    lines.push(phrase(t, 'evidence.masked', { agent, time: formatUtc(a.fever.maskedBy.time) }));
  }
  return lines;
}

function pressureLines(a: Assessment, t: CardTemplates, config: Config): string[] {
  const h = a.hypotension;
  const lines: string[] = [];
  for (const [item, key] of [[h.lowestSbp, 'evidence.sbp'], [h.lowestMap, 'evidence.map']] as const) {
    if (item?.value !== undefined) {
      lines.push(phrase(t, key, { value: formatNumber(item.value, 0), time: formatUtc(item.time) }));
    }
  }
  if (lines.length === 0) lines.push(phrase(t, 'evidence.no-bp'));
  if (h.vasopressors.length > 0) lines.push(phrase(t, 'evidence.vasopressors', { drugs: distinctNames(h.vasopressors, config) }));
  return lines;
}

function oxygenLines(a: Assessment, t: CardTemplates): string[] {
  const o = a.oxygen;
  const lines: string[] = [];
  const tier = o.tier;
  if (tier === 'none') lines.push(phrase(t, 'evidence.oxygen-none'));
  else {
    const tierText = phrase(t, `tier.${tier}`);
    const items = o.evidence.slice(0, MAX_OXYGEN_ITEMS).map((e) =>
      e.kind === 'o2-flow' && e.value !== undefined
        ? phrase(t, 'evidence.oxygen-flow', { value: formatNumber(e.value), time: formatUtc(e.time) })
        : phrase(t, 'evidence.oxygen-device', {
            device: e.display === undefined ? tierText : chartMarkdown(e.display),
            time: formatUtc(e.time),
          }),
    );
    lines.push(
      items.length > 0
        ? phrase(t, 'evidence.oxygen', { tier: tierText, items: items.join('; ') })
        : phrase(t, 'evidence.oxygen-tier', { tier: tierText }),
    );
  }
  if (o.lowestSpo2?.value !== undefined) {
    lines.push(phrase(t, 'evidence.spo2', { value: formatNumber(o.lowestSpo2.value, 0), time: formatUtc(o.lowestSpo2.time) }));
  }
  return lines;
}

function courseLines(a: Assessment, t: CardTemplates, dosesInEpisode: number): string[] {
  const lines: string[] = [];
  if (a.episodeMaxGrade === null) lines.push(phrase(t, 'evidence.episode-max-none'));
  else {
    const time = a.episodeMaxGradeAt === undefined ? formatUtc(a.evaluatedAt) : formatUtc(a.episodeMaxGradeAt);
    lines.push(phrase(t, 'evidence.episode-max', { grade: a.episodeMaxGrade, time }));
  }
  const last = a.tocilizumab.lastDoseAt;
  lines.push(
    dosesInEpisode > 0 && last !== undefined
      ? phrase(t, 'evidence.tocilizumab', { count: dosesInEpisode, last: formatUtc(last) })
      : phrase(t, 'evidence.tocilizumab-none'),
  );
  return lines;
}

/**
 * The evidence block of a card's detail (markdown).
 * @param a - the assessment
 * @param t - templates
 * @param config - code lists for names
 * @param dosesInEpisode - tocilizumab doses in the episode (T-L count)
 */
export function evidenceBlock(a: Assessment, t: CardTemplates, config: Config, dosesInEpisode: number): string {
  const heading = phrase(t, 'evidence.heading', {
    lookbackHours: a.lookbackHours,
    evaluatedAt: formatUtc(a.evaluatedAt),
    context: contextLine(a, t, config),
  });
  return [
    heading,
    ...temperatureLines(a, t, config),
    ...pressureLines(a, t, config),
    ...oxygenLines(a, t),
    ...courseLines(a, t, dosesInEpisode),
  ].join('\n');
}

function qualityLine(note: DataQualityNote, t: CardTemplates): string {
  const kind = chartMarkdown(note.kind ?? note.resourceType);
  const value = chartMarkdown([note.value, note.unit].filter((v) => v !== undefined).join(' '));
  switch (note.code) {
    case 'unknown-unit':
      return phrase(t, 'note.unknown-unit', { kind, value });
    case 'implausible-value':
      return phrase(t, 'note.implausible-value', { kind, value });
    case 'missing-time':
      return phrase(t, 'note.missing-time', { kind });
    case 'unresolved-medication':
      return phrase(t, 'note.unresolved-medication');
  }
}

/**
 * The data-notes block (markdown): findings, a missing weight, ignored data; '' when there is nothing.
 * @param a - the assessment
 * @param t - templates
 * @param config - weightMaxAgeDays
 * @param options - `weightExplained`: the card already says the weight is missing
 */
export function notesBlock(
  a: Assessment,
  t: CardTemplates,
  config: Config,
  options: { readonly weightExplained?: boolean } = {},
): string {
  const lines: string[] = [];
  for (const finding of a.findings) {
    if (finding.code === 'not-attributable-without-fever') lines.push(phrase(t, 'note.not-attributable'));
    else {
      const spo2 = finding.evidence.find((e) => e.value !== undefined) ?? a.oxygen.lowestSpo2;
      if (spo2?.value !== undefined) {
        lines.push(phrase(t, 'note.low-spo2', { value: formatNumber(spo2.value, 0), time: formatUtc(spo2.time) }));
      }
    }
  }
  if (a.weight === undefined && options.weightExplained !== true) {
    lines.push(phrase(t, 'note.no-weight', { weightMaxAgeDays: config.grading.weightMaxAgeDays }));
  }
  lines.push(...a.dataQuality.slice(0, MAX_NOTES).map((n) => qualityLine(n, t)));
  if (a.dataQuality.length > MAX_NOTES) lines.push(phrase(t, 'note.more', { count: a.dataQuality.length - MAX_NOTES }));
  return lines.length === 0 ? '' : [phrase(t, 'notes.heading'), ...lines].join('\n');
}
